import Foundation
import TestSupport
import Testing

@testable import VOResource

@Suite struct RecordReaderTests {
    func readOne(_ xml: String) throws -> ParsedRecord {
        let doc = try RecordReader.read(data: Data(xml.utf8))
        guard case .resource(let r) = try #require(doc.entries.first) else {
            Issue.record("not a resource: \(doc.entries)")
            throw RecordError("no record")
        }
        return r
    }

    @Test func readsTypedContent() throws {
        let r = try readOne(Fixtures.catalogService).resource
        #expect(r.identifier == "ivo://Test.Org/Cat")
        #expect(r.xsiType == QualifiedName(namespace: XMLNamespaces.vs, local: "CatalogService"))
        #expect(r.xsiType?.canonical == "vs:CatalogService")
        #expect(r.curation.creators.map(\.name.name) == ["Ann A.", "Bob B."])
        #expect(r.content.relationships.first?.related.count == 2)
        #expect(r.capabilities.count == 2)
        #expect(r.capabilities[0].interfaces[0].mirrorURLs.count == 2)
        #expect(r.capabilities[0].interfaces[1].securityMethods == [nil])
        #expect(r.capabilities[0].extensions.map(\.name) == ["dataModel", "language", "outputFormat", "outputFormat"])
        #expect(r.tableset?.schemas.map { $0.tables.count } == [1, 1])
        #expect(r.tableset?.schemas[0].tables[0].columns[0].flags == ["indexed", "primary"])
        #expect(r.coverage?.wavebands == ["Optical", "Infrared"])
    }

    @Test func unknownExtensionElementsAreKept() throws {
        let r = try readOne(Fixtures.catalogService).resource
        guard case .other(let raw) = try #require(r.parts.last) else {
            Issue.record("last part is not raw")
            return
        }
        #expect(raw.name == "extraStuff")
        #expect(raw.xml.contains("kept"))
    }

    @Test func detailsFollowTheRegTAPXpaths() throws {
        let r = try readOne(Fixtures.catalogService).resource
        let d = r.details
        #expect(d.contains(Detail(capabilityIndex: 1, xpath: "/capability/dataModel/@ivo-id", value: "ivo://ivoa.net/std/RegTAP#1.1")))
        #expect(d.contains(Detail(capabilityIndex: 1, xpath: "/capability/language/version/@ivo-id", value: "ivo://ivoa.net/std/ADQL#v2.0")))
        #expect(d.filter { $0.xpath == "/capability/outputFormat/mime" }.map(\.value) == ["text/xml", "text/csv"])
        #expect(d.filter { $0.xpath == "/capability/interface/securityMethod/@standardID" }.count == 1)
        #expect(d.contains(Detail(capabilityIndex: nil, xpath: "/rights/@rightsURI", value: "https://creativecommons.org/licenses/by/4.0/")))
        #expect(!d.contains { $0.capabilityIndex == 2 })
    }

    @Test func splitsOAIPagesWithDeletedHeaders() throws {
        let page = """
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0" xmlns:vg="http://www.ivoa.net/xml/VORegistry/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <responseDate>2024-01-01T00:00:00Z</responseDate><request verb="ListRecords">x</request>
            <ListRecords>
              <record><header><identifier>ivo://a/one</identifier><datestamp>2024-01-01T00:00:00Z</datestamp><setSpec>ivo_managed</setSpec></header>
                <metadata><ri:Resource xsi:type="vg:Authority" status="active"><title>One</title><identifier>ivo://a/one</identifier><curation><publisher>P</publisher><contact><name>C</name></contact></curation><content><description>d</description></content></ri:Resource></metadata></record>
              <record><header status="deleted"><identifier>ivo://a/two</identifier><datestamp>2024-01-02T00:00:00Z</datestamp></header></record>
              <record><header><identifier>ivo://a/three</identifier><datestamp>2024-01-01T00:00:00Z</datestamp></header>
                <metadata><ri:Resource><title>no identifier</title></ri:Resource></metadata></record>
              <resumptionToken completeListSize="3">tok</resumptionToken>
            </ListRecords></OAI-PMH>
            """
        let doc = try RecordReader.read(data: Data(page.utf8))
        #expect(doc.kind == .oaiPMH)
        #expect(doc.resumptionToken == "tok")
        #expect(doc.entries.count == 3)
        guard case .resource(let one) = doc.entries[0], case .deleted(let id, _, 1) = doc.entries[1],
            case .rejected(2, _, let err) = doc.entries[2]
        else {
            Issue.record("unexpected entries \(doc.entries)")
            return
        }
        #expect(one.oaiSets == ["ivo_managed"])
        #expect(id == "ivo://a/two")
        #expect(err.message.contains("no identifier"))
        // The stand-alone XML declares the namespaces the page declared on its root.
        #expect(one.xml.contains("xmlns:vg=\"http://www.ivoa.net/xml/VORegistry/v1.0\""))
        #expect(try RecordReader.read(data: Data(one.xml.utf8)).entries.count == 1)
    }

    @Test func canonicalPrefixesReplaceGeneratedOnes() throws {
        let xml = """
            <ri:Resource xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0" xmlns:q1="http://www.ivoa.net/xml/VORegistry/v1.0" xmlns:s="http://www.ivoa.net/xml/SSA/v1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="q1:Registry">
            <title>t</title><identifier>ivo://x/y</identifier><curation><publisher>p</publisher><contact><name>c</name></contact></curation><content><description>d</description></content>
            <capability xsi:type="s:SimpleSpectralAccess" standardID="ivo://ivoa.net/std/SSA"/></ri:Resource>
            """
        let r = try readOne(xml).resource
        #expect(r.xsiType?.canonical == "vg:Registry")
        #expect(r.capabilities[0].xsiType?.canonical == "ssap:SimpleSpectralAccess")
    }
}

/// Records `make fuzz` (FuzzVOResource) found, read from `Fuzz/regressions/voresource/`.
@Suite struct RecordFuzzRegressionTests {
    /// `xmlns:vstd="http://www.ivoa.net/xml/S&amp;rdsRegExt/v1.0"`: libxml2 hands back an `&`
    /// of a namespace declaration as `&#38;`, so the namespace read was `…S&#38;rds…`, and the
    /// writer escaped that again: the written record (`S&amp;#38;rds`) no longer read. The
    /// reader decodes the reference now; the record is written and read back unchanged.
    @Test func ampersandInANamespaceURIRoundTrips() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.root + "/Fuzz/regressions/voresource/namespace-ampersand.xml"))
        let doc = try RecordReader.read(data: data)
        guard case .resource(let r) = try #require(doc.entries.first) else {
            Issue.record("not a record: \(doc.entries)")
            return
        }
        let written = VOResourceWriter.write(r.resource)
        #expect(written.contains(#"xmlns:vstd="http://www.ivoa.net/xml/S&amp;rdsRegExt/v1.0""#))
        let again = try RecordReader.read(data: Data(written.utf8))
        guard case .resource(let back) = try #require(again.entries.first) else {
            Issue.record("written record not read: \(again.entries)")
            return
        }
        #expect(back.resource.identifier == r.resource.identifier)
        for decl in ["urn:a&amp;b", "urn:a&#38;b"] {
            let root = try XMLDocument(data: Data(#"<x:a xmlns:x="\#(decl)"/>"#.utf8)).root
            #expect(root?.namespace == "urn:a&b")
            #expect(root?.namespacesInScope.first { $0.prefix == "x" }?.uri == "urn:a&b")
        }
    }
}
