import Foundation
import OAIPMH
import RegistryStore
import TestSupport
import Testing
import VOResource

/// A temp-dir store with an OAI-PMH provider over it, and helpers to read responses.
struct OAIHarness {
    let store: RegistryStore
    let provider: OAIProvider
    static let now: Int64 = 1_700_000_000

    init(pageSize: Int = 500, managed: [String] = ["Test.org", "example-dc.org"]) throws {
        let dir = NSTemporaryDirectory() + "voreg-oai-" + UUID().uuidString
        store = try RegistryStore(path: dir + "/store.sqlite")
        let registry = try String(contentsOfFile: Fixtures.samples + "/registry.xml", encoding: .utf8)
        provider = OAIProvider(
            configuration: OAIConfiguration(
                baseURL: "http://127.0.0.1:8080/oai", repositoryName: "Test <Registry> & Co",
                adminEmails: ["registry@test.org"], managedAuthorities: managed, registryRecordXML: registry,
                pageSize: pageSize, tokenLifetime: 3600),
            store: store)
    }

    /// The catalog service fixture (less its non-schema extension element) under another
    /// identifier, status and title.
    static func record(_ identifier: String, status: String = "active", title: String = "Test Catalog") -> String {
        Fixtures.catalogService.replacingOccurrences(of: "ivo://Test.Org/Cat", with: identifier)
            .replacingOccurrences(of: "status=\"active\"", with: "status=\"\(status)\"")
            .replacingOccurrences(of: "  Test   Catalog  ", with: title)
            .replacingOccurrences(of: "<extraStuff xmlns=\"http://example.org/ext\">kept</extraStuff>", with: "")
    }

    static func prepared(_ xml: String, visibility: Visibility = .public, origin: RecordOrigin = .local) throws
        -> PreparedRecord
    {
        let doc = try RecordReader.read(data: Data(xml.utf8))
        guard case .resource(let r) = doc.entries[0] else { throw RecordError("no record") }
        return PreparedRecord(r, origin: origin, visibility: visibility)
    }

    @discardableResult
    func ingest(_ xml: String, at datestamp: Int64, visibility: Visibility = .public, origin: RecordOrigin = .local)
        throws -> IngestOutcome
    {
        try store.ingest([.record(try Self.prepared(xml, visibility: visibility, origin: origin))], datestamp: datestamp)[0]
    }

    func ingestSample(_ file: String, at datestamp: Int64, visibility: Visibility = .public) throws {
        let xml = try String(contentsOfFile: Fixtures.samples + "/" + file, encoding: .utf8)
        #expect(try ingest(xml, at: datestamp, visibility: visibility) == .stored)
    }

    func delete(_ identifier: String, at datestamp: Int64) throws {
        _ = try store.ingest([.deleted(identifier: identifier, origin: .local)], datestamp: datestamp)
    }

    /// The response to a request, checked against the OAI-PMH + VOResource schemas.
    func respond(_ params: [(String, String)], now: Int64 = OAIHarness.now, validate: Bool = true) throws -> OAIResponse {
        var chunks: [String] = []
        try provider.respond(to: params.map { (name: $0.0, value: $0.1) }, now: now) { chunks.append($0) }
        let r = try OAIResponse(chunks.joined())
        if validate, let v = Self.validator {
            let issues = v.validate(r.doc)
            #expect(issues.isEmpty, "\(issues.prefix(3)) in\n\(r.text.prefix(3000))")
        }
        return r
    }

    static let validator: SchemaValidator? =
        Fixtures.haveSchemas
        ? try? SchemaValidator(
            schemaPath: Fixtures.schemas + "/oai-pmh-registry.xsd", catalogPath: Fixtures.schemas + "/catalog.xml")
        : nil
}

/// A parsed response.
struct OAIResponse {
    let text: String
    let doc: XMLDocument
    let root: XMLElement

    init(_ text: String) throws {
        self.text = text
        doc = try XMLDocument(data: Data(text.utf8))
        guard let r = doc.root, r.name == "OAI-PMH" else { throw RecordError("no OAI-PMH root") }
        root = r
    }

    /// The code of the first error element.
    var error: String? { root.child(named: "error")?.attribute("code") }
    var request: XMLElement? { root.child(named: "request") }
    func verb(_ name: String) -> XMLElement? { root.child(named: name) }

    /// Identifiers of the headers of a list or GetRecord response.
    var identifiers: [String] { headers.map { $0.child(named: "identifier")?.text ?? "" } }

    var headers: [XMLElement] {
        guard let v = root.children.first(where: { ["ListIdentifiers", "ListRecords", "GetRecord"].contains($0.name) })
        else { return [] }
        return v.name == "ListIdentifiers" ? v.children(named: "header") : v.children(named: "record").compactMap { $0.child(named: "header") }
    }

    var records: [XMLElement] { (verb("ListRecords") ?? verb("GetRecord"))?.children(named: "record") ?? [] }

    var token: XMLElement? { (verb("ListRecords") ?? verb("ListIdentifiers"))?.child(named: "resumptionToken") }
}
