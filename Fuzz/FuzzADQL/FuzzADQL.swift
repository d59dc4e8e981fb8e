// libFuzzer target: ADQL parsing and translation against the RegTAP catalog, as public and as
// internal clients see it. Built and run by scripts/fuzz.sh (`make fuzz`).
//
// Checked beyond "no crash": translation either succeeds or throws ADQLError (typed throws);
// an error's position lies inside the query text; a successful translation is deterministic
// and its SQL honours the row limit; the public catalog never names an internal-only rr table.
import CFuzzDriver
import ADQL
import TAPService

let catalogs: [(name: String, catalog: ADQLCatalog)] = [
    ("public", TAPService.publicClientsCatalog), ("internal", TAPService.fullCatalog),
]

@_cdecl("FuzzADQL_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    voreg_fuzz_main(argc, argv, fuzzADQL)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzADQL(_ input: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let data = input ?? UnsafePointer(emptyInput)
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    for (name, catalog) in catalogs {
        do {
            let t = try ADQLTranslator.translate(text, catalog: catalog, rowLimit: 1001)
            let again = try ADQLTranslator.translate(text, catalog: catalog, rowLimit: 1001)
            guard again.sql == t.sql, again.columns.map(\.name) == t.columns.map(\.name) else {
                fatalError("\(name): translation is not deterministic for \(text.debugDescription)")
            }
            guard t.sql.contains("LIMIT") else {
                fatalError("\(name): no LIMIT in the SQL of \(text.debugDescription): \(t.sql)")
            }
            if name == "public", t.sql.range(of: #"\brr_(resource|capability|interface|table_column|res_table)\b"#, options: .regularExpression) != nil {
                fatalError("public: an rr table without its visibility view in \(t.sql)")
            }
        } catch {
            guard error.line >= 1, error.line <= lines + 1, error.column >= 1 else {
                fatalError("\(name): error position \(error.line):\(error.column) outside the query \(text.debugDescription): \(error)")
            }
        }
    }
    return 0
}

nonisolated(unsafe) private let emptyInput = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
