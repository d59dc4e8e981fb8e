import Foundation
public import GRDB
internal import GRDBSQLite
public import VOResource

/// Where a record came from.
public enum RecordOrigin: Sendable, Equatable {
    /// Published or imported here.
    case local
    /// Harvested from the registry with this identifier (or OAI-PMH endpoint URL).
    case harvested(String)

    public var storedValue: String {
        switch self {
        case .local: "local"
        case .harvested(let r): r
        }
    }

    public init(storedValue: String) {
        self = storedValue == "local" ? .local : .harvested(storedValue)
    }
}

/// Who may see a record: everyone, or only clients inside the datacenter.
public enum Visibility: String, Sendable, CaseIterable {
    case `public`
    case `internal`
}

/// A record's state in the store (RegTAP keeps only active records in rr).
public enum RecordStatus: String, Sendable, CaseIterable {
    case active, inactive, deleted
}

/// One thing to ingest: a record, or the news that one was deleted at its source.
public enum IngestItem: Sendable {
    case record(PreparedRecord)
    case deleted(identifier: String, origin: RecordOrigin)
}

/// A record ready for the store: everything derived from it is computed off the writer.
public struct PreparedRecord: Sendable {
    public var identifier: String
    public var xml: String
    public var status: RecordStatus
    public var resType: String?
    public var created: String?
    public var updated: String?
    public var origin: RecordOrigin
    public var visibility: Visibility
    /// rr rows; nil unless the record is active.
    public var rows: RegTAPRows?
    public var contentHash: String
    /// Whether the record is valid against the schemas (nil: not validated). Invalid records are
    /// kept for RegTAP but not re-exported over OAI-PMH.
    public var schemaValid: Bool?
    /// The first schema error, `line N: message`, for an invalid record.
    public var schemaError: String?
    /// The values of `id` / `xml:id` attributes in the record (space-separated), or nil.
    public var xmlIDs: String?

    /// Prepares a parsed record: status, hash and (for active records) its rr rows.
    public init(_ parsed: ParsedRecord, origin: RecordOrigin, visibility: Visibility = .public) {
        let r = parsed.resource
        identifier = r.identifier
        xml = parsed.xml
        switch r.status?.xmlTrimmed.lowercased() {
        case "inactive": status = .inactive
        case "deleted": status = .deleted
        default: status = .active  // the schema requires status; a record without one is taken as active
        }
        resType = r.xsiType.map { $0.canonical.lowercased() }
        created = r.created
        updated = r.updated
        self.origin = origin
        self.visibility = visibility
        rows = status == .active ? RegTAPMapper.rows(for: r) : nil
        contentHash = ContentHash.of(xml)
        schemaValid = parsed.schemaIssues.map(\.isEmpty)
        schemaError = parsed.schemaIssues?.first?.description
        xmlIDs = XMLIDScan.ids(in: xml)
    }
}

/// What ingesting an item did.
public enum IngestOutcome: Sendable, Equatable {
    case stored
    case unchanged
    case deleted
    case rejected(String)
}

/// The registry's SQLite store: the RegTAP `rr` tables, the full-text index, and the records
/// with their OAI-PMH state, in one WAL-mode database file.
///
/// Every change to a record is one transaction (a savepoint inside a batch): its records row,
/// its rr rows and its full-text row change together or not at all, and replacing a record
/// first removes every row of its previous version.
public final class RegistryStore: Sendable {
    /// The database file.
    public let path: String
    /// The connection pool (one writer, concurrent readers).
    public let pool: DatabasePool

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        var config = Configuration()
        config.prepareDatabase { db in
            // 16 KiB pages: records average ~17 KB of XML, which 4 KiB pages split into overflow
            // chains. Takes effect when the file is created (WAL fixes the size afterwards).
            try db.execute(sql: "PRAGMA page_size = 16384")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 16 MiB for the writer, 4 MiB per reader: a server holds several readers, which
            // mostly stream records in index order; bulk writes raise their own.
            try db.execute(sql: "PRAGMA cache_size = \(db.configuration.readonly ? -4096 : -16384)")
        }
        config.busyMode = .timeout(10)
        self.path = path
        pool = try DatabasePool(path: path, configuration: config)
        try StoreMigrations.migrator.migrate(pool)
        // A bulk load interrupted by a crash may have left query indexes dropped: restore them.
        try pool.write { db in try Self.createIndexes(db) }
    }

    static func createIndexes(_ db: Database) throws {
        for t in RRTable.allCases { for i in t.indexes { try db.execute(sql: i.create) } }
    }

    /// Restores the query indexes after a bulk load.
    static func finishBulkLoad(_ db: Database) throws {
        try createIndexes(db)
    }

    /// Runs a bulk load with the query-only indexes dropped, and builds them again afterwards
    /// (building an index over loaded rows is several times cheaper than maintaining it row by
    /// row). The indexes the writer itself needs (those led by ivoid) stay.
    public func withDeferredIndexes<T>(_ body: () throws -> T) throws -> T {
        try pool.write { db in
            for t in RRTable.allCases {
                for i in t.indexes where i.deferrable { try db.execute(sql: "DROP INDEX IF EXISTS \(i.name)") }
            }
        }
        let result: T
        do {
            result = try body()
        } catch {
            try? pool.write { db in try Self.finishBulkLoad(db) }
            throw error
        }
        try pool.write { db in try Self.finishBulkLoad(db) }
        return result
    }

    /// The clock used for OAI datestamps (whole seconds, UTC).
    public static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Ingests a batch in one write transaction, each item in its own savepoint, so a
    /// failing item is rolled back alone and reported as rejected.
    /// - Returns: one outcome per item, in order.
    public func ingest(_ items: [IngestItem], datestamp: Int64 = RegistryStore.now()) throws -> [IngestOutcome] {
        try pool.write { db in
            // Bulk writes touch many index pages: give the writer a large page cache.
            if items.count > 100 { try db.execute(sql: "PRAGMA cache_size = -524288") }
            var outcomes: [IngestOutcome] = []
            outcomes.reserveCapacity(items.count)
            let writer = try RecordWriter(db: db)
            for item in items {
                var outcome = IngestOutcome.unchanged
                do {
                    try db.inSavepoint {
                        outcome = try writer.apply(item, datestamp: datestamp)
                        return .commit
                    }
                } catch {
                    outcome = .rejected("store error: \(error)")
                }
                outcomes.append(outcome)
            }
            return outcomes
        }
    }

    /// Row counts of every rr table and of the records by status, per res_type and per standard.
    public func statistics() throws -> StoreStatistics {
        try pool.read { db in
            var s = StoreStatistics()
            for t in RRTable.allCases {
                s.tables[t.qualifiedName] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(t.sqlName)") ?? 0
            }
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM records GROUP BY status") {
                s.records[row["status"]] = row["n"]
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT coalesce(res_type, '(none)') AS t, count(*) AS n FROM rr_resource GROUP BY 1")
            {
                s.resTypes[row["t"]] = row["n"]
            }
            for row in try Row.fetchAll(
                db,
                sql: "SELECT coalesce(standard_id, '(none)') AS t, count(*) AS n FROM rr_capability GROUP BY 1")
            {
                s.standards[row["t"]] = row["n"]
            }
            return s
        }
    }

    /// A stored record's bookkeeping row.
    public func record(identifier: String) throws -> StoredRecord? {
        try pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT identifier, xml, datestamp, status, origin, visibility, content_hash, res_type
                    FROM records WHERE ivoid = ?
                    """, arguments: [identifier.lowercased()]
            ).map(StoredRecord.init(row:))
        }
    }
}

/// A record as the store keeps it.
public struct StoredRecord: Sendable, Equatable {
    public var identifier: String
    public var xml: String?
    /// OAI-PMH datestamp, seconds since 1970 UTC.
    public var datestamp: Int64
    public var status: RecordStatus
    public var origin: RecordOrigin
    public var visibility: Visibility
    public var contentHash: String?
    public var resType: String?

    init(row: Row) {
        identifier = row["identifier"]
        xml = row["xml"]
        datestamp = row["datestamp"]
        status = RecordStatus(rawValue: row["status"]) ?? .active
        origin = RecordOrigin(storedValue: row["origin"])
        visibility = Visibility(rawValue: row["visibility"]) ?? .public
        contentHash = row["content_hash"]
        resType = row["res_type"]
    }
}

/// Counts for `voreg stats`.
public struct StoreStatistics: Sendable, Codable, Equatable {
    /// Rows per rr table, keyed by qualified name (`rr.resource`).
    public var tables: [String: Int] = [:]
    /// Records by status (`active`, `inactive`, `deleted`).
    public var records: [String: Int] = [:]
    /// Active resources per res_type.
    public var resTypes: [String: Int] = [:]
    /// Capabilities per standard_id.
    public var standards: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case tables
        case records
        case resTypes = "res_type"
        case standards = "standard_id"
    }
}

/// A 128-bit FNV-1a style content hash (change detection, not security).
enum ContentHash {
    static func of(_ s: String) -> String {
        var s = s
        return s.withUTF8 { buf in
            var h1: UInt64 = 0xcbf2_9ce4_8422_2325
            var h2: UInt64 = 0x8422_2325_cbf2_9ce4
            let n = buf.count
            var i = 0
            let raw = UnsafeRawBufferPointer(buf)
            while i + 8 <= n {  // eight bytes a step
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h1 = (h1 ^ w) &* 0x0000_0100_0000_01b3
                h2 = (h2 &+ w) &* 0x9E37_79B9_7F4A_7C15
                h2 ^= h2 >> 29
                i += 8
            }
            while i < n {
                h1 = (h1 ^ UInt64(buf[i])) &* 0x0000_0100_0000_01b3
                h2 = (h2 &+ UInt64(buf[i])) &* 0x9E37_79B9_7F4A_7C15
                i += 1
            }
            return String(h1, radix: 16) + String(h2, radix: 16) + String(n, radix: 16)
        }
    }
}
