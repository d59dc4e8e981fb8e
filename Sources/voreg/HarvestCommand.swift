import ArgumentParser
import Foundation
import VOResource
import Harvester
import Logging
import OAIPMH
import RegistryServer
import RegistryStore

/// Options shared by the commands that talk to peers.
struct HarvestOptions: ParsableArguments {
    @Option(help: "A JSON config file whose `harvest` settings and managed authorities apply.")
    var config: String?

    @Option(help: "An authority this registry manages (repeatable); its records are never harvested.")
    var managedAuthority: [String] = []

    @Option(help: "Retries of a request after a network error or 5xx answer.")
    var retries: Int?

    @Option(help: "Connect timeout (seconds or 10s, 1m ...).")
    var connectTimeout: String?

    @Option(help: "Read timeout (seconds or 60s, 2m ...).")
    var readTimeout: String?

    @Option(help: "Limit on the whole harvest (seconds or 30m, 6h ...).")
    var harvestTimeout: String?

    @Option(help: "Overlap of incremental harvests (default 1d): from = start of the last success minus this.")
    var overlap: String?

    @Option(help: "Log level of the harvester's log on standard error.")
    var logLevel: String = "warning"

    /// The harvest configuration and managed authorities these options give.
    func resolve() throws -> (HarvestConfiguration, [String]) {
        var settings = HarvestSettings()
        var authorities: [String] = []
        if let config {
            let file: ServerSettings
            do { file = try ServerSettings.load(file: config) } catch let e as ConfigurationError {
                throw ValidationError(e.description)
            }
            settings = file.harvest ?? settings
            authorities = file.managedAuthorities ?? []
        }
        var flags = HarvestSettings()
        flags.retries = retries
        flags.connectTimeout = connectTimeout
        flags.readTimeout = readTimeout
        flags.harvestTimeout = harvestTimeout
        flags.overlap = overlap
        do {
            return (try settings.overlaid(by: flags).resolved(), authorities + managedAuthority)
        } catch let e as ConfigurationError {
            throw ValidationError(e.description)
        }
    }

    func logger() throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        var l = Logger(label: "voreg.harvest") { label in StreamLogHandler.standardError(label: label) }
        l.logLevel = level
        return l
    }
}

struct HarvestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harvest",
        abstract: "Harvest one OAI-PMH endpoint (metadataPrefix=ivo_vor) into the store.",
        discussion: """
            Follows resumption tokens, one store transaction per page. Without --full or --from, \
            the first harvest of an endpoint is full and later ones are incremental (from the start \
            of the last successful harvest minus the overlap, one day). A full harvest that \
            completes deletes the endpoint's records it no longer sends. The endpoint's state is \
            kept in the store (see `voreg peers list`). Exit status 1 when the harvest failed.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: HarvestOptions

    @Argument(help: "The OAI-PMH base URL.")
    var url: String

    @Option(help: "The set to harvest (e.g. ivo_managed).")
    var set: String?

    @Option(help: "Harvest records changed since this date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).")
    var from: String?

    @Flag(help: "A full harvest (reconciles deletions).")
    var full = false

    @Flag(help: "A first load: drop the store's query indexes meanwhile and rebuild them after.")
    var bulk = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if full && from != nil { throw ValidationError("--full and --from exclude each other") }
        if let from, OAIDate(from) == nil { throw ValidationError("--from must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ") }
        guard let u = URL(string: url), ["http", "https"].contains(u.scheme?.lowercased() ?? "") else {
            throw ValidationError("the URL must be an http(s) URL")
        }
    }

    func run() throws {
        let (config, authorities) = try options.resolve()
        let logger = try options.logger()
        let registry = try RegistryStore(path: store.database)
        let harvester = PeerHarvester(
            store: registry, configuration: config, managedAuthorities: authorities, logger: logger,
            validator: SchemaValidator.locateSchemasDirectory().flatMap { try? SchemaValidator(schemasDirectory: $0) })
        let interactive = isatty(2) != 0
        let mode: HarvestMode = full ? .full : (from != nil ? .incremental : .auto)
        let fromSeconds = from.flatMap(OAIDate.init)?.seconds
        let (url, set, bulk) = (self.url, self.set, self.bulk)
        let report = try runAsync {
            let r = await harvester.harvest(url: url, set: set, mode: mode, from: fromSeconds, bulk: bulk) { p in
                let line = String(
                    format: "pages %d, records %d, %.1f s, %.0f records/s", p.pages, p.records, p.seconds, p.rate)
                if interactive {
                    FileHandle.standardError.write(Data("\r\(line)   ".utf8))
                } else if p.pages % 10 == 1 {
                    FileHandle.standardError.write(Data("\(line)\n".utf8))
                }
            }
            await harvester.shutdown()
            return r
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        if json {
            print(String(decoding: try jsonEncoder().encode(report), as: UTF8.self))
        } else {
            print(report.line)
            for r in report.rejections.prefix(50) { print("rejected: \(r.identifier ?? "-") : \(r.reason)") }
            for c in report.conflicts.prefix(50) { print("conflict: \(c.identifier ?? "-") : \(c.reason)") }
        }
        if !report.succeeded { throw ExitCode(1) }
    }
}
