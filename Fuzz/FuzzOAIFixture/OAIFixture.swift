// Shared by the OAI-PMH fuzz targets (FuzzOAIRequest, FuzzResumptionToken): a provider over a
// store of the sample records, and the check every one of its answers must pass.
import Foundation
import OAIPMH
import RegistryStore
import VOResource

/// A store with the sample records (Resources/records, public) in a temporary directory and an
/// OAI-PMH provider over it with two records a page, so that lists issue resumption tokens.
public let provider: OAIProvider = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let dir = NSTemporaryDirectory() + "voreg-fuzz-oai-\(getpid())"
    try? FileManager.default.removeItem(atPath: dir)
    let store = try! RegistryStore(path: dir + "/store.sqlite")
    let records = root.appendingPathComponent("Resources/records")
    var datestamp: Int64 = 1_700_000_000
    for file in try! FileManager.default.contentsOfDirectory(atPath: records.path).sorted() where file.hasSuffix(".xml") {
        let doc = try! RecordReader.read(data: try! Data(contentsOf: records.appendingPathComponent(file)))
        guard case .resource(let r) = doc.entries[0] else { continue }
        _ = try! store.ingest([.record(PreparedRecord(r, origin: .local, visibility: .public))], datestamp: datestamp)
        datestamp += 1000
    }
    return OAIProvider(
        configuration: OAIConfiguration(
            baseURL: "http://127.0.0.1:8080/oai", repositoryName: "fuzz", adminEmails: ["a@b.c"],
            managedAuthorities: ["example-dc.org", "voregistry.example"], pageSize: 2, tokenLifetime: 86_400),
        store: store)
}()

/// Answers a request and checks that the response is a well-formed OAI-PMH document.
public func respondAndCheck(_ parameters: [(name: String, value: String)], now: Int64) {
    var chunks: [String] = []
    do { try provider.respond(to: parameters, now: now) { chunks.append($0) } } catch {
        fatalError("the provider failed (store error) for \(parameters): \(error)")
    }
    let xml = chunks.joined()
    do {
        let doc = try XMLDocument(data: Data(xml.utf8), url: "response")
        guard doc.root?.name == "OAI-PMH" else { fatalError("the response to \(parameters) is not OAI-PMH:\n\(xml)") }
    } catch {
        fatalError("the response to \(parameters) is not well-formed: \(error)\n\(xml)")
    }
}
