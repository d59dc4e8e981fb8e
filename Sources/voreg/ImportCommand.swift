import ArgumentParser
import Foundation
import RegistryStore
import VOResource

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import VOResource records: files, directories, globs, ri:VOResources and OAI-PMH pages.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Mark the records as harvested from this registry (its ivoid or OAI-PMH URL).")
    var origin: String?

    @Option(help: "public (default) or internal; harvested records are always public.")
    var visibility: String = "public"

    @Option(help: "Largest document accepted, in MiB.")
    var maxDocumentMib: Int = 64

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Flag(help: "Skip schema validation (records are then stored as unchecked and served over OAI-PMH).")
    var noValidate = false

    @Option(help: "The Schemas directory (catalog.xml + driver schemas); found next to the binary by default.")
    var schemas: String?

    @Argument(help: "Files, directories or glob patterns.")
    var paths: [String]

    func run() throws {
        guard let vis = Visibility(rawValue: visibility) else {
            throw ValidationError("--visibility must be public or internal")
        }
        let recordOrigin: RecordOrigin = origin.map { .harvested($0) } ?? .local
        if vis == .internal, recordOrigin != .local {
            throw ValidationError("harvested records are always public: --visibility internal needs a local import")
        }
        let registry = try RegistryStore(path: store.database)
        var limits = XMLLimits.default
        limits.maxDocumentBytes = maxDocumentMib * 1024 * 1024
        var validator: SchemaValidator?
        if !noValidate {
            guard let dir = schemas ?? SchemaValidator.locateSchemasDirectory() else {
                throw ValidationError("no Schemas directory found (run `make schemas`, pass --schemas, or --no-validate)")
            }
            validator = try SchemaValidator(schemasDirectory: dir)
        }
        let importer = RecordImporter(
            store: registry, origin: recordOrigin, visibility: vis, limits: limits, validator: validator)
        let start = Date()
        let interactive = isatty(2) != 0
        let summary = try importer.importPaths(paths) { s in
            guard interactive else { return }
            let rate = Double(s.read) / max(Date().timeIntervalSince(start), 0.001)
            FileHandle.standardError.write(
                Data("\r\(s.files) files, \(s.line) (\(Int(rate)) records/s)".utf8))
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        if json {
            print(String(decoding: try jsonEncoder().encode(summary), as: UTF8.self))
        } else {
            print(summary.line)
            for r in summary.rejections {
                let where_ = r.index.map { "\(r.file)#\($0)" } ?? r.file
                print("rejected: \(where_) \(r.ivoid ?? "-") : \(r.reason)")
            }
            for r in summary.invalidRecords {
                let where_ = r.index.map { "\(r.file)#\($0)" } ?? r.file
                print("schema-invalid (stored, not served over OAI-PMH): \(where_) \(r.ivoid ?? "-") : \(r.reason)")
            }
        }
    }
}
