import GRDB
import MOC

/// The cell index of `rr_stc_spatial.coverage`: each coverage MOC as ranges of HEALPix cells at
/// `order` (an R*Tree over the ranges, `rr_stc_cell_rtree`, and the owner of each range,
/// `rr_stc_cell`), so a position search reads the few resources whose coverage touches the
/// searched cells instead of comparing every MOC.
///
/// Rows are added by the writer when it inserts `rr_stc_spatial` rows; a trigger removes them
/// when those rows are deleted (every delete path: replacement, tombstone, harvest).
public enum SpatialIndex {
    /// The index order: cells of about 13.7 arcmin; cell numbers fit rtree_i32's 32 bits.
    public static let order = 8
    /// The most ranges one coverage contributes (neighbouring ranges are merged beyond that:
    /// the index may over-select, never under-select).
    public static let maxRangesPerCoverage = 256

    /// The SQL of the tables and the delete trigger.
    static let ddl: [String] = [
        "CREATE VIRTUAL TABLE IF NOT EXISTS rr_stc_cell_rtree USING rtree_i32(id, lo, hi)",
        "CREATE TABLE IF NOT EXISTS rr_stc_cell (id INTEGER PRIMARY KEY, ivoid TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS rr_stc_cell_ivoid ON rr_stc_cell (ivoid)",
        """
        CREATE TRIGGER IF NOT EXISTS rr_stc_spatial_cells_delete AFTER DELETE ON rr_stc_spatial BEGIN
          DELETE FROM rr_stc_cell_rtree WHERE id IN (SELECT id FROM rr_stc_cell WHERE ivoid = old.ivoid);
          DELETE FROM rr_stc_cell WHERE ivoid = old.ivoid;
        END
        """,
    ]

    /// The inclusive cell ranges at `order` of an ASCII MOC (nil when it does not parse), at
    /// most `limit` of them (the closest ones merged).
    public static func ranges(ascii: String, limit: Int = maxRangesPerCoverage) -> [ClosedRange<UInt64>]? {
        guard let m = try? MOC(ascii: ascii) else { return nil }
        return coarsen(m.cellRanges(order: order), limit: limit)
    }

    /// Merges the ranges separated by the smallest gaps until at most `limit` remain.
    public static func coarsen(_ input: [ClosedRange<UInt64>], limit: Int) -> [ClosedRange<UInt64>] {
        var rs = input
        guard rs.count > limit, limit > 0 else { return rs }
        let gaps = (1..<rs.count).map { rs[$0].lowerBound - rs[$0 - 1].upperBound }.sorted()
        let threshold = gaps[rs.count - limit - 1]
        var out: [ClosedRange<UInt64>] = []
        var budget = rs.count - limit
        for r in rs {
            if let last = out.last, budget > 0, r.lowerBound - last.upperBound <= threshold {
                out[out.count - 1] = last.lowerBound...r.upperBound
                budget -= 1
            } else {
                out.append(r)
            }
        }
        rs = out
        return rs
    }

    /// Indexes one coverage value of a record.
    static func add(_ db: Database, ivoid: String, coverage: String) throws {
        guard let rs = ranges(ascii: coverage) else { return }
        for r in rs {
            try db.execute(sql: "INSERT INTO rr_stc_cell (ivoid) VALUES (?)", arguments: [ivoid])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: "INSERT INTO rr_stc_cell_rtree (id, lo, hi) VALUES (?, ?, ?)",
                arguments: [id, Int64(r.lowerBound), Int64(r.upperBound)])
        }
    }

    /// Creates the index and fills it from the stored coverages (a migration).
    static func create(_ db: Database) throws {
        for sql in ddl { try db.execute(sql: sql) }
        let rows = try Row.fetchAll(db, sql: "SELECT ivoid, coverage FROM rr_stc_spatial WHERE coverage IS NOT NULL")
        for row in rows {
            try add(db, ivoid: row["ivoid"], coverage: row["coverage"])
        }
    }
}
