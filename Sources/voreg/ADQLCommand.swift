import ADQL
import TAPService
import ArgumentParser
import Foundation

/// `voreg adql QUERY`: translates ADQL against the rr schema and prints the SQLite SQL.
struct ADQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adql",
        abstract: "Translate an ADQL query on the RegTAP rr schema to SQLite SQL.",
        discussion: "Reads the query from standard input when QUERY is absent or '-'. Exit status 1 for syntax errors, 2 for semantic errors.")

    @Argument(help: "The ADQL query ('-' or absent: standard input).")
    var query: String?

    @Option(help: "A row limit (as TAP's MAXREC) combined with TOP.")
    var maxrec: Int?

    func run() throws {
        var text = query ?? "-"
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let catalog = TAPService.fullCatalog
        do {
            let t = try ADQLTranslator.translate(text, catalog: catalog, rowLimit: maxrec)
            print(t.sql)
        } catch {
            printError(error.description)
            throw ExitCode(error.kind == .syntax ? 1 : 2)
        }
    }
}
