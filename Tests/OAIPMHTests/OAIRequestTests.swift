import OAIPMH
import Testing

/// Parsing verbs and arguments into typed requests, and the errors of malformed requests.
@Suite struct OAIRequestTests {
    func parse(_ p: [(String, String)]) throws(OAIError) -> OAIRequest {
        try OAIRequest.parse(p.map { (name: $0.0, value: $0.1) })
    }

    func code(_ p: [(String, String)]) -> String? {
        do { _ = try parse(p) } catch { return error.code }
        return nil
    }

    @Test func badVerbs() {
        #expect(code([]) == "badVerb")
        #expect(code([("metadataPrefix", "ivo_vor")]) == "badVerb")
        #expect(code([("verb", "Frobnicate")]) == "badVerb")
        #expect(code([("verb", "identify")]) == "badVerb")
        #expect(code([("verb", "Identify"), ("verb", "Identify")]) == "badVerb")
        #expect(code([("verb", "Identify"), ("verb", "ListSets")]) == "badVerb")
    }

    @Test func everyVerb() throws {
        #expect(try parse([("verb", "Identify")]) == .identify)
        #expect(try parse([("verb", "ListMetadataFormats")]) == .listMetadataFormats(identifier: nil))
        #expect(try parse([("verb", "ListMetadataFormats"), ("identifier", "ivo://a/b")]) == .listMetadataFormats(identifier: "ivo://a/b"))
        #expect(try parse([("verb", "ListSets")]) == .listSets(resumptionToken: nil))
        #expect(try parse([("verb", "ListSets"), ("resumptionToken", "x")]) == .listSets(resumptionToken: "x"))
        #expect(try parse([("identifier", "ivo://a/b"), ("verb", "GetRecord"), ("metadataPrefix", "oai_dc")]) == .getRecord(identifier: "ivo://a/b", metadataPrefix: "oai_dc"))
        #expect(try parse([("verb", "ListRecords"), ("resumptionToken", "abc")]) == .listRecords(.resume(token: "abc")))
        guard case .listIdentifiers(.initial(let a)) = try parse([
            ("verb", "ListIdentifiers"), ("metadataPrefix", "ivo_vor"), ("set", "ivo_managed"),
            ("from", "2020-01-01"), ("until", "2020-01-01"),
        ]) else { Issue.record("not a first ListIdentifiers"); return }
        #expect(a.set == "ivo_managed")
        #expect(a.from?.lowerBound == 1_577_836_800)
        #expect(a.until.map(\.upperBound) == Int64(1_577_923_199))
    }

    @Test func badArguments() {
        let bad: [[(String, String)]] = [
            [("verb", "Identify"), ("identifier", "ivo://a/b")],
            [("verb", "ListRecords")],
            [("verb", "ListIdentifiers"), ("from", "2020-01-01")],
            [("verb", "GetRecord"), ("identifier", "ivo://a/b")],
            [("verb", "GetRecord"), ("metadataPrefix", "ivo_vor")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("metadataPrefix", "ivo_vor")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("resumptionToken", "x")],
            [("verb", "ListSets"), ("resumptionToken", "x"), ("set", "a")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo vor")],
            [("verb", "ListRecords"), ("metadataPrefix", "")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("set", "a::b")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("from", "2020-02-30")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("from", "2020-01-01T00:00:00")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("from", "2020-01-01T24:00:00Z")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("until", "20200101")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("from", "2020-01-01"), ("until", "2020-01-01T00:00:00Z")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("from", "2021-01-01"), ("until", "2020-01-01")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("from", "2020-01-01T00:00:01Z"), ("until", "2020-01-01T00:00:00Z")],
            [("verb", "GetRecord"), ("metadataPrefix", "ivo_vor"), ("identifier", "ivo://a b")],
            [("verb", "GetRecord"), ("metadataPrefix", "ivo_vor"), ("identifier", "ivo://a/%zz")],
            [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor"), ("Set", "x")],
        ]
        for p in bad { #expect(code(p) == "badArgument", "\(p)") }
    }

    @Test func datesAreInclusiveAndLeapAware() throws {
        #expect(OAIDate("2024-02-29") != nil)
        #expect(OAIDate("2023-02-29") == nil)
        #expect(OAIDate("1970-01-01T00:00:00Z")?.seconds == 0)
        #expect(OAIDate("2023-11-14T22:13:20Z")?.seconds == 1_700_000_000)
        #expect(OAIDate.format(1_700_000_000) == "2023-11-14T22:13:20Z")
        #expect(OAIDate.format(0) == "1970-01-01T00:00:00Z")
        #expect(code([("verb", "ListRecords"), ("metadataPrefix", "x"), ("from", "2020-01-01"), ("until", "2020-01-01")]) == nil)
        #expect(code([("verb", "ListRecords"), ("metadataPrefix", "x"), ("from", "2020-01-01T05:00:00Z"), ("until", "2020-01-01T05:00:00Z")]) == nil)
    }

    @Test func echoKeepsTheArgumentsAsWritten() throws {
        let r = try parse([("until", "2020-01-01"), ("verb", "ListRecords"), ("metadataPrefix", "oai_dc")])
        #expect(r.echo.map { "\($0.name)=\($0.value)" } == ["verb=ListRecords", "metadataPrefix=oai_dc", "until=2020-01-01"])
    }
}
