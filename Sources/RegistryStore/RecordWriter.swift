import Foundation
import GRDB
internal import GRDBSQLite

/// Applies ingest items inside a write transaction, with prepared statements bound directly
/// through the SQLite C API (millions of table_column rows make GRDB's argument boxing visible).
struct RecordWriter {
    let db: Database
    private let insertRR: [Statement]
    private let deleteRR: [Statement]
    private let lookup: Statement
    private let upsertRecord: Statement
    private let insertFTS: Statement
    private let deleteFTS: Statement

    init(db: Database) throws {
        self.db = db
        insertRR = try RRTable.allCases.map { try db.cachedStatement(sql: $0.insertSQL) }
        deleteRR = try RRTable.allCases.map { try db.cachedStatement(sql: "DELETE FROM \($0.sqlName) WHERE ivoid = ?") }
        lookup = try db.cachedStatement(
            sql: "SELECT rid, content_hash, status, origin, visibility, schema_valid FROM records WHERE ivoid = ?")
        upsertRecord = try db.cachedStatement(
            sql: """
                INSERT INTO records (ivoid, identifier, xml, datestamp, status, origin, visibility, content_hash,
                                     res_type, created, updated, schema_valid, schema_error, xml_ids)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (ivoid) DO UPDATE SET
                  identifier = excluded.identifier, xml = excluded.xml, datestamp = excluded.datestamp,
                  status = excluded.status, origin = excluded.origin, visibility = excluded.visibility,
                  content_hash = excluded.content_hash, res_type = excluded.res_type,
                  created = excluded.created, updated = excluded.updated,
                  schema_valid = excluded.schema_valid, schema_error = excluded.schema_error,
                  xml_ids = excluded.xml_ids
                RETURNING rid
                """)
        insertFTS = try db.cachedStatement(
            sql: "INSERT INTO rr_fts (rowid, title, short_name, subjects, description, tables) VALUES (?, ?, ?, ?, ?, ?)")
        deleteFTS = try db.cachedStatement(sql: "DELETE FROM rr_fts WHERE rowid = ?")
    }

    private struct Existing {
        var rid: Int64
        var hash: String?
        var status: String
        var origin: String
        var visibility: String
        var schemaValid: Bool?
    }

    private func existing(_ key: String) throws -> Existing? {
        let h = lookup.sqliteStatement
        sqlite3_reset(h)
        bind(h, 1, .text(key))
        let rc = sqlite3_step(h)
        defer { sqlite3_reset(h) }
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: lastMessage) }
        return Existing(
            rid: sqlite3_column_int64(h, 0),
            hash: columnText(h, 1),
            status: columnText(h, 2) ?? "",
            origin: columnText(h, 3) ?? "",
            visibility: columnText(h, 4) ?? "",
            schemaValid: sqlite3_column_type(h, 5) == SQLITE_NULL ? nil : sqlite3_column_int64(h, 5) != 0)
    }

    func apply(_ item: IngestItem, datestamp: Int64) throws -> IngestOutcome {
        switch item {
        case .record(let r):
            let key = r.identifier.lowercased()
            let old = try existing(key)
            if let old, old.hash == r.contentHash, old.status == r.status.rawValue,
                old.origin == r.origin.storedValue, old.visibility == r.visibility.rawValue,
                r.schemaValid == nil || old.schemaValid == r.schemaValid
            {
                return .unchanged
            }
            if let old { try removeDerivedRows(key: key, rid: old.rid, wasActive: old.status == "active") }
            let rid = try writeRecordRow(
                key: key, identifier: r.identifier, xml: r.status == .deleted ? nil : r.xml, datestamp: datestamp,
                status: r.status.rawValue, origin: r.origin.storedValue, visibility: r.visibility.rawValue,
                hash: r.contentHash, resType: r.resType, created: r.created, updated: r.updated,
                schemaValid: r.schemaValid, schemaError: r.schemaError, xmlIDs: r.xmlIDs)
            if let rows = r.rows {
                for t in RRTable.allCases {
                    let stmt = insertRR[t.rawValue].sqliteStatement
                    for row in rows[t] {
                        try exec(stmt, row)
                        if t == .stcSpatial, case .text(let ivoid) = row[0], case .text(let coverage) = row[1] {
                            try SpatialIndex.add(db, ivoid: ivoid, coverage: coverage)
                        }
                    }
                }
                let ft = rows.fullText
                try exec(
                    insertFTS.sqliteStatement,
                    [.int(rid), .text(ft.title), .text(ft.shortName), .text(ft.subjects), .text(ft.description),
                     .text(ft.tables)])
            }
            return r.status == .deleted ? .deleted : .stored
        case .deleted(let identifier, let origin):
            let key = identifier.lowercased()
            let old = try existing(key)
            if let old, old.status == "deleted" { return .unchanged }
            if let old { try removeDerivedRows(key: key, rid: old.rid, wasActive: old.status == "active") }
            _ = try writeRecordRow(
                key: key, identifier: identifier, xml: nil, datestamp: datestamp, status: "deleted",
                origin: origin.storedValue, visibility: old?.visibility ?? Visibility.public.rawValue, hash: nil,
                resType: nil, created: nil, updated: nil)
            return .deleted
        }
    }

    private func removeDerivedRows(key: String, rid: Int64, wasActive: Bool) throws {
        guard wasActive else { return }
        for stmt in deleteRR { try exec(stmt.sqliteStatement, [.text(key)]) }
        try exec(deleteFTS.sqliteStatement, [.int(rid)])
    }

    private func writeRecordRow(
        key: String, identifier: String, xml: String?, datestamp: Int64, status: String, origin: String,
        visibility: String, hash: String?, resType: String?, created: String?, updated: String?,
        schemaValid: Bool? = nil, schemaError: String? = nil, xmlIDs: String? = nil
    ) throws -> Int64 {
        let h = upsertRecord.sqliteStatement
        sqlite3_reset(h)
        let values: [SQLValue] = [
            .text(key), .text(identifier), xml.map(SQLValue.text) ?? .null, .int(datestamp), .text(status),
            .text(origin), .text(visibility), hash.map(SQLValue.text) ?? .null, resType.map(SQLValue.text) ?? .null,
            created.map(SQLValue.text) ?? .null, updated.map(SQLValue.text) ?? .null,
            schemaValid.map { SQLValue.int($0 ? 1 : 0) } ?? .null, schemaError.map(SQLValue.text) ?? .null,
            xmlIDs.map(SQLValue.text) ?? .null,
        ]
        for (i, v) in values.enumerated() { bind(h, Int32(i + 1), v) }
        let rc = sqlite3_step(h)
        defer { sqlite3_reset(h) }
        guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: lastMessage) }
        return sqlite3_column_int64(h, 0)
    }

    private var lastMessage: String {
        String(cString: sqlite3_errmsg(db.sqliteConnection))
    }

    @inline(__always)
    private func exec(_ h: OpaquePointer?, _ row: [SQLValue]) throws {
        sqlite3_reset(h)
        var i: Int32 = 1
        for v in row {
            bind(h, i, v)
            i += 1
        }
        let rc = sqlite3_step(h)
        sqlite3_reset(h)
        guard rc == SQLITE_DONE else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: lastMessage) }
    }

    @inline(__always)
    private func bind(_ h: OpaquePointer?, _ i: Int32, _ v: SQLValue) {
        switch v {
        case .null: sqlite3_bind_null(h, i)
        case .int(let x): sqlite3_bind_int64(h, i, x)
        case .real(let x): sqlite3_bind_double(h, i, x)
        case .text(var s):
            s.withUTF8 { buf in
                _ = sqlite3_bind_text(
                    h, i, UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(buf.count),
                    sqliteTransient)
            }
        }
    }

    private func columnText(_ h: OpaquePointer?, _ i: Int32) -> String? {
        guard let p = sqlite3_column_text(h, i) else { return nil }
        return String(cString: p)
    }
}

private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
