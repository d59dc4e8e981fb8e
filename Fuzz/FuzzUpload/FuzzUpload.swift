// libFuzzer target: the TAP UPLOAD VOTable reader (TABLEDATA, BINARY, BINARY2 with the
// hardened XML parser), as a multipart part named by UPLOAD=t,param:t. Built and run by
// scripts/fuzz.sh (`make fuzz`).
//
// Checked beyond "no crash": reading throws only TAPError (typed throws); a table read has
// at least one column, and no two columns with the same name (they become SQL columns).
import CFuzzDriver
import ADQL
import Foundation
import TAPService

@_cdecl("FuzzUpload_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    voreg_fuzz_main(argc, argv, fuzzUpload)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUpload(_ input: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let data = input ?? UnsafePointer(emptyInput)
    let part = Array(UnsafeBufferPointer(start: data, count: size))
    let tables: [UploadedTable]
    do {
        tables = try UploadReader.read(
            parameter: "t,param:t", parts: ["t": part], maxBytes: 1 << 20,
            fetch: { _ in fatalError("no URL is named") })
    } catch {
        return 0
    }
    guard tables.count == 1, !tables[0].columns.isEmpty else { fatalError("UPLOAD t read as \(tables.count) tables") }
    let names = tables[0].columns.map(\.name)
    guard Set(names).count == names.count else { fatalError("duplicate column names \(names)") }
    return 0
}

nonisolated(unsafe) private let emptyInput = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
