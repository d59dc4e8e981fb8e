public import ADQL
import Foundation
public import GRDB
internal import GRDBSQLite
public import RegistryStore

/// Limits and identity of the TAP service.
public struct TAPConfiguration: Sendable {
    /// The service's base URL (`.../tap`), as clients reach it.
    public var baseURL: String
    /// Rows returned when MAXREC is not given, and the most a client may ask for.
    public var defaultMaxrec: Int = 100_000
    public var hardMaxrec: Int = 10_000_000
    /// Seconds a synchronous query may run, and an asynchronous one by default / at most.
    public var syncTimeLimit: Double = 30
    public var asyncDefaultDuration: Int = 600
    public var asyncMaxDuration: Int = 3600
    /// Seconds an async job and its results are kept (UWS destruction time).
    public var retention: Int = 86_400
    /// Directory for async job results.
    public var jobDirectory: String
    /// Largest upload accepted, in bytes, and rows per uploaded table.
    public var maxUploadBytes: Int = 16 << 20
    /// Requests the server is answering right now (any kind). A statement running longer
    /// than `QueryGuard.longQuery` pauses briefly at each progress callback while this is
    /// above one, so that an expensive query does not take the CPU from quick requests.
    public var requestsInFlight: (@Sendable () -> Int)?

    public init(baseURL: String, jobDirectory: String) {
        self.baseURL = baseURL
        self.jobDirectory = jobDirectory
    }
}

/// Who asks: public clients never see records of internal visibility.
public enum TAPAudience: Sendable {
    case publicClients
    case internalClients
}

/// The RegTAP TAP service: catalogs, the read-only connections queries run on, and the
/// TAP_SCHEMA and visibility views it installs in the store.
public final class TAPService: Sendable {
    public let configuration: TAPConfiguration
    /// Read-only connections with the ADQL functions, a time limit and an authorizer.
    let readers: DatabasePool
    /// What public clients may query (internal records filtered by views) and what internal ones may.
    public let publicCatalog: ADQLCatalog
    public let internalCatalog: ADQLCatalog
    public let jobs: UWSJobs

    /// Installs the views and TAP_SCHEMA (a write on `store`) and opens the reader pool.
    public init(store: RegistryStore, path: String, configuration: TAPConfiguration) throws {
        self.configuration = configuration
        publicCatalog = Self.publicClientsCatalog
        internalCatalog = Self.fullCatalog
        let describe = publicCatalog
        try store.pool.write { db in
            try Self.installViews(db)
            try TAPSchema.install(describe, in: db)
        }
        var config = Configuration()
        config.readonly = true
        config.maximumReaderCount = 8
        config.prepareDatabase { db in
            // No memory map: each of the eight connections would map the store on its own, and
            // every page a query touches counts in the server's RSS once per connection (5 GB
            // under the load run on the 30,000-resource store). read(2) into an 8 MiB cache per
            // connection costs broad keyword queries 5-25 % (RELIABILITY.md).
            try db.execute(sql: "PRAGMA mmap_size = 0")
            try db.execute(sql: "PRAGMA cache_size = -8192")
            try ADQLFunctions.prepare(db)
            QueryGuard.install(on: db, requestsInFlight: configuration.requestsInFlight)
        }
        readers = try DatabasePool(path: path, configuration: config)
        jobs = try UWSJobs(directory: configuration.jobDirectory)
    }

    /// Every table a query may name (rr without visibility views, and TAP_SCHEMA): what
    /// `voreg adql` translates against.
    public static var fullCatalog: ADQLCatalog { ADQLCatalog(tables: ADQLCatalog.regTAP() + TAPSchema.tables) }

    /// What public clients query: rr through the views that hide internal records, and TAP_SCHEMA.
    public static var publicClientsCatalog: ADQLCatalog {
        ADQLCatalog(
            tables: ADQLCatalog.regTAP(sqlName: { "rrpub_" + $0.name }, tapTableSQLName: "rrpub_tap_table")
                + TAPSchema.tables)
    }

    /// The catalog an audience queries.
    public func catalog(for audience: TAPAudience) -> ADQLCatalog {
        audience == .publicClients ? publicCatalog : internalCatalog
    }

    /// Views over the rr tables without the rows of internal records (same columns, so
    /// NATURAL joins and the ADQL catalog work unchanged), and a partial index that makes
    /// their filter cheap.
    static func installViews(_ db: Database) throws {
        try db.execute(
            sql: "CREATE INDEX IF NOT EXISTS records_internal ON records (ivoid) WHERE visibility = 'internal'")
        let internalIDs = "(SELECT ivoid FROM records WHERE visibility = 'internal')"
        for t in RRTable.allCases {
            try db.execute(sql: "DROP VIEW IF EXISTS rrpub_\(t.name)")
            try db.execute(
                sql: "CREATE VIEW rrpub_\(t.name) AS SELECT * FROM \(t.sqlName) WHERE ivoid NOT IN \(internalIDs)")
        }
        try db.execute(sql: "DROP VIEW IF EXISTS rrpub_tap_table")
        try db.execute(
            sql: """
                CREATE VIEW rrpub_tap_table AS SELECT * FROM rr_tap_table
                WHERE svcid NOT IN \(internalIDs) AND resid NOT IN \(internalIDs)
                """)
    }
}

/// Per-connection guards: a deadline checked by SQLite's progress handler, and an authorizer
/// that allows reading only (the translator already limits queries to exposed tables; this
/// holds even if it had a bug).
final class QueryGuard: @unchecked Sendable {
    private let lock = NSLock()
    private var deadline: Double = .infinity
    private var started: Double = .infinity
    private var cancel: QueryCancel?
    private var requestsInFlight: (@Sendable () -> Int)?

    /// Statements running under a limit, on all connections.
    nonisolated(unsafe) private static var running = 0
    /// A statement running longer than this yields the CPU to others…
    static let longQuery = 0.25
    /// …for this long at each progress callback (every 20,000 VM steps), while other
    /// statements or requests run: keyword searches keep their latency next to an expensive
    /// cross join; alone, an expensive query runs at full speed.
    static let politePause: useconds_t = 1000

    static let key = "voreg.queryGuard"
    nonisolated(unsafe) private static var guards: [OpaquePointer: QueryGuard] = [:]
    private static let registry = NSLock()

    static func install(on db: Database, requestsInFlight: (@Sendable () -> Int)? = nil) {
        let g = QueryGuard()
        g.requestsInFlight = requestsInFlight
        guard let handle = db.sqliteConnection else { return }
        registry.lock()
        guards[handle] = g
        registry.unlock()
        let ctx = Unmanaged.passRetained(g).toOpaque()
        sqlite3_progress_handler(handle, 20_000, { p in
            guard let p else { return 0 }
            let g = Unmanaged<QueryGuard>.fromOpaque(p).takeUnretainedValue()
            return g.progress() ? 1 : 0
        }, ctx)
        sqlite3_set_authorizer(handle, { _, action, arg1, _, _, _ in
            switch action {
            case SQLITE_SELECT, SQLITE_FUNCTION, SQLITE_RECURSIVE, SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
                return SQLITE_OK
            case SQLITE_READ:
                // The exposed tables and views, what those views read, and SQLite's own schema.
                guard let arg1 else { return SQLITE_DENY }
                let table = String(cString: arg1)
                return QueryGuard.readable(table) ? SQLITE_OK : SQLITE_DENY
            case SQLITE_PRAGMA:
                return SQLITE_OK  // GRDB and FTS5 read settings through pragmas; the connection is read-only
            case SQLITE_CREATE_TEMP_TABLE, SQLITE_DROP_TEMP_TABLE:
                // Uploaded tables (TAP_UPLOAD) live in TEMP tables named tap_upload_*.
                guard let arg1 else { return SQLITE_DENY }
                return String(cString: arg1).hasPrefix("tap_upload_") ? SQLITE_OK : SQLITE_DENY
            case SQLITE_INSERT, SQLITE_DELETE where arg1.map { String(cString: $0).hasPrefix("tap_upload_") } == true:
                return SQLITE_OK  // filling and dropping an uploaded table
            case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
                // FTS5 and R*Tree prepare statements on their shadow tables and SQLite checks sqlite_master when
                // a virtual table connects; the connection is read-only, so none can run.
                guard let arg1 else { return SQLITE_DENY }
                let table = String(cString: arg1)
                return table.hasPrefix("rr_fts") || table.hasPrefix("rr_stc_cell_rtree") || table == "sqlite_master" || table == "sqlite_temp_master"
                    ? SQLITE_OK : SQLITE_DENY
            default:
                return SQLITE_DENY
            }
        }, nil)
    }

    /// Tables a query may read.
    static func readable(_ table: String) -> Bool {
        table.hasPrefix("rr_") || table.hasPrefix("rrpub_") || table.hasPrefix("tap_schema_") || table == "records"
            || table.hasPrefix("tap_upload_") || table == "sqlite_temp_master"
            || table.hasPrefix("sqlite_")
    }

    static func on(_ db: Database) -> QueryGuard? {
        guard let h = db.sqliteConnection else { return nil }
        registry.lock()
        defer { registry.unlock() }
        return guards[h]
    }

    /// SQLite's progress callback: true stops the statement (past its deadline, or cancelled).
    /// Otherwise a statement running longer than `longQuery` pauses briefly while other
    /// statements or requests run. One clock read and one lock per callback.
    func progress() -> Bool {
        let now = Date().timeIntervalSinceReferenceDate
        lock.lock()
        let stop = now > deadline || cancel?.isCancelled == true
        let long = now - started > Self.longQuery
        lock.unlock()
        if stop { return true }
        guard long else { return false }
        Self.registry.lock()
        let statements = Self.running
        Self.registry.unlock()
        if statements > 1 || (requestsInFlight?() ?? 0) > 1 { usleep(Self.politePause) }
        return false
    }

    /// Runs `body` with a time limit (seconds); SQLite interrupts statements past it.
    func limit<T>(_ seconds: Double, cancel: QueryCancel? = nil, _ body: () throws -> T) rethrows -> T {
        let now = Date().timeIntervalSinceReferenceDate
        lock.lock()
        deadline = now + seconds
        started = now
        self.cancel = cancel
        lock.unlock()
        Self.registry.lock()
        Self.running += 1
        Self.registry.unlock()
        defer {
            lock.lock()
            deadline = .infinity
            started = .infinity
            self.cancel = nil
            lock.unlock()
            Self.registry.lock()
            Self.running -= 1
            Self.registry.unlock()
        }
        return try body()
    }
}

/// Lets another thread stop a running query (UWS ABORT).
public final class QueryCancel: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    public init() {}
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }
    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }
}
