// libFuzzer target: OAI-PMH request arguments as they come over HTTP (a query string or form
// body → FormParameters → OAIRequest.parse). Built and run by scripts/fuzz.sh (`make fuzz`).
//
// Checked beyond "no crash": parsing throws only OAIError (typed throws); a request that
// parses, echoed (the request element of the response) and parsed again, is the same request;
// the provider answers every parameter list (over a store with the sample records) with a
// well-formed OAI-PMH document, error responses included.
import CFuzzDriver
import Foundation
import OAIPMH
import RegistryStore
import VOResource

/// A store with the sample records (Resources/records, public) in a temporary directory and an
/// OAI-PMH provider over it with two records a page, so that lists issue resumption tokens.
let provider: OAIProvider = {
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
func respondAndCheck(_ parameters: [(name: String, value: String)], now: Int64) {
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

@_cdecl("FuzzOAIRequest_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    voreg_fuzz_main(argc, argv, fuzzOAIRequest)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOAIRequest(_ input: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let data = input ?? UnsafePointer(emptyInput)
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parameters = FormParameters.parse(text)
    respondAndCheck(parameters, now: 1_767_225_600)
    guard let request = try? OAIRequest.parse(parameters) else { return 0 }
    let echo = request.echo
    guard echo.first?.name == "verb", echo.first?.value == request.verb.rawValue else {
        fatalError("the echo does not start with the verb: \(echo)")
    }
    let again: OAIRequest
    do { again = try OAIRequest.parse(echo) } catch {
        fatalError("the echo of \(request) does not parse again: \(error)")
    }
    guard again == request else { fatalError("\(request) echoed reads back as \(again)") }
    return 0
}

nonisolated(unsafe) private let emptyInput = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
