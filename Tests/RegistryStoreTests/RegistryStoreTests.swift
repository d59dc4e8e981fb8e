import Foundation
import GRDB
import TestSupport
import Testing
import VOResource

@testable import RegistryStore

/// The store's transactions: replace, unchanged, tombstones, rollback.
@Suite struct RegistryStoreTests {
    let dir: String
    let store: RegistryStore

    init() throws {
        dir = NSTemporaryDirectory() + "voreg-test-" + UUID().uuidString
        store = try RegistryStore(path: dir + "/store.sqlite")
    }

    func prepared(_ xml: String, origin: RecordOrigin = .local, visibility: Visibility = .public) throws
        -> PreparedRecord
    {
        let doc = try RecordReader.read(data: Data(xml.utf8))
        guard case .resource(let r) = doc.entries[0] else { throw RecordError("no record") }
        return PreparedRecord(r, origin: origin, visibility: visibility)
    }

    func count(_ table: String, _ ivoid: String = "ivo://test.org/cat") throws -> Int {
        try store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE ivoid = ?", arguments: [ivoid]) ?? 0
        }
    }

    /// Every row of every table, for "nothing changed" comparisons.
    func snapshot() throws -> [String] {
        try store.pool.read { db in
            var out: [String] = []
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'rr_fts_%' ORDER BY name")
            for t in tables {
                out += try Row.fetchAll(db, sql: "SELECT * FROM \"\(t)\"").map { "\(t): \($0)" }
            }
            return out
        }
    }

    @Test func storesAllTablesAndFullText() throws {
        let out = try store.ingest([.record(try prepared(Fixtures.catalogService))])
        #expect(out == [.stored])
        #expect(try count("rr_resource") == 1)
        #expect(try count("rr_table_column") == 3)
        #expect(try count("rr_interface") == 3)
        let hits = try store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM rr_fts WHERE rr_fts MATCH 'stars'")
        }
        #expect(hits == 1)
    }

    /// The cell index follows the coverage: written with the record, replaced with it,
    /// removed by a tombstone, and rebuilt from the stored coverages by the migration.
    @Test func spatialCellIndexFollowsTheRecord() throws {
        func cells() throws -> (Int, Int, [Int64]) {
            try store.pool.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM rr_stc_cell WHERE ivoid = 'ivo://test.org/cat'") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM rr_stc_cell_rtree") ?? -1,
                 try Int64.fetchAll(db, sql: "SELECT lo FROM rr_stc_cell_rtree ORDER BY lo"))
            }
        }
        _ = try store.ingest([.record(try prepared(Fixtures.catalogService))], datestamp: 1000)
        let cov = try #require(try store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT coverage FROM rr_stc_spatial WHERE ivoid = 'ivo://test.org/cat'")
        })
        let want = try #require(SpatialIndex.ranges(ascii: cov))
        #expect(!want.isEmpty)
        #expect(try cells() == (want.count, want.count, want.map { Int64($0.lowerBound) }))
        // replaced by a record with another coverage
        let moved = Fixtures.catalogService.replacingOccurrences(of: cov, with: "2/100")
        #expect(moved != Fixtures.catalogService)
        _ = try store.ingest([.record(try prepared(moved))], datestamp: 2000)
        #expect(try cells() == (1, 1, [100 << 12]))
        // rebuilt from the stored coverage (migration v4 on an older store)
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER rr_stc_spatial_cells_delete")
            try db.execute(sql: "DROP TABLE rr_stc_cell")
            try db.execute(sql: "DROP TABLE rr_stc_cell_rtree")
            try SpatialIndex.create(db)
        }
        #expect(try cells() == (1, 1, [100 << 12]))
        // a tombstone removes it
        _ = try store.ingest([.deleted(identifier: "ivo://test.org/cat", origin: .local)], datestamp: 3000)
        #expect(try cells() == (0, 0, []))
    }

    @Test func reImportIsUnchangedAndKeepsTheDatestamp() throws {
        _ = try store.ingest([.record(try prepared(Fixtures.catalogService))], datestamp: 1000)
        let again = try store.ingest([.record(try prepared(Fixtures.catalogService))], datestamp: 2000)
        #expect(again == [.unchanged])
        #expect(try store.record(identifier: "ivo://TEST.org/cat")?.datestamp == 1000)
    }

    @Test func replacingRemovesEveryOldRow() throws {
        _ = try store.ingest([.record(try prepared(Fixtures.catalogService))], datestamp: 1000)
        let smaller = Fixtures.catalogService.replacingOccurrences(
            of: "<column><name>Dec</name></column>", with: ""
        ).replacingOccurrences(of: "<subject>Stars</subject>", with: "<subject>Galaxies</subject>")
        #expect(try store.ingest([.record(try prepared(smaller))], datestamp: 2000) == [.stored])
        #expect(try count("rr_table_column") == 2)
        #expect(try count("rr_resource") == 1)
        #expect(try count("rr_capability") == 2)
        #expect(try store.record(identifier: "ivo://test.org/cat")?.datestamp == 2000)
        let (stars, galaxies) = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM rr_fts WHERE rr_fts MATCH 'subjects:stars'") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM rr_fts WHERE rr_fts MATCH 'galaxies'") ?? -1)
        }
        #expect(stars == 0)
        #expect(galaxies == 1)
    }

    @Test func inactiveAndDeletedRecordsHaveNoRRRows() throws {
        _ = try store.ingest([.record(try prepared(Fixtures.catalogService))])
        let inactive = Fixtures.catalogService.replacingOccurrences(of: "status=\"active\"", with: "status=\"inactive\"")
        #expect(try store.ingest([.record(try prepared(inactive))]) == [.stored])
        #expect(try count("rr_resource") == 0)
        #expect(try count("rr_res_detail") == 0)
        #expect(try store.record(identifier: "ivo://test.org/cat")?.status == .inactive)
        #expect(try store.ingest([.deleted(identifier: "ivo://Test.Org/Cat", origin: .local)]) == [.deleted])
        let rec = try #require(try store.record(identifier: "ivo://test.org/cat"))
        #expect(rec.status == .deleted)
        #expect(rec.xml == nil)
        #expect(try store.ingest([.deleted(identifier: "ivo://test.org/cat", origin: .local)]) == [.unchanged])
    }

    @Test func aFailingItemIsRolledBackAlone() throws {
        _ = try store.ingest([.record(try prepared(Fixtures.catalogService))], datestamp: 1000)
        let before = try snapshot()
        // internal visibility is only for local records: the store's CHECK refuses it
        let bad = try prepared(Fixtures.catalogService.replacingOccurrences(of: "Test   Catalog", with: "Changed"),
                               origin: .harvested("ivo://peer/registry"), visibility: .internal)
        let out = try store.ingest([.record(bad)], datestamp: 2000)
        guard case .rejected(let why) = out[0] else {
            Issue.record("expected a rejection, got \(out)")
            return
        }
        #expect(why.contains("CHECK"))
        #expect(try snapshot() == before)
    }

    @Test func statisticsCountEveryTable() throws {
        _ = try store.ingest([.record(try prepared(Fixtures.catalogService))])
        let s = try store.statistics()
        #expect(s.tables.count == RRTable.allCases.count)
        #expect(s.tables["rr.resource"] == 1)
        #expect(s.tables["rr.table_column"] == 3)
        #expect(s.resTypes["vs:catalogservice"] == 1)
        #expect(s.standards["ivo://ivoa.net/std/tap"] == 1)
        #expect(s.records["active"] == 1)
    }

    @Test func tapTableViewListsTablesOfTAPServices() throws {
        _ = try store.ingest([.record(try prepared(Fixtures.catalogService))])
        let names = try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT table_name FROM rr_tap_table WHERE svcid = 'ivo://test.org/cat' ORDER BY 1")
        }
        #expect(names == ["Main.Stars", "aux.Notes"])
    }
}
