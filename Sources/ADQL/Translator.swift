import Foundation
import MOC
import RegistryStore
/// A result column of a translated query, with the metadata a VOTable FIELD needs.
public struct ADQLResultColumn: Sendable {
    /// The output name: the alias, the column name, or a generated name (unique in the result).
    public var name: String
    public var type: ADQLType
    public var unit: String?
    public var ucd: String?
    public var utype: String?
    public var description: String?
    public var xtype: String?
}

/// A value bound to a `?` of the translated SQL.
public enum ADQLArgument: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case double(Double)
}

/// SQLite SQL for an ADQL query.
public struct ADQLTranslation: Sendable {
    public var sql: String
    /// Values for the `?` placeholders of `sql`, in order (the translator currently inlines
    /// every literal, quoted, so this is empty).
    public var arguments: [ADQLArgument]
    public var columns: [ADQLResultColumn]
}

/// Translation of ADQL to SQLite SQL over a catalog.
///
/// The SQL names only the catalog's sqlNames (and, for indexed word searches, the store's
/// `records` and `rr_fts`), quotes every identifier and inlines literals quoted, so user text
/// cannot change the statement's structure. Semantics worth knowing:
/// - LIKE is case-sensitive (GLOB for a literal pattern, else `adql_like`); ILIKE and
///   `ivo_nocasematch` fold ASCII case (SQLite's own LIKE).
/// - Integer division stays integer division (5/2 = 2), as on PostgreSQL-based registries;
///   write `5.0/2` or CAST for real division. Division by zero yields NULL.
/// - CAST to an integer type truncates reals; CAST of non-numeric text gives 0 (SQLite).
public enum ADQLTranslator {
    /// Parses and translates a query.
    ///
    /// - Parameters:
    ///   - adql: the query text.
    ///   - catalog: the tables queries may use.
    ///   - rowLimit: a cap on the rows returned (e.g. MAXREC+1); combined with TOP as the smaller.
    /// - Returns: the SQL and the result columns.
    public static func translate(_ adql: String, catalog: ADQLCatalog, rowLimit: Int?) throws(ADQLError)
        -> ADQLTranslation
    {
        // Parsing and translating recurse once per level of the query; the levels are bounded
        // (Parser.maxDepth; AND/OR chains balanced), but a debug build spends ~27 KB
        // of stack per level. So the work runs on a thread of its own with a stack sized for
        // the deepest accepted query, whatever thread the caller is on; the stack's pages are
        // returned when the thread ends.
        let box = TranslationBox()
        let thread = Thread {
            box.result = Result { () throws(ADQLError) in
                let q = try Parser.parse(adql)
                var t = Translation(catalog: catalog)
                let (sql, cols) = try t.query(q, scope: nil, limit: rowLimit, topLevel: true)
                return ADQLTranslation(sql: sql, arguments: [], columns: cols)
            }
            box.done.signal()
        }
        thread.stackSize = translationStackSize
        thread.start()
        box.done.wait()
        return try box.result!.get()
    }

    /// The stack of the translating thread (virtual; only the pages used become resident).
    static let translationStackSize = 64 << 20
}

/// The outcome of a translation, handed from its thread to the caller.
private final class TranslationBox: @unchecked Sendable {
    var result: Result<ADQLTranslation, ADQLError>?
    let done = DispatchSemaphore(value: 0)
}

extension ADQLCatalog {
    /// Convenience for `ADQLTranslator.translate(_:catalog:rowLimit:)`.
    public static func translate(_ adql: String, catalog: ADQLCatalog, rowLimit: Int?) throws(ADQLError)
        -> ADQLTranslation
    {
        try ADQLTranslator.translate(adql, catalog: catalog, rowLimit: rowLimit)
    }
}

// MARK: - Scopes

/// A column visible in a FROM clause.
struct VisibleColumn {
    var name: String  // ADQL name
    var sqlName: String
    var meta: ADQLResultColumn
    var fullText: String?
}

/// One table, view, derived table or CTE in a FROM clause.
final class Relation {
    let id: Int
    let sqlAlias: String
    let alias: Identifier?
    let schema: String?
    let tableName: String
    let columns: [VisibleColumn]
    let isCatalogTable: Bool

    init(id: Int, sqlAlias: String, alias: Identifier?, schema: String?, tableName: String, columns: [VisibleColumn], isCatalogTable: Bool) {
        self.id = id
        self.sqlAlias = sqlAlias
        self.alias = alias
        self.schema = schema
        self.tableName = tableName
        self.columns = columns
        self.isCatalogTable = isCatalogTable
    }

    func column(_ id: Identifier) -> VisibleColumn? { columns.first { id.matches($0.name) } }

    /// Whether a qualifier ([table] or [schema, table]) names this relation.
    func matches(_ q: [Identifier]) -> Bool {
        if let alias {
            return q.count == 1 && q[0].matches(alias.name) && (alias.delimited ? q[0].name == alias.name : true)
        }
        switch q.count {
        case 1: return q[0].matches(tableName)
        case 2: return schema.map { q[0].matches($0) } == true && q[1].matches(tableName)
        default: return false
        }
    }

    var displayName: String { alias?.name ?? (schema.map { $0 + "." } ?? "") + tableName }
}

/// A FROM item (a table or a join tree): its relations and the columns merged by
/// NATURAL/USING joins (name → relation ids sharing it).
struct FromGroup {
    var relations: [Relation]
    var merged: [String: Set<Int>] = [:]
}

final class Scope {
    let groups: [FromGroup]
    let parent: Scope?
    /// Output columns of the select (for ORDER BY / GROUP BY / HAVING aliases).
    var outputNames: [String] = []

    init(groups: [FromGroup], parent: Scope?) {
        self.groups = groups
        self.parent = parent
    }

    var relations: [Relation] { groups.flatMap(\.relations) }
}

struct Typed {
    var sql: String
    var meta: ADQLResultColumn
    /// A suggested output name (column name, function name).
    var name: String
}

// MARK: - The translation

struct Translation {
    let catalog: ADQLCatalog
    private var counter = 0
    /// CTEs visible by name, innermost last.
    private var ctes: [(name: Identifier, sqlName: String, columns: [ADQLResultColumn])] = []

    init(catalog: ADQLCatalog) { self.catalog = catalog }

    private mutating func nextAlias(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    static func meta(_ name: String, _ type: ADQLType) -> ADQLResultColumn {
        ADQLResultColumn(name: name, type: type, unit: nil, ucd: nil, utype: nil, description: nil, xtype: nil)
    }

    // MARK: Queries

    mutating func query(_ q: Query, scope: Scope?, limit: Int?, topLevel: Bool) throws(ADQLError)
        -> (String, [ADQLResultColumn])
    {
        let savedCTEs = ctes.count
        defer { ctes.removeLast(ctes.count - savedCTEs) }
        var withSQL: [String] = []
        for cte in q.with {
            let (sql, cols) = try query(cte.query, scope: scope, limit: nil, topLevel: false)
            let name = nextAlias("_c")
            withSQL.append("\(Self.quote(name)) AS (\(sql))")
            ctes.append((cte.name, name, cols))
        }

        var sql: String
        var columns: [ADQLResultColumn]
        var top: Int?
        switch q.body {
        case .select(let core):
            let r = try select(core, parent: scope, orderBy: q.orderBy)
            sql = r.sql
            columns = r.columns
            top = core.top
            if !r.order.isEmpty { sql += " ORDER BY " + r.order }
        default:
            (sql, columns) = try setBody(q.body, scope: scope)
            if !q.orderBy.isEmpty {
                var terms: [String] = []
                for item in q.orderBy {
                    let idx = try ordinal(item.expression, columns: columns)
                    terms.append("\(idx)" + (item.descending ? " DESC" : ""))
                }
                sql += " ORDER BY " + terms.joined(separator: ", ")
            }
        }
        var effective = top
        if let limit { effective = min(effective ?? limit, limit) }
        if let effective {
            sql += " LIMIT \(effective)"
            if let o = q.offset { sql += " OFFSET \(o)" }
        } else if let o = q.offset {
            sql += " LIMIT -1 OFFSET \(o)"
        }
        if !withSQL.isEmpty { sql = "WITH " + withSQL.joined(separator: ", ") + " " + sql }
        _ = topLevel
        return (sql, columns)
    }

    /// The 1-based position of an ORDER BY term of a set operation in its result columns.
    private func ordinal(_ e: Expression, columns: [ADQLResultColumn]) throws(ADQLError) -> Int {
        switch e.kind {
        case .integer(let n):
            if let i = Int(n), i >= 1, i <= columns.count { return i }
            throw .semantic("ORDER BY position \(n) is not between 1 and \(columns.count)", at: e.position)
        case .column(let parts) where parts.count == 1:
            if let i = columns.firstIndex(where: { parts[0].matches($0.name) }) { return i + 1 }
            throw .semantic("ORDER BY of a set operation must name an output column; '\(parts[0].name)' is not one of \(columns.map(\.name).joined(separator: ", "))", at: e.position)
        default:
            throw .semantic("ORDER BY of a set operation takes output column names or positions only", at: e.position)
        }
    }

    private mutating func setBody(_ body: QueryBody, scope: Scope?) throws(ADQLError) -> (String, [ADQLResultColumn]) {
        switch body {
        case .select(let core):
            let r = try select(core, parent: scope, orderBy: [])
            if let top = core.top { return ("SELECT * FROM (\(r.sql) LIMIT \(top))", r.columns) }
            return (r.sql, r.columns)
        case .nested(let q):
            let (sql, cols) = try query(q, scope: scope, limit: nil, topLevel: false)
            return ("SELECT * FROM (\(sql))", cols)
        case .setOperation(let op, let all, let l, let r):
            let (ls, lc) = try setBody(l, scope: scope)
            let (rs, rc) = try setBody(r, scope: scope)
            if lc.count != rc.count {
                let pos = r.firstSelect?.position ?? SourcePosition(line: 1, column: 1)
                throw .semantic("the operands of \(op.rawValue) have \(lc.count) and \(rc.count) columns", at: pos)
            }
            return ("\(ls) \(op.rawValue)\(all ? " ALL" : "") \(rs)", lc)
        }
    }

    // MARK: SELECT

    struct SelectResult {
        var sql: String
        var columns: [ADQLResultColumn]
        var order: String
    }

    private mutating func select(_ core: SelectCore, parent: Scope?, orderBy: [OrderItem]) throws(ADQLError) -> SelectResult {
        var groups: [FromGroup] = []
        var fromSQL: [String] = []
        for ref in core.from {
            let (sql, group) = try fromItem(ref, parent: parent)
            fromSQL.append(sql)
            groups.append(group)
        }
        let scope = Scope(groups: groups, parent: parent)

        // select list
        var items: [(sql: String, meta: ADQLResultColumn, name: String)] = []
        for item in core.items {
            switch item {
            case .all(let pos):
                let expanded = try star(scope, qualifier: nil, at: pos)
                items += expanded
            case .allOf(let q, let pos):
                items += try star(scope, qualifier: q, at: pos)
            case .expression(let e, let alias):
                let t = try expression(e, scope)
                items.append((t.sql, t.meta, alias?.name ?? t.name))
            }
        }
        var used: Set<String> = []
        var columns: [ADQLResultColumn] = []
        var selectSQL: [String] = []
        for item in items {
            var name = item.name
            var n = 2
            while used.contains(name.lowercased()) {
                name = "\(item.name)_\(n)"
                n += 1
            }
            used.insert(name.lowercased())
            var m = item.meta
            m.name = name
            columns.append(m)
            selectSQL.append("\(item.sql) AS \(Self.quote(name))")
        }
        scope.outputNames = columns.map(\.name)

        var sql = "SELECT " + (core.distinct ? "DISTINCT " : "") + selectSQL.joined(separator: ", ")
        sql += " FROM " + fromSQL.joined(separator: ", ")
        if let w = core.whereClause { sql += " WHERE " + (try whereClause(w, scope)) }
        if !core.groupBy.isEmpty {
            var terms: [String] = []
            for g in core.groupBy { terms.append(try aliasAware(g, scope, preferOutput: false).sql) }
            sql += " GROUP BY " + terms.joined(separator: ", ")
        }
        if let h = core.having { sql += " HAVING " + (try aliasAware(h, scope, preferOutput: false).sql) }
        var order: [String] = []
        for item in orderBy {
            let term: String
            if case .integer(let n) = item.expression.kind {
                guard let i = Int(n), i >= 1, i <= columns.count else {
                    throw .semantic("ORDER BY position \(n) is not between 1 and \(columns.count)", at: item.expression.position)
                }
                term = "\(i)"
            } else {
                term = try aliasAware(item.expression, scope, preferOutput: true).sql
            }
            order.append(term + (item.descending ? " DESC" : ""))
        }
        return SelectResult(sql: sql, columns: columns, order: order.joined(separator: ", "))
    }

    /// A single-identifier expression that names an output column becomes that column
    /// (ORDER BY prefers output names, GROUP BY / HAVING input columns).
    private mutating func aliasAware(_ e: Expression, _ scope: Scope, preferOutput: Bool) throws(ADQLError) -> Typed {
        if case .column(let parts) = e.kind, parts.count == 1,
            let out = scope.outputNames.first(where: { parts[0].matches($0) })
        {
            if preferOutput || resolve(parts, scope) == nil {
                return Typed(sql: Self.quote(out), meta: Self.meta(out, .unknown), name: out)
            }
        }
        return try expression(e, scope)
    }

    private func star(_ scope: Scope, qualifier: [Identifier]?, at pos: SourcePosition) throws(ADQLError)
        -> [(sql: String, meta: ADQLResultColumn, name: String)]
    {
        var out: [(sql: String, meta: ADQLResultColumn, name: String)] = []
        if let qualifier {
            guard let r = scope.relations.first(where: { $0.matches(qualifier) }) else {
                throw .semantic("unknown table '\(qualifier.map(\.name).joined(separator: "."))' in \(qualifier.map(\.name).joined(separator: ".")).* (in FROM: \(scope.relations.map(\.displayName).joined(separator: ", ")))", at: pos)
            }
            for c in r.columns { out.append(("\(Self.quote(r.sqlAlias)).\(Self.quote(c.sqlName))", c.meta, c.name)) }
            return out
        }
        for g in scope.groups {
            var emittedMerged: Set<String> = []
            for r in g.relations {
                for c in r.columns {
                    let key = c.name.lowercased()
                    if let ids = g.merged[key], ids.contains(r.id) {
                        if emittedMerged.contains(key) { continue }
                        emittedMerged.insert(key)
                        out.append((Self.quote(c.sqlName), c.meta, c.name))
                    } else {
                        out.append(("\(Self.quote(r.sqlAlias)).\(Self.quote(c.sqlName))", c.meta, c.name))
                    }
                }
            }
        }
        return out
    }

    // MARK: FROM

    private mutating func fromItem(_ ref: TableReference, parent: Scope?) throws(ADQLError) -> (String, FromGroup) {
        switch ref {
        case .table(let name, let alias, let pos):
            let r = try tableRelation(name, alias: alias, at: pos)
            return ("\(r.sql) AS \(Self.quote(r.relation.sqlAlias))", FromGroup(relations: [r.relation]))
        case .derived(let q, let alias, _):
            let (sql, cols) = try query(q, scope: parent, limit: nil, topLevel: false)
            counter += 1
            let rel = Relation(
                id: counter, sqlAlias: "_t\(counter)", alias: alias, schema: nil, tableName: alias.name,
                columns: cols.map { VisibleColumn(name: $0.name, sqlName: $0.name, meta: $0, fullText: nil) },
                isCatalogTable: false)
            return ("(\(sql)) AS \(Self.quote(rel.sqlAlias))", FromGroup(relations: [rel]))
        case .join(let type, let natural, let l, let r, let cond, let pos):
            let (ls, lg) = try fromItem(l, parent: parent)
            let (rs, rg) = try fromItem(r, parent: parent)
            var group = FromGroup(relations: lg.relations + rg.relations)
            group.merged = lg.merged.merging(rg.merged) { $0.union($1) }
            let keyword = type == .cross ? "CROSS JOIN" : (natural ? "NATURAL " : "") + (type == .inner ? "JOIN" : "\(type.rawValue) JOIN")
            var sql = "\(ls) \(keyword) \(rs)"
            func names(_ g: FromGroup) -> [String: Set<Int>] {
                var m: [String: Set<Int>] = [:]
                for rel in g.relations { for c in rel.columns { m[c.name.lowercased(), default: []].insert(rel.id) } }
                return m
            }
            if natural {
                let ln = names(lg)
                let rn = names(rg)
                for (k, ids) in ln where rn[k] != nil {
                    group.merged[k, default: []].formUnion(ids.union(rn[k]!))
                }
            } else if let cond {
                switch cond {
                case .on(let e):
                    let joinScope = Scope(groups: [group], parent: parent)
                    sql += " ON " + (try expression(e, joinScope).sql)
                case .using(let cols):
                    let ln = names(lg)
                    let rn = names(rg)
                    var quoted: [String] = []
                    for c in cols {
                        let key = c.name.lowercased()
                        guard let a = ln[key], let b = rn[key] else {
                            throw .semantic("USING column '\(c.name)' is not in both joined tables", at: c.position)
                        }
                        group.merged[key, default: []].formUnion(a.union(b))
                        let sqlName = lg.relations.flatMap(\.columns).first { $0.name.lowercased() == key }?.sqlName ?? c.name
                        quoted.append(Self.quote(sqlName))
                    }
                    sql += " USING (" + quoted.joined(separator: ", ") + ")"
                }
            } else if type != .cross {
                throw .semantic("JOIN needs ON or USING", at: pos)
            }
            return (sql, group)
        }
    }

    private mutating func tableRelation(_ name: [Identifier], alias: Identifier?, at pos: SourcePosition) throws(ADQLError)
        -> (sql: String, relation: Relation)
    {
        counter += 1
        let id = counter
        let sqlAlias = "_t\(id)"
        if name.count == 1, let cte = ctes.last(where: { name[0].matches($0.name.name) }) {
            let rel = Relation(
                id: id, sqlAlias: sqlAlias, alias: alias, schema: nil, tableName: cte.name.name,
                columns: cte.columns.map { VisibleColumn(name: $0.name, sqlName: $0.name, meta: $0, fullText: nil) },
                isCatalogTable: false)
            return (Self.quote(cte.sqlName), rel)
        }
        let found = catalog.lookup(name)
        guard found.count == 1, let table = found.first else {
            let written = name.map(\.name).joined(separator: ".")
            if found.count > 1 {
                throw .semantic("ambiguous table name '\(written)' (qualify it: \(found.map(\.qualifiedName).joined(separator: ", ")))", at: pos)
            }
            throw .semantic("unknown table '\(written)' (tables: \(catalog.tables.map(\.qualifiedName).joined(separator: ", ")))", at: pos)
        }
        let cols = table.columns.map { c in
            VisibleColumn(
                name: c.name, sqlName: c.sqlName,
                meta: ADQLResultColumn(name: c.name, type: c.type, unit: c.unit, ucd: c.ucd, utype: c.utype, description: c.description, xtype: c.xtype),
                fullText: c.fullText)
        }
        let rel = Relation(id: id, sqlAlias: sqlAlias, alias: alias, schema: table.schema, tableName: table.name, columns: cols, isCatalogTable: true)
        return (Self.quote(table.sqlName), rel)
    }

    // MARK: Column resolution

    enum Resolution {
        case qualified(Relation, VisibleColumn)
        case merged(VisibleColumn)
    }

    /// Resolves a column reference in the scope chain (nil if not found anywhere).
    private func resolve(_ parts: [Identifier], _ scope: Scope) -> Resolution? {
        try? resolveOrThrow(parts, scope, at: parts[0].position)
    }

    private func resolveOrThrow(_ parts: [Identifier], _ scope: Scope?, at pos: SourcePosition) throws(ADQLError) -> Resolution? {
        var s = scope
        let col = parts[parts.count - 1]
        let qualifier = Array(parts.dropLast())
        while let cur = s {
            if qualifier.isEmpty {
                var hits: [(FromGroup, Relation, VisibleColumn)] = []
                for g in cur.groups {
                    for r in g.relations {
                        if let c = r.column(col) { hits.append((g, r, c)) }
                    }
                }
                if hits.count == 1 { return .qualified(hits[0].1, hits[0].2) }
                if hits.count > 1 {
                    let g = hits[0].0
                    let key = hits[0].2.name.lowercased()
                    let sameGroup = hits.allSatisfy { h in h.0.relations.contains { $0 === hits[0].1 } }
                    if sameGroup, let ids = g.merged[key], hits.allSatisfy({ ids.contains($0.1.id) }) {
                        return .merged(hits[0].2)
                    }
                    throw .semantic("ambiguous column '\(col.name)' (in \(hits.map(\.1.displayName).joined(separator: ", ")); qualify it)", at: pos)
                }
            } else {
                let rels = cur.relations.filter { $0.matches(qualifier) }
                if let r = rels.first {
                    guard let c = r.column(col) else {
                        throw .semantic("unknown column '\(col.name)' (in \(r.displayName): \(r.columns.map(\.name).joined(separator: ", ")))", at: pos)
                    }
                    return .qualified(r, c)
                }
            }
            s = cur.parent
        }
        return nil
    }

    func column(_ parts: [Identifier], _ scope: Scope, at pos: SourcePosition) throws(ADQLError) -> Typed {
        guard let res = try resolveOrThrow(parts, scope, at: pos) else {
            let name = parts.map(\.name).joined(separator: ".")
            if parts.count > 1 {
                let q = parts.dropLast().map(\.name).joined(separator: ".")
                throw .semantic("unknown table '\(q)' in column reference '\(name)' (in FROM: \(scope.relations.map(\.displayName).joined(separator: ", ")))", at: pos)
            }
            let tables = scope.relations.map { "\($0.displayName): \($0.columns.map(\.name).joined(separator: ", "))" }
            throw .semantic("unknown column '\(name)' (in \(tables.joined(separator: "; ")))", at: pos)
        }
        switch res {
        case .qualified(let r, let c):
            return Typed(sql: "\(Self.quote(r.sqlAlias)).\(Self.quote(c.sqlName))", meta: c.meta, name: c.name)
        case .merged(let c):
            return Typed(sql: Self.quote(c.sqlName), meta: c.meta, name: c.name)
        }
    }

    // MARK: WHERE (with the full-text rewrite)

    private mutating func whereClause(_ e: Expression, _ scope: Scope) throws(ADQLError) -> String {
        var conjuncts: [Expression] = []
        func flatten(_ e: Expression) {
            if case .and(let a, let b) = e.kind {
                flatten(a)
                flatten(b)
            } else {
                conjuncts.append(e)
            }
        }
        flatten(e)
        var parts: [String] = []
        for c in conjuncts {
            if let fts = try fullTextConjunct(c, scope) {
                parts.append(fts)
            } else if let spatial = try spatialConjunct(c, scope) {
                parts.append(spatial)
            } else {
                parts.append("(" + (try expression(c, scope).sql) + ")")
            }
        }
        return parts.joined(separator: " AND ")
    }

    /// `1 = CONTAINS(geometry, coverage)` and `1 = INTERSECTS(…)` between a constant geometry
    /// and a MOC column of an rr table → the exact test AND a pre-filter on the cell index
    /// (`SpatialIndex`): only resources whose coverage has a cell, at the index order, in
    /// common with the geometry's cells. (Not for `CONTAINS(coverage, geometry)`: an empty
    /// coverage lies within anything.) The pre-filter restricts the rows of the table in FROM,
    /// so it can only remove rows, never show rows the table (a visibility view) hides.
    private mutating func spatialConjunct(_ e: Expression, _ scope: Scope) throws(ADQLError) -> String? {
        guard case .comparison("=", let a, let b) = e.kind else { return nil }
        let call: Expression
        if case .integer("1") = a.kind { call = b } else if case .integer("1") = b.kind { call = a } else { return nil }
        guard case .function(let name, let args, false, false) = call.kind, args.count == 2 else { return nil }
        let fn = name.uppercased()
        guard fn == "CONTAINS" || fn == "INTERSECTS" else { return nil }
        func mocColumn(_ x: Expression) throws(ADQLError) -> Relation? {
            guard case .column(let parts) = x.kind,
                case .qualified(let rel, let col)? = try resolveOrThrow(parts, scope, at: x.position),
                rel.isCatalogTable, col.meta.xtype == "moc", rel.columns.contains(where: { $0.name == "ivoid" })
            else { return nil }
            return rel
        }
        let rel: Relation
        let geometry: Expression
        if let r = try mocColumn(args[1]) {
            rel = r
            geometry = args[0]
        } else if fn == "INTERSECTS", let r = try mocColumn(args[0]) {
            rel = r
            geometry = args[1]
        } else {
            return nil
        }
        guard let region = GeometryFunctions.constantRegion(geometry) else { return nil }
        let cells: MOC
        switch region {
        case .point(let lon, let lat): cells = MOC(order: SpatialIndex.order, cells: [HEALPix.ang2pix(order: SpatialIndex.order, lon: lon, lat: lat)])
        default: cells = region.moc(order: SpatialIndex.order)
        }
        let ranges = SpatialIndex.coarsen(cells.cellRanges(order: SpatialIndex.order), limit: 32)
        guard !ranges.isEmpty else { return nil }
        let exact = try expression(e, scope).sql
        let lookups = ranges.map { "SELECT id FROM rr_stc_cell_rtree WHERE lo <= \($0.upperBound) AND hi >= \($0.lowerBound)" }
        return "(\(exact)) AND \(Self.quote(rel.sqlAlias)).\"ivoid\" IN (SELECT ivoid FROM rr_stc_cell WHERE id IN (\(lookups.joined(separator: " UNION ALL "))))"
    }

    /// `1 = ivo_hasword(col, 'literal')` on a column with an FTS5 column → an index lookup.
    private mutating func fullTextConjunct(_ e: Expression, _ scope: Scope) throws(ADQLError) -> String? {
        guard case .comparison("=", let a, let b) = e.kind else { return nil }
        let call: Expression
        if case .integer("1") = a.kind { call = b } else if case .integer("1") = b.kind { call = a } else { return nil }
        guard case .function(let name, let args, false, false) = call.kind, name.lowercased() == "ivo_hasword",
            args.count == 2, case .column(let parts) = args[0].kind, case .string(let needle) = args[1].kind,
            case .qualified(let rel, let col)? = try resolveOrThrow(parts, scope, at: args[0].position),
            rel.isCatalogTable, let ftsColumn = col.fullText,
            rel.columns.contains(where: { $0.name == "ivoid" })
        else { return nil }
        guard let phrase = ADQLFunctions.ftsPhrase(column: ftsColumn, needle: needle) else { return "(0)" }
        return "\(Self.quote(rel.sqlAlias)).\"ivoid\" IN (SELECT ivoid FROM records WHERE rid IN (SELECT rowid FROM rr_fts WHERE rr_fts MATCH \(Self.literal(phrase))))"
    }
}
