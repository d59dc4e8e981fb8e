public import ADQL
import Foundation
import GRDB
internal import GRDBSQLite

/// A TAP query request: the DALI/TAP parameters, names case-insensitive.
public struct TAPRequest: Sendable {
    public var query: String
    public var lang: String
    public var maxrec: Int
    public var format: ResultFormat
    /// Tables uploaded with the query (set by whoever read the UPLOAD parameter).
    public var uploads: [UploadedTable] = []
    /// The UPLOAD parameter, if any.
    public var uploadParameter: String?

    /// Reads and checks the parameters (TAP 1.1 section 2.3).
    public init(parameters: [(name: String, value: String)], configuration c: TAPConfiguration) throws(TAPError) {
        func value(_ name: String) -> String? {
            parameters.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        if let request = value("REQUEST"), request.caseInsensitiveCompare("doQuery") != .orderedSame {
            throw TAPError.usage("REQUEST must be doQuery (got '\(request)')")
        }
        guard let lang = value("LANG")?.trimmingCharacters(in: .whitespaces), !lang.isEmpty else {
            throw TAPError.usage("missing parameter LANG (use LANG=ADQL)")
        }
        guard ["adql", "adql-2.0", "adql-2.1"].contains(lang.lowercased()) else {
            throw TAPError.usage("LANG \(lang) is not supported (use ADQL, ADQL-2.0 or ADQL-2.1)")
        }
        guard let query = value("QUERY"), !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw TAPError.usage("missing parameter QUERY")
        }
        var maxrec = c.defaultMaxrec
        if let m = value("MAXREC") {
            guard let n = Int(m.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw TAPError.usage("MAXREC must be a non-negative integer (got '\(m)')")
            }
            maxrec = min(n, c.hardMaxrec)
        }
        let fmtText = value("RESPONSEFORMAT") ?? value("FORMAT")
        guard let format = ResultFormat(fmtText) else {
            throw TAPError.usage(
                "RESPONSEFORMAT \(fmtText ?? "") is not supported (use votable, votable/b2, csv or tsv)")
        }
        self.query = query
        self.lang = lang
        self.maxrec = maxrec
        self.format = format
        uploadParameter = value("UPLOAD")
    }
}

/// A failure a client is told about in an error VOTable.
public enum TAPError: Error, CustomStringConvertible, Sendable {
    /// Bad parameters or a query that does not parse/translate (HTTP 400).
    case usage(String)
    /// The query ran into the time limit or the store failed (HTTP 500 before any output).
    case execution(String)

    public var description: String {
        switch self {
        case .usage(let m), .execution(let m): m
        }
    }
}

extension TAPService {
    /// Translates a request for an audience (errors as ``TAPError/usage``).
    public func translate(_ request: TAPRequest, audience: TAPAudience) throws(TAPError) -> ADQLTranslation {
        do {
            return try ADQLTranslator.translate(
                request.query, catalog: catalog(for: audience, uploads: request.uploads), rowLimit: request.maxrec + 1)
        } catch {
            throw TAPError.usage("ADQL \(error.kind == .syntax ? "syntax" : "query") error at \(error)")
        }
    }

    /// Runs a translated query and streams its result. Errors before the first row are thrown
    /// (the caller answers with an error document); later ones end the table with an error INFO.
    public func run(
        _ request: TAPRequest, translation: ADQLTranslation, timeLimit: Double, cancel: QueryCancel? = nil,
        sink: @escaping (String) -> Void
    ) throws(TAPError) {
        do {
            try readers.read { db in
                try Self.install(request.uploads, in: db)
                defer { Self.drop(request.uploads, in: db) }
                if let g = QueryGuard.on(db) {
                    try g.limit(timeLimit, cancel: cancel) { try execute(request, translation, db: db, sink: sink) }
                } else {
                    try execute(request, translation, db: db, sink: sink)
                }
            }
        } catch let e as TAPError {
            throw e
        } catch let e as DatabaseError where e.resultCode == .SQLITE_INTERRUPT {
            throw TAPError.execution("the query was stopped after \(Int(timeLimit)) s (the time limit)")
        } catch {
            throw TAPError.execution("the query failed: \(error)")
        }
    }

    private func execute(_ request: TAPRequest, _ t: ADQLTranslation, db: Database, sink: @escaping (String) -> Void)
        throws
    {
        let statement = try db.makeStatement(sql: t.sql)
        let h = statement.sqliteStatement
        var writer: any ResultWriter =
            switch request.format {
            case .votableTabledata: VOTableWriter(binary2: false, sink: sink)
            case .votableBinary2: VOTableWriter(binary2: true, sink: sink)
            case .csv: DelimitedWriter(tab: false, sink: sink)
            case .tsv: DelimitedWriter(tab: true, sink: sink)
            }
        let n = Int32(t.columns.count)
        // The first step runs before any output, so a failure there is a clean error document.
        var rc = sqlite3_step(h)
        guard rc == SQLITE_ROW || rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        writer.begin(columns: t.columns, query: request.query)
        var rows = 0
        var cells = [Cell](repeating: .null, count: Int(n))
        var failure: String?
        while rc == SQLITE_ROW {
            if rows == request.maxrec { break }
            for i in 0..<n {
                switch sqlite3_column_type(h, i) {
                case SQLITE_INTEGER: cells[Int(i)] = .int(sqlite3_column_int64(h, i))
                case SQLITE_FLOAT: cells[Int(i)] = .real(sqlite3_column_double(h, i))
                case SQLITE_NULL: cells[Int(i)] = .null
                default:
                    if let p = sqlite3_column_text(h, i) {
                        cells[Int(i)] = .text(String(cString: p))
                    } else {
                        cells[Int(i)] = .null
                    }
                }
            }
            writer.row(cells)
            rows += 1
            rc = sqlite3_step(h)
        }
        let overflow = rc == SQLITE_ROW
        if rc != SQLITE_ROW && rc != SQLITE_DONE {
            failure =
                rc == SQLITE_INTERRUPT
                ? "the query was stopped at the time limit; the rows above are incomplete"
                : "the query failed after \(rows) rows: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))"
        }
        sqlite3_reset(h)
        writer.end(overflow: overflow, error: failure)
    }
}
