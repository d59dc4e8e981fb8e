import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OAIPMH
import RegistryServer
import RegistryStore
import TestSupport
import Testing
import VOResource

/// Log lines captured by a test.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.withLock { lines.append(s) } }
    var all: [String] { lock.withLock { lines } }
}

/// A server over a temp store holding the sample records (internal ones internal).
struct ServerHarness {
    let server: RegistryServer
    let logs = LogLines()
    let directory: String

    init(pageSize: Int = 500, samples: Bool = true, edit: (inout ServerSettings) -> Void = { _ in }) throws {
        directory = NSTemporaryDirectory() + "voreg-server-" + UUID().uuidString
        var s = ServerConfiguration.defaults
        s.database = directory + "/store.sqlite"
        s.sampleRecords = samples ? Fixtures.samples : ""
        s.listen = "127.0.0.1:18080"
        s.baseURL = "http://registry.test:18080"
        s.pageSize = pageSize
        edit(&s)
        let logs = self.logs
        let output = JSONLogHandler.Output { logs.append($0) }
        let logger = Logger(label: "test") { JSONLogHandler(label: $0, level: .info, output: output) }
        server = try RegistryServer(configuration: try ServerConfiguration(s), logger: logger)
    }

    /// Runs `body` against the router (no sockets).
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = Application(router: server.makeRouter())
        return try await app.test(.router, body)
    }

    static let validator: SchemaValidator? =
        Fixtures.haveSchemas
        ? try? SchemaValidator(
            schemaPath: Fixtures.schemas + "/oai-pmh-registry.xsd", catalogPath: Fixtures.schemas + "/catalog.xml")
        : nil

    static let recordValidator: SchemaValidator? =
        Fixtures.haveSchemas ? try? SchemaValidator(schemasDirectory: Fixtures.schemas) : nil
}

/// A parsed OAI-PMH response, schema-checked when the schemas are present.
struct Page {
    let text: String
    let root: XMLElement
    let doc: XMLDocument

    init(_ response: TestResponse) throws {
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/xml; charset=utf-8")
        text = String(buffer: response.body)
        doc = try XMLDocument(data: Data(text.utf8))
        guard let r = doc.root, r.name == "OAI-PMH" else { throw RecordError("no OAI-PMH root in \(text.prefix(300))") }
        root = r
        if let v = ServerHarness.validator {
            let issues = v.validate(doc)
            #expect(issues.isEmpty, "\(issues.prefix(3))")
        }
    }

    var error: String? { root.child(named: "error")?.attribute("code") }
    func verb(_ name: String) -> XMLElement? { root.child(named: name) }
    var identifiers: [String] {
        (verb("ListRecords")?.children(named: "record") ?? []).compactMap {
            $0.child(named: "header")?.child(named: "identifier")?.text
        }
    }
    var token: String? { verb("ListRecords")?.child(named: "resumptionToken")?.text }
    /// The text without what follows the clock: responseDate, and the resumption token's
    /// text and expirationDate (tokens carry their issue time).
    var withoutDate: String {
        text.replacingOccurrences(of: #"<responseDate>[^<]*</responseDate>"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #"expirationDate="[^"]*""#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #">[^<]+</resumptionToken>"#, with: "/>", options: .regularExpression)
    }
}

@Suite struct ServerTests {
    @Test func identifyCarriesTheRegistryRecordAndBaseURL() async throws {
        let h = try ServerHarness()
        try await h.test { client in
            let page = try Page(try await client.execute(uri: "/oai?verb=Identify", method: .get))
            #expect(page.error == nil)
            let identify = try #require(page.verb("Identify"))
            #expect(identify.child(named: "baseURL")?.text == "http://registry.test:18080/oai")
            #expect(page.root.child(named: "request")?.text == "http://registry.test:18080/oai")
            #expect(identify.child(named: "repositoryName")?.text == "VORegistry publishing registry")
            #expect(identify.child(named: "adminEmail")?.text == "registry@voregistry.example")
            let resource = try #require(identify.child(named: "description")?.children.first)
            #expect(resource.name == "Resource")
            #expect(resource.attribute("type", namespace: XMLNamespaces.xsi) == "vg:Registry")
            #expect(resource.child(named: "identifier")?.text == "ivo://voregistry.example/registry")
            let cap = try #require(resource.child(named: "capability"))
            #expect(cap.attribute("standardID") == "ivo://ivoa.net/std/Registry")
            #expect(cap.child(named: "interface")?.child(named: "accessURL")?.text == "http://registry.test:18080/oai")
            #expect(cap.child(named: "maxRecords")?.text == "500")
            #expect(resource.children(named: "managedAuthority").map(\.text) == ["voregistry.example", "example-dc.org"])
            #expect(resource.child(named: "full")?.text == "true")
        }
    }

    @Test func getAndPostGiveTheSameListRecords() async throws {
        let h = try ServerHarness(pageSize: 4)
        try await h.test { client in
            let query = "verb=ListRecords&metadataPrefix=ivo_vor"
            var get = try Page(try await client.execute(uri: "/oai?" + query, method: .get))
            var post = try Page(
                try await client.execute(
                    uri: "/oai", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: query)))
            #expect(get.error == nil)
            #expect(get.identifiers.count == 4)
            #expect(get.withoutDate == post.withoutDate)
            // Follow the tokens both ways: same pages, every public sample, no internal one.
            var all = get.identifiers
            while let token = get.token, !token.isEmpty {
                let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                get = try Page(
                    try await client.execute(uri: "/oai?verb=ListRecords&resumptionToken=" + encoded, method: .get))
                post = try Page(
                    try await client.execute(
                        uri: "/oai", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                        body: ByteBuffer(string: "verb=ListRecords&resumptionToken=" + encoded)))
                #expect(get.withoutDate == post.withoutDate)
                all += get.identifiers
            }
            #expect(all.count == 10)
            #expect(Set(all).count == all.count)
            #expect(all.contains("ivo://voregistry.example/registry"))
            #expect(all.contains("ivo://voregistry.example"))
            #expect(all.contains("ivo://example-dc.org"))
            #expect(!all.contains { $0.contains("/internal/") })
        }
    }

    @Test func protocolErrorsAreHTTP200() async throws {
        let h = try ServerHarness()
        try await h.test { client in
            #expect(try Page(try await client.execute(uri: "/oai?verb=Nonsense", method: .get)).error == "badVerb")
            #expect(try Page(try await client.execute(uri: "/oai", method: .get)).error == "badVerb")
            #expect(
                try Page(try await client.execute(uri: "/oai?verb=Identify&verb=Identify", method: .get)).error
                    == "badVerb")
            #expect(
                try Page(try await client.execute(uri: "/oai?verb=ListRecords", method: .get)).error == "badArgument")
            #expect(
                try Page(
                    try await client.execute(
                        uri: "/oai?verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo%3A%2F%2Fexample-dc.org%2Finternal%2Ftap",
                        method: .get)
                ).error == "idDoesNotExist")
            let r = try await client.execute(
                uri: "/oai", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            #expect(r.status == .unsupportedMediaType)
        }
    }

    @Test func largeResponsesStreamInChunks() async throws {
        let h = try ServerHarness()
        // 60 more records of ~5 KB: one ListRecords page well over the 64 KB chunk size.
        let base = try String(contentsOfFile: Fixtures.samples + "/scs.xml", encoding: .utf8)
        var items: [IngestItem] = []
        for i in 0..<60 {
            let xml = base.replacingOccurrences(
                of: "ivo://example-dc.org/survey/cone", with: "ivo://example-dc.org/bulk/\(i)")
            let doc = try RecordReader.read(data: Data(xml.utf8))
            guard case .resource(let r) = doc.entries[0] else { throw RecordError("no record") }
            items.append(.record(PreparedRecord(r, origin: .local)))
        }
        _ = try h.server.store.ingest(items)
        try await h.test { client in
            let page = try Page(
                try await client.execute(uri: "/oai?verb=ListRecords&metadataPrefix=ivo_vor", method: .get))
            #expect(page.text.utf8.count > 3 * 64 * 1024)
            #expect(page.identifiers.count == 70)
        }
    }

    @Test func metricsCountRequestsAndRecords() async throws {
        let h = try ServerHarness()
        try await h.test { client in
            _ = try await client.execute(uri: "/oai?verb=Identify", method: .get)
            _ = try await client.execute(uri: "/oai?verb=Bad", method: .get)
            _ = try await client.execute(uri: "/nowhere", method: .get)
            let r = try await client.execute(uri: "/metrics", method: .get)
            #expect(r.status == .ok)
            let text = String(buffer: r.body)
            #expect(text.contains(#"voreg_http_requests_total{route="/oai",method="GET",status="200"} 2"#), "\(text)")
            #expect(text.contains(#"voreg_http_requests_total{route="other",method="GET",status="404"} 1"#))
            #expect(text.contains(#"voreg_http_request_duration_seconds_bucket{route="/oai",le="+Inf"} 2"#))
            #expect(text.contains(#"voreg_records{status="active",visibility="public"} 10"#))
            #expect(text.contains(#"voreg_records{status="active",visibility="internal"} 3"#))
        }
        // One JSON object per line, with the request's fields.
        let requests = try h.logs.all.map { line -> [String: Any] in
            #expect(line.hasSuffix("\n") && !line.dropLast().contains("\n"))
            return try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }.filter { $0["message"] as? String == "request" }
        #expect(requests.count >= 3)
        let first = try #require(requests.first)
        #expect(first["method"] as? String == "GET")
        #expect(first["path"] as? String == "/oai")
        #expect(first["status"] as? Int == 200)
        #expect(first["duration_ms"] is Double)
        #expect(first["level"] as? String == "info")
        #expect(first["timestamp"] is String)
    }

    @Test func generatedRecordsAreSchemaValid() throws {
        var s = ServerConfiguration.defaults
        s.managedAuthorities = ["voregistry.example", "example-dc.org", "third.example"]
        s.title = "A <special> & \"quoted\" registry"
        let c = try ServerConfiguration(s)
        let records = RegistryIdentity(configuration: c).records
        #expect(records.map(\.identifier) == [
            "ivo://voregistry.example/registry", "ivo://voregistry.example", "ivo://example-dc.org",
            "ivo://third.example",
        ])
        guard let v = ServerHarness.recordValidator else { return }
        for r in records {
            let xml = r.xml(created: "2025-01-01T00:00:00Z", updated: "2025-01-02T00:00:00Z")
            let results = v.validateRecords(data: Data(xml.utf8), file: r.identifier)
            #expect(results.count == 1)
            #expect(results.allSatisfy { $0.isValid }, "\(results.map(\.issues))\n\(xml)")
        }
    }

    @Test func republishingKeepsDatestampsUnlessTheConfigChanges() throws {
        let dir = NSTemporaryDirectory() + "voreg-identity-" + UUID().uuidString
        let store = try RegistryStore(path: dir + "/s.sqlite")
        var s = ServerConfiguration.defaults
        s.database = dir + "/s.sqlite"
        let c = try ServerConfiguration(s)
        let first = try RegistryIdentity(configuration: c).publish(to: store, now: 1_700_000_000)
        #expect(first.outcomes.allSatisfy { $0.outcome == .stored })
        let again = try RegistryIdentity(configuration: c).publish(to: store, now: 1_700_100_000)
        #expect(again.outcomes.allSatisfy { $0.outcome == .unchanged })
        #expect(again.registryXML == first.registryXML)
        #expect(try store.record(identifier: c.registryIvoid)?.datestamp == 1_700_000_000)

        s.pageSize = 100
        let changed = try RegistryIdentity(configuration: try ServerConfiguration(s)).publish(to: store, now: 1_700_200_000)
        #expect(changed.outcomes.map(\.outcome) == [.stored, .unchanged, .unchanged])
        let rec = try #require(try store.record(identifier: c.registryIvoid))
        #expect(rec.datestamp == 1_700_200_000)
        #expect(rec.xml?.contains("created=\"2023-11-14T22:13:20Z\"") == true)
        #expect(rec.xml?.contains("updated=\"2023-11-17T05:46:40Z\"") == true)
    }

    @Test func configurationPrecedence() throws {
        var file = ServerSettings()
        file.listen = "127.0.0.1:9000"
        file.pageSize = 50
        file.database = "file.sqlite"
        file.title = "From the file"
        let env = try ServerSettings.environment(["VOREG_PAGE_SIZE": "60", "VOREG_DATABASE": "env.sqlite"])
        var flags = ServerSettings()
        flags.database = "flag.sqlite"
        let c = try ServerConfiguration.resolve(file: file, environment: env, flags: flags)
        #expect(c.port == 9000 && c.host == "127.0.0.1")
        #expect(c.baseURL == "http://127.0.0.1:9000")
        #expect(c.oaiURL == "http://127.0.0.1:9000/oai")
        #expect(c.pageSize == 60)
        #expect(c.database == "flag.sqlite")
        #expect(c.title == "From the file")
        #expect(c.publisher == "VORegistry Project")

        let d = try ServerConfiguration.resolve(file: nil, environment: ServerSettings(), flags: ServerSettings())
        #expect(d.host == "127.0.0.1" && d.port == 8080 && d.database == "var/voreg.sqlite" && d.pageSize == 500)

        #expect(throws: ConfigurationError.self) { try ServerSettings.environment(["VOREG_PAGE_SIZE": "many"]) }
        var bad = ServerSettings()
        bad.registryIvoid = "http://not.an.ivoid"
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(file: bad, environment: ServerSettings(), flags: ServerSettings())
        }
        bad = ServerSettings()
        bad.managedAuthorities = ["a b"]
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(file: bad, environment: ServerSettings(), flags: ServerSettings())
        }
    }

    @Test func theShippedConfigFileLoads() throws {
        let file = try ServerSettings.load(file: Fixtures.root + "/Resources/voreg.json")
        let c = try ServerConfiguration.resolve(file: file, environment: ServerSettings(), flags: ServerSettings())
        #expect(c.registryIvoid == "ivo://voregistry.example/registry")
        #expect(c.managedAuthorities == ["voregistry.example", "example-dc.org"])
    }

    @Test func formDecoding() {
        let p = FormParameters.parse("verb=List+Records&identifier=ivo%3A%2F%2Fa%2Fb&&x&verb=2")
        #expect(p.map(\.name) == ["verb", "identifier", "x", "verb"])
        #expect(p.map(\.value) == ["List Records", "ivo://a/b", "", "2"])
    }
}
