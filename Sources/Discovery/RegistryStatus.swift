import GRDB

/// What the status page and `/api/status` show: records by type, status and visibility, and
/// the peer registries this one harvests (when the store has a harvest table).
public struct RegistryStatus: Codable, Sendable, Equatable {
    public struct Count: Codable, Sendable, Equatable {
        public var value: String
        public var count: Int
    }
    /// The peer table as found: its column names and rows (values as text).
    public struct Peers: Codable, Sendable, Equatable {
        public var table: String
        public var columns: [String]
        public var rows: [[String?]]
    }

    public var total: Int
    public var byType: [Count]
    public var byStatus: [Count]
    public var byVisibility: [Count]
    public var byOrigin: [Count]
    /// nil when no peers are configured (no harvest table in the store).
    public var peers: Peers?
}

extension RegistrySearch {
    /// Names of tables a harvest branch may keep its peers in, looked for at run time.
    static let peerTables = ["peers", "harvest_peers", "peer_registries", "harvest_sources"]

    /// Counts of the visible records and the peers (if the store has a peer table).
    public func status(includeInternal: Bool) throws -> RegistryStatus {
        try store.pool.read { db in
            let vis = includeInternal ? "1" : "visibility = 'public'"
            func counts(_ expr: String) throws -> [RegistryStatus.Count] {
                try Row.fetchAll(
                    db, sql: "SELECT coalesce(\(expr), '(none)') AS v, count(*) AS n FROM records WHERE \(vis) GROUP BY 1 ORDER BY 2 DESC, 1"
                ).map { RegistryStatus.Count(value: $0["v"], count: $0["n"]) }
            }
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM records WHERE \(vis)") ?? 0
            var peers: RegistryStatus.Peers?
            let present = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            if let name = Self.peerTables.first(where: { present.contains($0) }) {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(name)\" LIMIT 200")
                let columns = try db.columns(in: name).map(\.name)
                peers = .init(
                    table: name, columns: columns,
                    rows: rows.map { row in columns.map { c in Self.text(row[c] as DatabaseValue) } })
            }
            return RegistryStatus(
                total: total,
                byType: try counts("res_type"),
                byStatus: try counts("status"), byVisibility: try counts("visibility"), byOrigin: try counts("origin"),
                peers: peers)
        }
    }

    static func text(_ v: DatabaseValue) -> String? {
        switch v.storage {
        case .null: nil
        case .int64(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .blob(let b): "(\(b.count) bytes)"
        }
    }
}
