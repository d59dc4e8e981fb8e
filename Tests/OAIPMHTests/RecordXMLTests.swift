import Testing

@testable import OAIPMH

/// Record XML embedded in responses: declaration stripped, default namespace undeclared.
@Suite struct RecordXMLTests {
    @Test func stripsTheDeclarationAndUndeclaresTheDefaultNamespace() {
        let xml = "\u{FEFF}<?xml version=\"1.0\"?>\n<ri:Resource xmlns:ri=\"u\" a='x>y'><title/></ri:Resource>"
        #expect(RecordXML.embeddable(xml) == "<ri:Resource xmlns=\"\" xmlns:ri=\"u\" a='x>y'><title/></ri:Resource>")
    }

    @Test func keepsADeclaredDefaultNamespace() {
        let xml = "<Resource xmlns = \"http://www.ivoa.net/xml/RegistryInterface/v1.0\"><title/></Resource>"
        #expect(RecordXML.embeddable(xml) == xml)
        let prefixedOnly = "<Resource xmlns:xmlnsx=\"u\"/>"
        #expect(RecordXML.embeddable(prefixedOnly) == "<Resource xmlns=\"\" xmlns:xmlnsx=\"u\"/>")
    }

    @Test func escapesAndReplacesIllegalCharacters() {
        #expect(XMLText.escape("a<b>&\"c\u{1}\r") == "a&lt;b&gt;&amp;&quot;c\u{FFFD}&#13;")
        #expect(XMLText.escape("plain é 漢") == "plain é 漢")
        #expect(XMLText.escape("a\tb\nc") == "a\tb\nc")
        #expect(XMLText.escape("a\tb\nc", attribute: true) == "a&#9;b&#10;c")
    }
}
