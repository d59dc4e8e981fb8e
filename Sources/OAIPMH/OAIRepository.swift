internal import GRDB
public import RegistryStore

/// The read side of OAI-PMH over the store's `records` table.
///
/// Records with internal visibility, and records known not to be valid against the schemas,
/// are filtered out of every query here, so no verb, count or set can see them (an OAI-PMH
/// response must be schema-valid; an invalid record stays searchable through RegTAP).
public final class OAIRepository: Sendable {
    let pool: DatabasePool
    /// Managed authorities, lower-cased.
    public let managedAuthorities: [String]

    /// Creates a repository reading through the store's pool.
    public init(store: RegistryStore, managedAuthorities: [String]) {
        pool = store.pool
        self.managedAuthorities = managedAuthorities.map { $0.lowercased() }
    }

    /// The condition every served record meets.
    static let servedSQL = "visibility = 'public' AND schema_valid IS NOT 0"

    /// The authority of a lower-cased ivoid: after `ivo://`, up to the first `/`.
    static let authoritySQL = """
        (CASE WHEN substr(ivoid, 1, 6) <> 'ivo://' THEN NULL
              WHEN instr(substr(ivoid, 7), '/') > 0 THEN substr(ivoid, 7, instr(substr(ivoid, 7), '/') - 1)
              ELSE substr(ivoid, 7) END)
        """

    var managedSQL: String {
        managedAuthorities.isEmpty
            ? "0" : "\(Self.authoritySQL) IN (\(managedAuthorities.map { _ in "?" }.joined(separator: ", ")))"
    }

    func columns(xml: Bool) -> String {
        "identifier, ivoid, datestamp, status, \(managedSQL) AS managed\(xml ? ", xml, xml_ids" : "")"
    }

    /// The public item with this identifier (compared case-insensitively), if any.
    public func item(identifier: String) throws -> OAIItem? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(columns(xml: true)) FROM records WHERE ivoid = ? AND \(Self.servedSQL)",
                arguments: StatementArguments(managedAuthorities + [identifier.lowercased()])
            ).map { Self.item($0, xml: true) }
        }
    }

    /// The number of public items a filter selects.
    public func count(_ filter: OAIListFilter) throws -> Int {
        let (whereSQL, args) = self.whereClause(filter, after: nil)
        return try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM records WHERE \(whereSQL)", arguments: args) ?? 0
        }
    }

    /// The smallest datestamp of a public item.
    public func earliestDatestamp() throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT min(datestamp) FROM records WHERE \(Self.servedSQL)")
        }
    }

    /// Calls `body` with the items after `after` in (datestamp, ivoid) order, at most `limit`,
    /// inside one read transaction (rows are fetched one by one, not as a page in memory).
    /// `body` may refuse an item (returns false): the page then ends before it.
    /// - Returns: whether more items follow.
    public func forEachItem(
        _ filter: OAIListFilter, after: (datestamp: Int64, ivoid: String)?, limit: Int, withXML: Bool,
        _ body: (OAIItem) throws -> Bool
    ) throws -> Bool {
        let (whereSQL, args) = whereClause(filter, after: after)
        let sql = """
            SELECT \(columns(xml: withXML)) FROM records WHERE \(whereSQL)
            ORDER BY datestamp, ivoid LIMIT \(limit + 1)
            """
        return try pool.read { db in
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(managedAuthorities) + args)
            var n = 0
            while let row = try cursor.next() {
                if n == limit { return true }
                if try !body(Self.item(row, xml: withXML)) { return true }
                n += 1
            }
            return false
        }
    }

    func whereClause(_ f: OAIListFilter, after: (datestamp: Int64, ivoid: String)?) -> (String, StatementArguments) {
        var sql = [Self.servedSQL]
        var args: [any DatabaseValueConvertible] = []
        if let from = f.from {
            sql.append("datestamp >= ?")
            args.append(from)
        }
        if let until = f.until {
            sql.append("datestamp <= ?")
            args.append(until)
        }
        if f.managedOnly {
            sql.append(managedSQL)
            args += managedAuthorities
        }
        if let after {
            sql.append("(datestamp > ? OR (datestamp = ? AND ivoid > ?))")
            args += [after.datestamp, after.datestamp, after.ivoid]
        }
        return (sql.joined(separator: " AND "), StatementArguments(args))
    }

    static func item(_ row: Row, xml: Bool) -> OAIItem {
        let deleted = (row["status"] as String) == "deleted"
        let ids = xml && !deleted ? (row["xml_ids"] as String?)?.split(separator: " ") ?? [] : []
        return OAIItem(
            identifier: row["identifier"], ivoid: row["ivoid"], datestamp: row["datestamp"], isDeleted: deleted,
            isManaged: (row["managed"] as Int?) == 1, xml: xml && !deleted ? row["xml"] : nil, xmlIDs: ids)
    }
}
