import ArgumentParser
import Foundation
import RegistryStore

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Row counts per rr table, resources per type, capabilities per standard.")

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print JSON (keys are qualified table names, e.g. rr.resource).")
    var json = false

    func run() throws {
        let registry = try RegistryStore(path: store.database)
        let s = try registry.statistics()
        if json {
            print(String(decoding: try jsonEncoder().encode(s), as: UTF8.self))
            return
        }
        print("records: " + RecordStatusOrder.map { "\($0) \(s.records[$0] ?? 0)" }.joined(separator: ", "))
        print("rr tables:")
        for (k, v) in s.tables.sorted(by: { $0.key < $1.key }) { print("  \(k.padding(toLength: 20, withPad: " ", startingAt: 0)) \(v)") }
        print("resources by res_type:")
        for (k, v) in s.resTypes.sorted(by: { $0.value > $1.value }) { print("  \(k.padding(toLength: 24, withPad: " ", startingAt: 0)) \(v)") }
        print("capabilities by standard_id:")
        for (k, v) in s.standards.sorted(by: { $0.value > $1.value }) { print("  \(k.padding(toLength: 48, withPad: " ", startingAt: 0)) \(v)") }
    }
}

private let RecordStatusOrder = ["active", "inactive", "deleted"]
