// libFuzzer target: the publishing descriptor reader (YAML/JSON through Yams) and its
// expansion into a VOResource record. Built and run by scripts/fuzz.sh (`make fuzz`).
//
// Checked beyond "no crash": reading and expanding throw only PublishError (typed throws);
// an expanded record is well-formed XML that reads back as one record with the descriptor's
// identifier.
import CFuzzDriver
import Foundation
import Publisher
import VOResource

let now = Date(timeIntervalSince1970: 1_767_225_600)

@_cdecl("FuzzDescriptor_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    voreg_fuzz_main(argc, argv, fuzzDescriptor)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDescriptor(_ input: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let data = input ?? UnsafePointer(emptyInput)
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let descriptor = try? ServiceDescriptor.parse(text),
        let xml = try? descriptor.expand(now: now, dates: true)
    else { return 0 }
    let doc: RecordDocument
    do { doc = try RecordReader.read(data: Data(xml.utf8), name: "expanded") } catch {
        fatalError("the expansion of \(text.debugDescription) does not read: \(error)\n\(xml)")
    }
    guard doc.entries.count == 1, case .resource(let r) = doc.entries[0] else {
        fatalError("the expansion of \(text.debugDescription) is not one record: \(doc.entries)\n\(xml)")
    }
    guard r.resource.identifier == descriptor.identifier.trimmingCharacters(in: .whitespaces) else {
        fatalError("identifier \(descriptor.identifier.debugDescription) expanded as \(r.resource.identifier.debugDescription)")
    }
    return 0
}

nonisolated(unsafe) private let emptyInput = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
