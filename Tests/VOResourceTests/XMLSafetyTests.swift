import Foundation
import Testing

@testable import VOResource

/// Hostile and broken XML is refused with a clear error, quickly, whatever path reads it.
@Suite struct XMLSafetyTests {
    func refuse(_ xml: String, limits: XMLLimits = .default) -> XMLError? {
        do {
            _ = try RecordReader.read(data: Data(xml.utf8), name: "t", limits: limits)
            return nil
        } catch { return error }
    }

    @Test func externalEntityIsRefusedAndNeverRead() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <ri:Resource \(TestSupportNS.ns)><title>&x;</title><identifier>ivo://a/b</identifier></ri:Resource>
            """
        let err = try #require(refuse(xml))
        #expect(err.message.contains("DTD"))
        #expect(!err.description.contains("root:"))
    }

    @Test func billionLaughsIsRefused() throws {
        var decl = "<!ENTITY a0 \"lol\">"
        for i in 1...10 { decl += "<!ENTITY a\(i) \"" + String(repeating: "&a\(i-1);", count: 10) + "\">" }
        let xml = "<!DOCTYPE r [\(decl)]><r>&a10;</r>"
        let start = Date()
        #expect(refuse(xml) != nil)
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func doctypeAfterCommentsIsStillFound() {
        let xml = "<?xml version=\"1.0\"?>\n<!-- hi -->\n<?pi x?>\n<!DOCTYPE r SYSTEM \"http://evil/x.dtd\"><r/>"
        #expect(refuse(xml)?.message.contains("DTD") == true)
    }

    @Test func deepNestingIsRefused() {
        let xml = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        #expect(refuse(xml) != nil)
    }

    @Test func truncatedDocumentIsRefusedWithALine() throws {
        let err = try #require(refuse("<ri:Resource \(TestSupportNS.ns)>\n<title>x</title>\n<ident"))
        #expect(err.line != nil)
    }

    @Test func invalidUTF8IsRefused() {
        var data = Data("<ri:Resource \(TestSupportNS.ns)><title>".utf8)
        data.append(contentsOf: [0xC3, 0x28, 0xFF])
        data.append(Data("</title></ri:Resource>".utf8))
        #expect(throws: XMLError.self) { try RecordReader.read(data: data) }
    }

    @Test func oversizedDocumentIsRefusedBeforeParsing() throws {
        let limits = XMLLimits(maxDocumentBytes: 1000, maxDepth: 256)
        let err = try #require(refuse("<r>" + String(repeating: "x", count: 2000) + "</r>", limits: limits))
        #expect(err.message.contains("over the limit"))
    }

    @Test func wrongNamespaceRootIsRefused() throws {
        let err = try #require(refuse("<x:Resource xmlns:x=\"http://example.org/x\"><identifier>ivo://a</identifier></x:Resource>"))
        #expect(err.message.contains("not a VOResource record"))
    }

    @Test func undeclaredPrefixIsRefused() {
        #expect(refuse("<vosi:capabilities/>") != nil)
    }
}

enum TestSupportNS {
    static let ns = "xmlns:ri=\"http://www.ivoa.net/xml/RegistryInterface/v1.0\""
}
