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
        for (k, v) in s.tables.sorted(by: { $0.key < $1.key }) { print("  \(pad(k, 20)) \(v)") }
        print("resources by res_type:")
        for (k, v) in s.resTypes.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { print("  \(pad(k, 24)) \(v)") }
        print("capabilities by standard_id:")
        for (k, v) in s.standards.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { print("  \(pad(k, 48)) \(v)") }
    }
}

/// Left-justifies to `width` without cutting longer values.
private func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

private let RecordStatusOrder = ["active", "inactive", "deleted"]
