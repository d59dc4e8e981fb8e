import Foundation
import OAIPMH
import Testing
import VOResource

/// Resumption tokens: pages by (datestamp, ivoid), stable when records change mid-harvest.
@Suite struct OAIPagingTests {
    /// Harvests a list, following tokens; returns the identifiers per page and the last response.
    func harvest(_ h: OAIHarness, verb: String = "ListIdentifiers", prefix: String = "ivo_vor", extra: [(String, String)] = [],
                 between: (Int) throws -> Void = { _ in }) throws -> (pages: [[String]], tokens: [XMLElement?]) {
        var pages: [[String]] = []
        var tokens: [XMLElement?] = []
        var r = try h.respond([("verb", verb), ("metadataPrefix", prefix)] + extra)
        while true {
            #expect(r.error == nil, "\(r.text.prefix(600))")
            pages.append(r.identifiers)
            tokens.append(r.token)
            guard let t = r.token, !t.text.isEmpty else { break }
            try between(pages.count)
            r = try h.respond([("verb", verb), ("resumptionToken", t.text)])
            #expect(r.request?.attribute("resumptionToken") == t.text)
        }
        return (pages, tokens)
    }

    func fill(_ h: OAIHarness, _ n: Int) throws {
        for i in 0..<n {
            // Two records share each datestamp, so the ivoid breaks ties.
            try h.ingest(OAIHarness.record("ivo://test.org/r\(String(format: "%02d", i))"), at: 1000 + Int64(i / 2))
        }
    }

    @Test func pagesCarryCursorSizeAndAnEmptyLastToken() throws {
        let h = try OAIHarness(pageSize: 3)
        try fill(h, 8)
        try h.ingestSample("internal-tap.xml", at: 1001, visibility: .internal)
        let (pages, tokens) = try harvest(h)
        #expect(pages.map(\.count) == [3, 3, 2])
        #expect(Set(pages.joined()).count == 8)
        #expect(tokens.map { $0?.attribute("cursor") } == ["0", "3", "6"])
        #expect(tokens.allSatisfy { $0?.attribute("completeListSize") == "8" })
        #expect(tokens[0]?.attribute("expirationDate") == OAIDate.format(OAIHarness.now + 3600))
        #expect(tokens[2]?.text == "" && tokens[2]?.attribute("expirationDate") == nil)
        let records = try harvest(h, verb: "ListRecords", prefix: "oai_dc", extra: [("set", "ivo_managed")])
        #expect(records.pages.joined().count == 8)
    }

    @Test func changesDuringAHarvestNeitherSkipNorRepeat() throws {
        let h = try OAIHarness(pageSize: 3)
        try fill(h, 9)
        let (pages, _) = try harvest(h, verb: "ListRecords") { page in
            guard page == 1 else { return }
            // After page 1: a record already sent and one not yet sent change; one is deleted.
            try h.ingest(OAIHarness.record("ivo://test.org/r01", title: "Changed A"), at: 2000)
            try h.ingest(OAIHarness.record("ivo://test.org/r05", title: "Changed B"), at: 2001)
            try h.delete("ivo://test.org/r07", at: 2002)
        }
        let seen = Array(pages.joined())
        // Every record is seen; the unchanged ones exactly once; changed ones again at the end.
        #expect(Set(seen) == Set((0..<9).map { "ivo://test.org/r\(String(format: "%02d", $0))" }))
        let unchanged = seen.filter { !["ivo://test.org/r01", "ivo://test.org/r05", "ivo://test.org/r07"].contains($0) }
        #expect(unchanged.count == Set(unchanged).count)
        #expect(Array(seen.suffix(3)) == ["ivo://test.org/r01", "ivo://test.org/r05", "ivo://test.org/r07"])
        #expect(seen.filter { $0 == "ivo://test.org/r05" }.count == 1)
    }

    @Test func tokensAreBoundToTheirVerbAndExpire() throws {
        let h = try OAIHarness(pageSize: 2)
        try fill(h, 5)
        let first = try h.respond([("verb", "ListIdentifiers"), ("metadataPrefix", "ivo_vor")])
        let t = try #require(first.token?.text)
        #expect(try h.respond([("verb", "ListRecords"), ("resumptionToken", t)]).error == "badResumptionToken")
        #expect(try h.respond([("verb", "ListIdentifiers"), ("resumptionToken", t)], now: OAIHarness.now + 3601).error == "badResumptionToken")
        #expect(try h.respond([("verb", "ListIdentifiers"), ("resumptionToken", t + "x")]).error == "badResumptionToken")
        let next = try h.respond([("verb", "ListIdentifiers"), ("resumptionToken", t)])
        #expect(next.identifiers == ["ivo://test.org/r02", "ivo://test.org/r03"])
    }

    @Test func filtersAreKeptAcrossPages() throws {
        let h = try OAIHarness(pageSize: 2)
        try fill(h, 10)
        try h.ingest(OAIHarness.record("ivo://elsewhere.net/x"), at: 1002)
        let (pages, tokens) = try harvest(h, extra: [("from", OAIDate.format(1001)), ("until", OAIDate.format(1003)), ("set", "ivo_managed")])
        #expect(Array(pages.joined()) == (2..<8).map { "ivo://test.org/r\(String(format: "%02d", $0))" })
        #expect(tokens.first??.attribute("completeListSize") == "6")
    }

    /// xs:ID values must be unique in a document: a record declaring an ID already on the page
    /// starts the next page, and the harvest still yields every record exactly once.
    @Test func recordsSharingAnXMLIDNeverShareAPage() throws {
        let h = try OAIHarness(pageSize: 4)
        func withID(_ n: Int, _ id: String) -> String {
            OAIHarness.record("ivo://test.org/id\(n)").replacingOccurrences(
                of: "</ri:Resource>", with: "<extra xmlns=\"http://example.org/ext\" id=\"\(id)\"/></ri:Resource>")
        }
        try h.ingest(withID(0, "cs1"), at: 1000)
        try h.ingest(withID(1, "cs1"), at: 1001)  // collides with id0
        try h.ingest(withID(2, "cs2"), at: 1002)
        try h.ingest(OAIHarness.record("ivo://test.org/plain"), at: 1003)
        try h.ingest(withID(4, "cs2"), at: 1004)  // collides with id2
        var pages: [[String]] = []
        var r = try h.respond([("verb", "ListRecords"), ("metadataPrefix", "ivo_vor")], validate: false)
        var cursors: [String?] = []
        while true {
            #expect(r.error == nil)
            pages.append(r.identifiers)
            cursors.append(r.token?.attribute("cursor"))
            #expect(r.token?.attribute("completeListSize") == "5")
            guard let t = r.token, !t.text.isEmpty else { break }
            r = try h.respond([("verb", "ListRecords"), ("resumptionToken", t.text)], validate: false)
        }
        #expect(pages == [["ivo://test.org/id0"], ["ivo://test.org/id1", "ivo://test.org/id2", "ivo://test.org/plain"],
                          ["ivo://test.org/id4"]])
        #expect(cursors == ["0", "1", "4"])
        // Headers carry no XML, so ListIdentifiers pages are not split.
        let ids = try h.respond([("verb", "ListIdentifiers"), ("metadataPrefix", "ivo_vor")], validate: false)
        #expect(ids.identifiers.count == 4)
    }
}
