// libFuzzer target: the VOResource record reader (hardened libxml2 parse, bare record,
// ri:VOResources or OAI-PMH page), the RegTAP mapping of every record read, and the writer.
// Built and run by scripts/fuzz.sh (`make fuzz`).
//
// Checked beyond "no crash": every record read is mapped to RegTAP rows, written back, and the
// written XML reads again as one record with the same identifier.
import CFuzzDriver
import Foundation
import RegistryStore
import VOResource

let limits = XMLLimits(maxDocumentBytes: 1 << 20, maxDepth: 256)

@_cdecl("FuzzVOResource_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    voreg_fuzz_main(argc, argv, fuzzVOResource)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVOResource(_ input: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let data = input ?? UnsafePointer(emptyInput)
    let bytes = Data(bytes: data, count: size)
    guard let doc = try? RecordReader.read(data: bytes, name: "fuzz", limits: limits) else { return 0 }
    for entry in doc.entries {
        guard case .resource(let record) = entry else { continue }
        _ = RegTAPMapper.rows(for: record.resource)
        let written = VOResourceWriter.write(record.resource)
        let again: RecordDocument
        do { again = try RecordReader.read(data: Data(written.utf8), name: "written", limits: .default) } catch {
            fatalError("the written record does not read again: \(error)\n\(written)")
        }
        guard again.entries.count == 1, case .resource(let back) = again.entries[0] else {
            fatalError("the written record is not one record: \(again.entries)\n\(written)")
        }
        guard back.resource.identifier == record.resource.identifier else {
            fatalError("identifier \(record.resource.identifier.debugDescription) written back as \(back.resource.identifier.debugDescription)")
        }
    }
    return 0
}

nonisolated(unsafe) private let emptyInput = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
