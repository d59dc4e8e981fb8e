import ArgumentParser
import Foundation

/// `voreg`: the VORegistry command line.
@main
struct Voreg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voreg",
        abstract: "VORegistry: an IVOA registry and capability publisher.",
        subcommands: [
            ImportCommand.self, ValidateCommand.self, StatsCommand.self, ServeCommand.self, HarvestCommand.self,
            PeersCommand.self, ADQLCommand.self, UserCommand.self, PublishCommand.self, PushCommand.self,
        ])
}

/// Options shared by every subcommand that touches a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store file.")
    var database: String = "var/voreg.sqlite"
}

/// Writes a line to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// A JSON encoder that writes `ivo://` without escaping slashes.
func jsonEncoder() -> JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return e
}
