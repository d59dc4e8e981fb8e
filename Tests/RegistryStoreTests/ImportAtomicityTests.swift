import Foundation
import GRDB
import TestSupport
import Testing

@testable import RegistryStore

/// Counts the write transactions committed on a connection.
final class CommitCounter: TransactionObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var commits: Int { lock.withLock { n } }
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { lock.withLock { n += 1 } }
    func databaseDidRollback(_ db: Database) {}
}

@Suite struct ImportAtomicityTests {
    @Test("the sample records, public and internal, can be imported in one transaction (a crash leaves all or none)")
    func oneTransaction() throws {
        let dir = NSTemporaryDirectory() + "voreg-test-" + UUID().uuidString
        let store = try RegistryStore(path: dir + "/store.sqlite")
        let counter = CommitCounter()
        store.pool.add(transactionObserver: counter, extent: .observerLifetime)
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.samples)
            .filter { $0.hasSuffix(".xml") }.sorted().map { Fixtures.samples + "/" + $0 }
        let summary = try RecordImporter(
            store: store, batchSize: .max,
            fileVisibility: { ($0 as NSString).lastPathComponent.hasPrefix("internal-") ? .internal : .public }
        ).importPaths(files)
        #expect(summary.stored == files.count)
        #expect(counter.commits == 1)
        let byVisibility = try store.pool.read { db -> [String: Int] in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT visibility, count(*) AS n FROM records GROUP BY 1") {
                let v: String = row["visibility"]
                let n: Int = row["n"]
                out[v] = n
            }
            return out
        }
        let internalFiles = files.filter { ($0 as NSString).lastPathComponent.hasPrefix("internal-") }.count
        #expect(internalFiles > 0)
        #expect(byVisibility == ["internal": internalFiles, "public": files.count - internalFiles])
    }
}
