import ArgumentParser
import Foundation
import VOResource
import Harvester
import RegistryStore

struct PeersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peers",
        abstract: "The peer registries `voreg serve` harvests on a schedule.",
        subcommands: [Add.self, Remove.self, List.self, Discover.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a peer (or change its set and interval).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The peer's OAI-PMH base URL.") var url: String
        @Option(help: "The set to harvest (e.g. ivo_managed).") var set: String?
        @Option(help: "Its own harvest interval (e.g. 6h; default: the configured one).") var interval: String?

        func run() throws {
            guard let u = URL(string: url), ["http", "https"].contains(u.scheme?.lowercased() ?? "") else {
                throw ValidationError("the URL must be an http(s) URL")
            }
            var seconds: Int64?
            if let interval {
                guard let s = HarvestConfiguration.parseDuration(interval), s > 0 else {
                    throw ValidationError("--interval must be a duration like 12h")
                }
                seconds = s
            }
            let peers = PeerStore(store: try RegistryStore(path: store.database))
            let (url, set) = (self.url, self.set)
            let interval = seconds
            let (_, added) = try runAsync { try await peers.add(url: url, set: set, interval: interval, scheduled: true) }
            print("\(added ? "added" : "updated") peer \(url)\(set.map { " (set \($0))" } ?? "")")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a peer (its records stay unless --purge).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The peer's OAI-PMH base URL.") var url: String
        @Flag(help: "Also delete (tombstone) the records harvested from it.") var purge = false

        func run() throws {
            let peers = PeerStore(store: try RegistryStore(path: store.database))
            let (url, purge) = (self.url, self.purge)
            let (existed, n) = try runAsync { try await peers.remove(url: url, purge: purge) }
            guard existed else {
                printError("no peer \(url)")
                throw ExitCode(1)
            }
            print("removed peer \(url)" + (purge ? ", \(n) records deleted" : ""))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The peers with their harvest state.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let peers = PeerStore(store: try RegistryStore(path: store.database))
            let list = try runAsync { try await peers.list() }
            if json {
                let e = jsonEncoder()
                e.keyEncodingStrategy = .convertToSnakeCase
                print(String(decoding: try e.encode(list), as: UTF8.self))
                return
            }
            if list.isEmpty { print("no peers") }
            for p in list {
                print(p.url + (p.set.map { "  set=\($0)" } ?? "") + (p.scheduled ? "" : "  (not scheduled)"))
                print("  last success   \(formatTime(p.lastSuccess))  (\(p.lastMode ?? "-"), last full \(formatTime(p.lastFullSuccess)))")
                print("  last error     \(p.lastError.map { "\(formatTime(p.lastErrorTime)) \($0)" } ?? "-")")
                print("  records held   \(p.recordsHeld)")
                print("  duration       \(p.lastDuration.map { String(format: "%.1f s", $0) } ?? "-")")
                print("  next run       \(p.scheduled ? formatTime(p.nextRun ?? RegistryStore.now()) : "-")"
                    + (p.interval.map { "  (every \(HarvestConfiguration.formatDuration($0)))" } ?? ""))
                print("  last harvest   added \(p.last.added), updated \(p.last.updated), deleted \(p.last.deleted), rejected \(p.last.rejected), conflicts \(p.last.conflicts)")
                if p.runningSince != nil { print("  running since  \(formatTime(p.runningSince))") }
            }
        }
    }

    struct Discover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add every publishing registry a Registry of Registries lists as a peer (set ivo_managed).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var options: HarvestOptions
        @Argument(help: "The RofR's OAI-PMH base URL.") var rofr: String
        @Option(help: "This registry's ivoid (never added as a peer).") var registryIvoid: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let (config, authorities) = try options.resolve()
            let harvester = PeerHarvester(
                store: try RegistryStore(path: store.database), configuration: config,
                managedAuthorities: authorities, logger: try options.logger(),
                validator: SchemaValidator.locateSchemasDirectory().flatMap { try? SchemaValidator(schemasDirectory: $0) })
            let discovery = PeerDiscovery(harvester: harvester, ownIvoid: registryIvoid)
            let rofr = self.rofr
            let report = try runAsync {
                let r = await discovery.discover(rofr: rofr)
                await harvester.shutdown()
                return r
            }
            if json {
                print(String(decoding: try jsonEncoder().encode(report), as: UTF8.self))
            } else {
                print("\(report.registries) publishing registries, \(report.added.count) new peers, \(report.known.count) known")
                for a in report.added { print("added \(a)") }
                for s in report.skipped { print("skipped \(s)") }
                if let e = report.error { print("error: \(e)") }
            }
            if report.error != nil { throw ExitCode(1) }
        }
    }
}
