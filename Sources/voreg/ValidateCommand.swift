import ArgumentParser
import Foundation
import RegistryStore
import VOResource

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate records against the IVOA schemas (offline, via Schemas/catalog.xml).",
        discussion: "One line per record: identifier, VALID, or INVALID with the first errors. Exit 1 if any is invalid.")

    @Option(help: "The Schemas directory (default: $VOREG_SCHEMAS, ./Schemas, or next to the executable).")
    var schemas: String?

    @Option(help: "How many errors to print per invalid record.")
    var maxErrors: Int = 3

    @Argument(help: "Files, directories or glob patterns.")
    var paths: [String]

    func run() throws {
        guard let dir = schemas ?? SchemaValidator.locateSchemasDirectory() else {
            throw ValidationError("no Schemas directory with catalog.xml found (use --schemas or VOREG_SCHEMAS)")
        }
        let validator = try SchemaValidator(schemasDirectory: dir)
        var anyInvalid = false
        for file in try RecordImporter.expand(paths) {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                print("-\tINVALID\t\(file):0: cannot read: \(error.localizedDescription)")
                anyInvalid = true
                continue
            }
            for v in validator.validateRecords(data: data, file: file) {
                if v.isValid {
                    print("\(v.identifier)\tVALID")
                } else {
                    anyInvalid = true
                    let errs = v.issues.prefix(maxErrors).map { "\(file):\($0.line): \($0.message)" }
                    print("\(v.identifier)\tINVALID\t" + errs.joined(separator: " | "))
                }
            }
        }
        if anyInvalid { throw ExitCode(1) }
    }
}
