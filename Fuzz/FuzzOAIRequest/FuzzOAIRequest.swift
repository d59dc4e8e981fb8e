// libFuzzer target: OAI-PMH request arguments as they come over HTTP (a query string or form
// body → FormParameters → OAIRequest.parse). Built and run by scripts/fuzz.sh (`make fuzz`).
//
// Checked beyond "no crash": parsing throws only OAIError (typed throws); a request that
// parses, echoed (the request element of the response) and parsed again, is the same request;
// the provider answers every parameter list (over a store with the sample records) with a
// well-formed OAI-PMH document, error responses included.
import CFuzzDriver
import FuzzOAIFixture
import Foundation
import OAIPMH
import RegistryStore
import VOResource

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
