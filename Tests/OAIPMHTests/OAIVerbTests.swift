import Foundation
import OAIPMH
import TestSupport
import Testing
import VOResource

/// Every verb against a small store, every error code, each response schema-valid.
@Suite struct OAIVerbTests {
    let h: OAIHarness

    init() throws {
        h = try OAIHarness()
        try h.ingest(OAIHarness.record("ivo://Test.Org/Cat"), at: 1000)
        try h.ingest(OAIHarness.record("ivo://other.net/inactive", status: "inactive"), at: 2000)
        try h.ingest(OAIHarness.record("ivo://test.org/gone"), at: 3000)
        try h.delete("ivo://test.org/gone", at: 4000)
        try h.ingestSample("internal-tap.xml", at: 500, visibility: .internal)
        try h.ingestSample("tap.xml", at: 5000)
    }

    @Test func identify() throws {
        let r = try h.respond([("verb", "Identify")])
        #expect(r.error == nil)
        let i = try #require(r.verb("Identify"))
        #expect(i.child(named: "repositoryName")?.text == "Test <Registry> & Co")
        #expect(i.child(named: "baseURL")?.text == "http://127.0.0.1:8080/oai")
        #expect(i.child(named: "protocolVersion")?.text == "2.0")
        #expect(i.child(named: "earliestDatestamp")?.text == "1970-01-01T00:16:40Z")  // not the internal record's 500
        #expect(i.child(named: "deletedRecord")?.text == "persistent")
        #expect(i.child(named: "granularity")?.text == "YYYY-MM-DDThh:mm:ssZ")
        let reg = i.child(named: "description")?.child(named: "Resource")
        #expect(reg?.child(named: "identifier")?.text == "ivo://voregistry.example/registry")
        #expect(r.request?.attribute("verb") == "Identify")
        #expect(r.root.child(named: "responseDate")?.text == "2023-11-14T22:13:20Z")
    }

    @Test func listMetadataFormats() throws {
        let r = try h.respond([("verb", "ListMetadataFormats")])
        let prefixes = r.verb("ListMetadataFormats")?.children(named: "metadataFormat").map {
            $0.child(named: "metadataPrefix")?.text ?? ""
        }
        #expect(prefixes == ["ivo_vor", "oai_dc"])
        #expect(try h.respond([("verb", "ListMetadataFormats"), ("identifier", "ivo://test.org/cat")]).error == nil)
        #expect(try h.respond([("verb", "ListMetadataFormats"), ("identifier", "ivo://nope/x")]).error == "idDoesNotExist")
        let internalID = [("verb", "ListMetadataFormats"), ("identifier", "ivo://example-dc.org/internal/tap")]
        #expect(try h.respond(internalID).error == "idDoesNotExist")
    }

    @Test func listSets() throws {
        let r = try h.respond([("verb", "ListSets")])
        let set = r.verb("ListSets")?.child(named: "set")
        #expect(set?.child(named: "setSpec")?.text == "ivo_managed")
        #expect(set?.child(named: "setName")?.text.isEmpty == false)
        #expect(try h.respond([("verb", "ListSets"), ("resumptionToken", "abc")]).error == "badResumptionToken")
        let bare = try OAIHarness(managed: [])
        #expect(try bare.respond([("verb", "ListSets")]).error == "noSetHierarchy")
        #expect(
            try bare.respond([("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("set", "ivo_managed")]).error
                == "noSetHierarchy")
    }

    @Test func getRecordInBothFormats() throws {
        let r = try h.respond([("verb", "GetRecord"), ("identifier", "IVO://test.org/CAT"), ("metadataPrefix", "ivo_vor")])
        #expect(r.identifiers == ["ivo://Test.Org/Cat"])
        #expect(r.headers.first?.child(named: "setSpec")?.text == "ivo_managed")
        #expect(r.headers.first?.child(named: "datestamp")?.text == "1970-01-01T00:16:40Z")
        let payload = r.records.first?.child(named: "metadata")?.children.first
        #expect(payload?.name == "Resource")
        #expect(!r.text.contains("<metadata><?xml"))
        #expect(r.request?.attribute("identifier") == "IVO://test.org/CAT")

        let dc = try h.respond([("verb", "GetRecord"), ("identifier", "ivo://test.org/cat"), ("metadataPrefix", "oai_dc")])
        let d = try #require(dc.records.first?.child(named: "metadata")?.child(named: "dc"))
        func values(_ n: String) -> [String] { d.children(named: n).map(\.text) }
        #expect(values("title") == ["Test Catalog"])
        #expect(values("identifier") == ["ivo://Test.Org/Cat"])
        #expect(values("creator") == ["Ann A.", "Bob B."])
        #expect(values("subject") == ["Stars"])
        #expect(values("publisher") == ["Test Org"])
        #expect(values("date") == ["2019-05-01", "2019-06-01T10:00:00"])
        #expect(values("type") == ["Catalog", "Survey"])
        #expect(values("description") == ["A catalog of stars."])
    }

    @Test func getRecordServesInactiveAndDeleted() throws {
        let inactive = try h.respond([("verb", "GetRecord"), ("identifier", "ivo://other.net/inactive"), ("metadataPrefix", "ivo_vor")])
        #expect(inactive.records.first?.child(named: "metadata")?.children.first?.attribute("status") == "inactive")
        #expect(inactive.headers.first?.child(named: "setSpec") == nil)
        let gone = try h.respond([("verb", "GetRecord"), ("identifier", "ivo://test.org/gone"), ("metadataPrefix", "oai_dc")])
        #expect(gone.headers.first?.attribute("status") == "deleted")
        #expect(gone.records.first?.child(named: "metadata") == nil)
        #expect(gone.headers.first?.child(named: "datestamp")?.text == OAIDate.format(4000))
    }

    @Test func errorCodes() throws {
        let cases: [([(String, String)], String)] = [
            ([], "badVerb"),
            ([("verb", "Nope")], "badVerb"),
            ([("verb", "Identify"), ("verb", "Identify")], "badVerb"),
            ([("verb", "Identify"), ("x", "1")], "badArgument"),
            ([("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("from", "2020-01-01"), ("until", "2020-01-01T00:00:00Z")], "badArgument"),
            ([("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("from", "2021-01-01"), ("until", "2020-01-01")], "badArgument"),
            ([("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("resumptionToken", "x")], "badArgument"),
            ([("verb", "GetRecord"), ("identifier", "ivo://test.org/cat"), ("metadataPrefix", "marc21")], "cannotDisseminateFormat"),
            ([("verb", "ListIdentifiers"), ("metadataPrefix", "marc21")], "cannotDisseminateFormat"),
            ([("verb", "GetRecord"), ("identifier", "ivo://nope/x"), ("metadataPrefix", "ivo_vor")], "idDoesNotExist"),
            ([("verb", "GetRecord"), ("identifier", "really_wrong_id"), ("metadataPrefix", "ivo_vor")], "idDoesNotExist"),
            ([("verb", "GetRecord"), ("identifier", "ivo://example-dc.org/internal/tap"), ("metadataPrefix", "ivo_vor")], "idDoesNotExist"),
            ([("verb", "ListRecords"), ("resumptionToken", "bogus")], "badResumptionToken"),
            ([("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("from", "2030-01-01")], "noRecordsMatch"),
            ([("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("set", "no_such_set")], "noRecordsMatch"),
            ([("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("until", "1970-01-01T00:08:20Z")], "noRecordsMatch"),
        ]
        for (params, code) in cases {
            let r = try h.respond(params)
            #expect(r.error == code, "\(params)")
            let echoed = r.request?.attribute("verb") != nil
            #expect(echoed == (code != "badVerb" && code != "badArgument"), "\(params)")
            #expect(r.request?.text == "http://127.0.0.1:8080/oai")
        }
    }

    @Test func hostileArgumentsStaySchemaValid() throws {
        let r = try h.respond([("verb", "Identify\u{1}<&\"")])
        #expect(r.error == "badVerb")
        #expect(try h.respond([("verb", "GetRecord"), ("identifier", "ivo://x/\u{0}"), ("metadataPrefix", "x")]).error == "badArgument")
        let token = "a\nb<\"&\u{2}"
        let t = try h.respond([("verb", "ListIdentifiers"), ("resumptionToken", token)])
        #expect(t.error == "badResumptionToken")
        #expect(t.request?.attribute("resumptionToken") == "a\nb<\"&\u{FFFD}")
    }

    @Test func listsFilterByDateAndSetInclusively() throws {
        func ids(_ extra: [(String, String)], verb: String = "ListIdentifiers") throws -> [String] {
            try h.respond([("verb", verb), ("metadataPrefix", "ivo_vor")] + extra).identifiers
        }
        let all = try ids([])
        #expect(all == ["ivo://Test.Org/Cat", "ivo://other.net/inactive", "ivo://test.org/gone", "ivo://example-dc.org/tap"])
        #expect(try ids([], verb: "ListRecords") == all)
        #expect(try ids([("from", OAIDate.format(2000)), ("until", OAIDate.format(4000))]) == Array(all[1...2]))
        #expect(try ids([("until", "1970-01-01")]) == all)
        #expect(try ids([("from", "1970-01-01"), ("until", "1970-01-01")]) == all)
        #expect(try ids([("set", "ivo_managed")]) == ["ivo://Test.Org/Cat", "ivo://test.org/gone", "ivo://example-dc.org/tap"])
        let list = try h.respond([("verb", "ListRecords"), ("metadataPrefix", "oai_dc")])
        #expect(list.records.count == 4)
        #expect(list.records[2].child(named: "metadata") == nil)
        #expect(list.token == nil)  // one page: no token at all
        #expect(!list.text.contains("internal"))
    }
}
