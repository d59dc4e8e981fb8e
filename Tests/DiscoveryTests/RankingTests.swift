import Discovery
import Foundation
import RegistryStore
import TestSupport
import Testing

/// A store holding the project's sample records (internal-*.xml internal), or the corpus.
final class SearchHarness: Sendable {
    let search: RegistrySearch
    let directory: String

    init(samples: Bool = true, corpus: Bool = false) throws {
        directory = NSTemporaryDirectory() + "voreg-discovery-" + UUID().uuidString
        let store = try RegistryStore(path: directory + "/store.sqlite")
        if samples {
            let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.samples).filter { $0.hasSuffix(".xml") }
            let files = names.sorted().map { Fixtures.samples + "/" + $0 }
            let internalFiles = files.filter { ($0 as NSString).lastPathComponent.hasPrefix("internal-") }
            _ = try RecordImporter(store: store, origin: .local, visibility: .public)
                .importPaths(files.filter { !internalFiles.contains($0) })
            _ = try RecordImporter(store: store, origin: .local, visibility: .internal).importPaths(internalFiles)
        }
        if corpus {
            _ = try RecordImporter(store: store, origin: .local, visibility: .public).importPaths([Fixtures.corpus])
        }
        search = try RegistrySearch(store: store)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func find(_ q: String, _ extra: [(String, String)] = [], withInternal: Bool = false) throws -> SearchResponse {
        try search.search(SearchRequest(parameters: [("q", q)] + extra), includeInternal: withInternal)
    }
    func ids(_ q: String, _ extra: [(String, String)] = [], withInternal: Bool = false) throws -> [String] {
        try find(q, extra, withInternal: withInternal).results.map(\.ivoid)
    }
}

@Suite struct RankingTests {
    let h: SearchHarness
    init() throws { h = try SearchHarness() }

    @Test func aSurveysNameReturnsItsServicesFirst() throws {
        let r = try h.find("Example Sky Survey")
        let top4 = Set(r.results.prefix(4).map(\.ivoid))
        #expect(top4 == ["ivo://example-dc.org/survey/cone", "ivo://example-dc.org/survey/images",
                         "ivo://example-dc.org/survey/spectra", "ivo://example-dc.org/tap"])
        #expect(r.results.map(\.ivoid).contains("ivo://example-dc.org/survey"))  // the collection follows
        #expect(r.results.prefix(4).allSatisfy { !$0.capabilities.isEmpty })
    }

    @Test func aServiceWordPutsThatServiceOnTop() throws {
        #expect(try h.ids("example sky survey TAP").first == "ivo://example-dc.org/tap")
        #expect(try h.ids("where can I query the Example survey with TAP?").first == "ivo://example-dc.org/tap")
        #expect(try h.ids("example survey cone").first == "ivo://example-dc.org/survey/cone")
        #expect(try h.ids("survey spectra").first == "ivo://example-dc.org/survey/spectra")
        #expect(try h.ids("images").first == "ivo://example-dc.org/survey/images")
    }

    @Test func exactIdentifierAndShortNameComeFirst() throws {
        #expect(try h.ids("ivo://example-dc.org/survey") == ["ivo://example-dc.org/survey"])
        #expect(try h.ids("IVO://Example-DC.org/TAP").first == "ivo://example-dc.org/tap")
        #expect(try h.ids("ExDC TAP").first == "ivo://example-dc.org/tap")
    }

    @Test func resultsCarryAccessURLsAndPublisher() throws {
        let tap = try #require(try h.find("example tap").results.first)
        #expect(tap.publisher == "Example Data Center")
        #expect(tap.wavebands.contains("optical"))
        let cap = try #require(tap.capabilities.first { $0.serviceType == "tap" })
        #expect(cap.interfaces.first?.accessURL == "https://dc.example-dc.org/tap")
        #expect(cap.interfaces.first?.type == "vs:paramhttp")
    }

    @Test func phrasesAndExclusions() throws {
        let all = try h.ids("survey")
        let noCone = try h.ids("survey -cone")
        #expect(all.contains("ivo://example-dc.org/survey/cone"))
        #expect(!noCone.contains("ivo://example-dc.org/survey/cone") && noCone.count < all.count)
        #expect(try h.ids(#""sky survey images""#).isEmpty == false)
        #expect(try h.ids(#""images sky survey""#).isEmpty)
    }

    @Test func filtersAndFacetsCountTheWholeMatchSet() throws {
        let r = try h.find("", [("pagesize", "2")])
        #expect(r.total == 10 && r.results.count == 2 && r.pages == 5)
        #expect(r.facets.type.first { $0.value == "vs:catalogservice" }?.count == 4)
        #expect(r.facets.servicetype.first { $0.value == "tap" }?.count == 2)  // the DC's TAP and the registry's
        #expect(r.facets.waveband.first { $0.value == "optical" }?.count == 5)
        let tap = try h.find("", [("servicetype", "tap")])
        #expect(tap.results.map(\.ivoid) == ["ivo://example-dc.org/tap", "ivo://voregistry.example/registry"])
        let uv = try h.find("survey", [("waveband", "UV")])
        #expect(uv.total == uv.facets.waveband.first { $0.value == "uv" }?.count)
        #expect(try h.find("", [("authority", "voregistry.example")]).results.allSatisfy { $0.ivoid.hasPrefix("ivo://voregistry.example") })
        #expect(try h.find("", [("type", "vg:authority")]).total == 2)
        // Browse puts services first.
        #expect(try h.find("").results.first?.capabilities.isEmpty == false)
    }

    @Test func internalRecordsAreInvisibleUnlessAllowed() throws {
        // Words found only in the internal sample records.
        for q in ["processing cluster", "job launcher", "processing database", "VOSpace", "uws"] {
            #expect(try h.find(q).total == 0, "\(q)")
        }
        #expect(try h.find("job launcher", withInternal: true).results.first?.ivoid == "ivo://example-dc.org/internal/jobs")
        let pub = try h.find("")
        let all = try h.find("", withInternal: true)
        #expect(all.total == pub.total + 3)
        #expect(pub.facets.servicetype.first { $0.value == "uws" } == nil)
        #expect(pub.facets.authority.reduce(0) { $0 + $1.count } == pub.total)
        #expect(try h.ids("ivo://example-dc.org/internal/tap").isEmpty)
        #expect(throws: DiscoveryError.self) { try h.search.resource("ivo://example-dc.org/internal/tap", includeInternal: false) }
        #expect(throws: DiscoveryError.self) { try h.search.resourceXML("ivo://example-dc.org/internal/tap", includeInternal: false) }
        #expect(try h.search.resource("ivo://example-dc.org/internal/tap", includeInternal: true).title.contains("internal"))
        let status = try h.search.status(includeInternal: false)
        #expect(status.total == 10 && status.byVisibility.map(\.value) == ["public"])
    }

    @Test func resourceDetail() throws {
        let d = try h.search.resource("ivo://Example-DC.org/TAP", includeInternal: false)
        #expect(d.title == "Example DC TAP service" && d.shortName == "ExDC TAP")
        #expect(d.capabilities.count == 4 && d.capabilities[0].interfaces[0].accessURL == "https://dc.example-dc.org/tap")
        let objects = try #require(d.tables.first { $0.name == "survey.objects" })
        #expect(objects.schema == "survey" && objects.columns.first?.name == "obj_id" && objects.nrows == 1_250_000)
        #expect(d.contacts.contains { $0.role == "contact" && $0.email == "vo-support@example-dc.org" })
        #expect(d.relationships.contains { $0.relatedId == "ivo://example-dc.org/survey" })
        #expect(d.xmlURL == "/api/resources/ivo%3A%2F%2Fexample-dc.org%2Ftap?format=xml")
        #expect(try h.search.resourceXML("ivo://example-dc.org/tap", includeInternal: false).contains("<title>Example DC TAP service</title>"))
    }

    @Test func theIndexFollowsChangesToTheStore() throws {
        #expect(try h.find("zanzibar").total == 0)
        let xml = """
            <ri:Resource \(Fixtures.namespaces) xsi:type="vs:CatalogService" created="2020-01-01T00:00:00Z" updated="2020-01-01T00:00:00Z" status="active">
            <title>Zanzibar radio survey</title><identifier>ivo://late.org/zanzibar</identifier>
            <curation><publisher>Late</publisher><contact><name>x</name></contact></curation>
            <content><subject>radio</subject><description>Added later.</description><referenceURL>http://late.org</referenceURL></content>
            <capability standardID="ivo://ivoa.net/std/ConeSearch"><interface xsi:type="vs:ParamHTTP" role="std"><accessURL>http://late.org/scs?</accessURL></interface></capability>
            <coverage><waveband>Radio</waveband></coverage>
            </ri:Resource>
            """
        let file = h.directory + "/late.xml"
        try xml.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try RecordImporter(store: h.search.store, origin: .local, visibility: .public).importPaths([file])
        let r = try h.find("zanzibar")
        #expect(r.results.map(\.ivoid) == ["ivo://late.org/zanzibar"])
        #expect(r.facets.servicetype.map(\.value) == ["scs"] && r.facets.waveband.map(\.value) == ["radio"])
    }
}

@Suite(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.corpus + "/MANIFEST-records.tsv")))
struct CorpusRankingTests {
    let h: SearchHarness
    init() throws { h = try SearchHarness(samples: false, corpus: true) }

    @Test func namedSurveysAndCataloguesComeFirst() throws {
        let ukidss = try #require(try h.find("UKIDSS").results.first)
        #expect(ukidss.title.contains("UKIDSS") && !ukidss.capabilities.isEmpty)
        let sc = try #require(try h.find("supercosmos").results.first)
        #expect(sc.title.contains("SuperCOSMOS"))
        let cone = try #require(try h.find("arihip cone").results.first)
        #expect(cone.title.contains("ARIHIP") && cone.capabilities.contains { $0.serviceType == "scs" })
        let tap = try #require(try h.find("UKIDSS TAP").results.first)
        #expect(tap.capabilities.contains { $0.serviceType == "tap" })
    }

    @Test func everyTypedQueryAnswers() throws {
        for q in [#"""#, "-", "a -", #"NEAR("a")"#, "title:x", "* *", "OR", "AND NOT", #""unclosed phrase"#, "🙂 stars", "ivo://", "((("] {
            _ = try h.find(q)
        }
        #expect(try h.find("").total > 100)
    }
}
