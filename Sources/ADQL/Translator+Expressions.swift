import MOC

/// Expressions: operators, literals, functions, CAST, CASE, subqueries.
extension Translation {
    /// How an ADQL function maps to SQL.
    struct FunctionSpec: Sendable {
        var sql: String
        var arity: ClosedRange<Int>
        var aggregate = false
        /// The result type from the argument types.
        var type: @Sendable ([ADQLType]) -> ADQLType
        /// Whether the result keeps the first argument's unit/UCD.
        var keepsUnit = false
    }

    static let geometryFunctions: Set<String> = [
        "AREA", "BOX", "CENTROID", "CIRCLE", "CONTAINS", "COORD1", "COORD2", "COORDSYS", "DISTANCE",
        "INTERSECTS", "POINT", "POLYGON", "REGION", "MOC",
    ]

    @Sendable static func numericResult(_ t: [ADQLType]) -> ADQLType { t.first.map { $0.isExactNumeric ? $0 : .double } ?? .double }

    static let functionSpecs: [String: FunctionSpec] = {
        var m: [String: FunctionSpec] = [:]
        let dbl: @Sendable ([ADQLType]) -> ADQLType = { _ in .double }
        for (a, s) in [
            ("ACOS", "adql_acos"), ("ASIN", "adql_asin"), ("ATAN", "adql_atan"), ("COS", "adql_cos"), ("COT", "adql_cot"),
            ("SIN", "adql_sin"), ("TAN", "adql_tan"), ("DEGREES", "adql_degrees"), ("RADIANS", "adql_radians"),
            ("EXP", "adql_exp"), ("LOG", "adql_log"), ("LOG10", "adql_log10"), ("SQRT", "adql_sqrt"),
        ] {
            m[a] = FunctionSpec(sql: s, arity: 1...1, type: dbl)
        }
        m["ATAN2"] = FunctionSpec(sql: "adql_atan2", arity: 2...2, type: dbl)
        m["POWER"] = FunctionSpec(sql: "adql_power", arity: 2...2, type: dbl)
        m["PI"] = FunctionSpec(sql: "adql_pi", arity: 0...0, type: dbl)
        m["RAND"] = FunctionSpec(sql: "adql_rand", arity: 0...1, type: dbl)
        m["ABS"] = FunctionSpec(sql: "abs", arity: 1...1, type: numericResult, keepsUnit: true)
        m["CEILING"] = FunctionSpec(sql: "adql_ceiling", arity: 1...1, type: dbl, keepsUnit: true)
        m["FLOOR"] = FunctionSpec(sql: "adql_floor", arity: 1...1, type: dbl, keepsUnit: true)
        m["MOD"] = FunctionSpec(sql: "adql_mod", arity: 2...2, type: numericResult, keepsUnit: true)
        m["ROUND"] = FunctionSpec(sql: "adql_round", arity: 1...2, type: numericResult, keepsUnit: true)
        m["TRUNCATE"] = FunctionSpec(sql: "adql_truncate", arity: 1...2, type: numericResult, keepsUnit: true)
        m["LOWER"] = FunctionSpec(sql: "adql_lower", arity: 1...1, type: { _ in .varchar(nil) })
        m["UPPER"] = FunctionSpec(sql: "adql_upper", arity: 1...1, type: { _ in .varchar(nil) })
        m["COALESCE"] = FunctionSpec(sql: "coalesce", arity: 1...64, type: { $0.first { $0 != .unknown } ?? .unknown }, keepsUnit: true)
        m["NULLIF"] = FunctionSpec(sql: "nullif", arity: 2...2, type: { $0.first ?? .unknown }, keepsUnit: true)
        m["COUNT"] = FunctionSpec(sql: "count", arity: 1...1, aggregate: true, type: { _ in .bigint })
        m["SUM"] = FunctionSpec(sql: "sum", arity: 1...1, aggregate: true, type: { ($0.first?.isExactNumeric ?? false) ? .bigint : .double }, keepsUnit: true)
        m["AVG"] = FunctionSpec(sql: "avg", arity: 1...1, aggregate: true, type: dbl, keepsUnit: true)
        m["MIN"] = FunctionSpec(sql: "min", arity: 1...1, aggregate: true, type: { $0.first ?? .unknown }, keepsUnit: true)
        m["MAX"] = FunctionSpec(sql: "max", arity: 1...1, aggregate: true, type: { $0.first ?? .unknown }, keepsUnit: true)
        m["IVO_HASWORD"] = FunctionSpec(sql: "ivo_hasword", arity: 2...2, type: { _ in .integer })
        m["IVO_HASHLIST_HAS"] = FunctionSpec(sql: "ivo_hashlist_has", arity: 2...2, type: { _ in .integer })
        m["IVO_INTERVAL_OVERLAPS"] = FunctionSpec(sql: "ivo_interval_overlaps", arity: 4...4, type: { _ in .integer })
        m["IVO_STRING_AGG"] = FunctionSpec(sql: "ivo_string_agg", arity: 2...2, aggregate: true, type: { _ in .varchar(nil) })
        m["IVO_NOCASEMATCH"] = FunctionSpec(sql: "", arity: 2...2, type: { _ in .integer })
        return m
    }()

    /// Result type of arithmetic on two operands (SQL promotion; int op int stays integer).
    static func arithmetic(_ a: ADQLType, _ b: ADQLType) -> ADQLType {
        if a.isExactNumeric && b.isExactNumeric {
            return a == .bigint || b == .bigint ? .bigint : .integer
        }
        return .double
    }

    mutating func expression(_ e: Expression, _ scope: Scope) throws(ADQLError) -> Typed {
        let pos = e.position
        switch e.kind {
        case .column(let parts):
            return try column(parts, scope, at: pos)
        case .integer(let text):
            if text.hasPrefix("0x") {
                guard let v = UInt64(text.dropFirst(2), radix: 16) else {
                    throw .semantic("hexadecimal literal \(text) does not fit in 64 bits", at: pos)
                }
                return Typed(sql: "\(Int64(bitPattern: v))", meta: Self.meta("expr", .bigint), name: "expr")
            }
            if let v = Int64(text) {
                return Typed(sql: "\(v)", meta: Self.meta("expr", v > Int32.max ? .bigint : .integer), name: "expr")
            }
            return Typed(sql: text + ".0", meta: Self.meta("expr", .double), name: "expr")
        case .real(let text):
            let sql = text.hasPrefix(".") ? "0" + text : text
            return Typed(sql: sql, meta: Self.meta("expr", .double), name: "expr")
        case .string(let s):
            return Typed(sql: Self.literal(s), meta: Self.meta("expr", .varchar(nil)), name: "expr")
        case .null:
            return Typed(sql: "NULL", meta: Self.meta("expr", .unknown), name: "expr")
        case .unary(let op, let x):
            let t = try expression(x, scope)
            var m = t.meta
            m.type = m.type.isNumeric ? m.type : (op == "~" ? .bigint : .double)
            m.ucd = nil
            return Typed(sql: "(\(op)\(t.sql))", meta: m, name: "expr")
        case .binary(let op, let l, let r):
            let a = try expression(l, scope)
            let b = try expression(r, scope)
            if op == "||" {
                return Typed(sql: "(\(a.sql) || \(b.sql))", meta: Self.meta("expr", .varchar(nil)), name: "expr")
            }
            let type: ADQLType = ["&", "|", "^"].contains(op) ? .bigint : Self.arithmetic(a.meta.type, b.meta.type)
            if op == "^" {
                // SQLite has no XOR operator: a ^ b = (a | b) - (a & b)
                return Typed(sql: "((\(a.sql) | \(b.sql)) - (\(a.sql) & \(b.sql)))", meta: Self.meta("expr", type), name: "expr")
            }
            var m = Self.meta("expr", type)
            if (op == "+" || op == "-"), a.meta.unit == b.meta.unit { m.unit = a.meta.unit }
            return Typed(sql: "(\(a.sql) \(op) \(b.sql))", meta: m, name: "expr")
        case .comparison(let op, let l, let r):
            let a = try expression(l, scope)
            let b = try expression(r, scope)
            return Typed(sql: "(\(a.sql) \(op) \(b.sql))", meta: Self.meta("expr", .boolean), name: "expr")
        case .and(let l, let r):
            return Typed(sql: "(\(try expression(l, scope).sql) AND \(try expression(r, scope).sql))", meta: Self.meta("expr", .boolean), name: "expr")
        case .or(let l, let r):
            return Typed(sql: "(\(try expression(l, scope).sql) OR \(try expression(r, scope).sql))", meta: Self.meta("expr", .boolean), name: "expr")
        case .not(let x):
            return Typed(sql: "(NOT \(try expression(x, scope).sql))", meta: Self.meta("expr", .boolean), name: "expr")
        case .like(let v, let pattern, let negated, let ci):
            let a = try expression(v, scope)
            let b = try expression(pattern, scope)
            let not = negated ? "NOT " : ""
            // SQLite's LIKE folds ASCII case (ILIKE); ADQL's case-sensitive LIKE becomes GLOB for a
            // literal pattern (which SQLite can answer from an index for a literal prefix), else
            // a function with LIKE's wildcards and exact case.
            let sql: String
            if ci {
                sql = "(\(a.sql) \(not)LIKE \(b.sql))"
            } else if case .string(let p) = pattern.kind {
                sql = "(\(a.sql) \(not)GLOB \(Self.literal(Self.globPattern(fromLike: p))))"
            } else {
                sql = "(\(negated ? "NOT " : "")adql_like(\(a.sql), \(b.sql)))"
            }
            return Typed(sql: sql, meta: Self.meta("expr", .boolean), name: "expr")
        case .between(let v, let lo, let hi, let negated):
            let sql = "(\(try expression(v, scope).sql) \(negated ? "NOT " : "")BETWEEN \(try expression(lo, scope).sql) AND \(try expression(hi, scope).sql))"
            return Typed(sql: sql, meta: Self.meta("expr", .boolean), name: "expr")
        case .inList(let v, let items, let negated):
            let a = try expression(v, scope)
            var list: [String] = []
            for i in items { list.append(try expression(i, scope).sql) }
            return Typed(sql: "(\(a.sql) \(negated ? "NOT " : "")IN (\(list.joined(separator: ", "))))", meta: Self.meta("expr", .boolean), name: "expr")
        case .inQuery(let v, let q, let negated):
            let a = try expression(v, scope)
            // IN only asks whether a value occurs: DISTINCT in the subquery (pyvo writes it in
            // every member of its keyword UNION) changes nothing but makes SQLite scan in index
            // order; it is dropped where no TOP or OFFSET depends on it.
            let (sql, cols) = try query(Self.withoutDistinct(q), scope: scope, limit: nil, topLevel: false)
            if cols.count != 1 { throw .semantic("the subquery of IN must return one column, not \(cols.count)", at: q.position) }
            return Typed(sql: "(\(a.sql) \(negated ? "NOT " : "")IN (\(sql)))", meta: Self.meta("expr", .boolean), name: "expr")
        case .exists(let q):
            let (sql, _) = try query(q, scope: scope, limit: nil, topLevel: false)
            return Typed(sql: "(EXISTS (\(sql)))", meta: Self.meta("expr", .boolean), name: "expr")
        case .isNull(let v, let negated):
            return Typed(sql: "(\(try expression(v, scope).sql) IS \(negated ? "NOT " : "")NULL)", meta: Self.meta("expr", .boolean), name: "expr")
        case .subquery(let q):
            let (sql, cols) = try query(q, scope: scope, limit: nil, topLevel: false)
            if cols.count != 1 { throw .semantic("a scalar subquery must return one column, not \(cols.count)", at: q.position) }
            var m = cols[0]
            m.name = "expr"
            return Typed(sql: "(\(sql))", meta: m, name: cols[0].name)
        case .cast(let x, let target):
            return try cast(x, target, scope, at: pos)
        case .caseWhen(let operand, let whens, let otherwise):
            var sql = "(CASE"
            if let operand { sql += " " + (try expression(operand, scope).sql) }
            var type = ADQLType.unknown
            for (c, v) in whens {
                let tv = try expression(v, scope)
                if type == .unknown { type = tv.meta.type }
                sql += " WHEN \(try expression(c, scope).sql) THEN \(tv.sql)"
            }
            if let otherwise {
                let tv = try expression(otherwise, scope)
                if type == .unknown { type = tv.meta.type }
                sql += " ELSE \(tv.sql)"
            }
            return Typed(sql: sql + " END)", meta: Self.meta("expr", type), name: "expr")
        case .function(let name, let args, let distinct, let star):
            return try function(name, args, distinct: distinct, star: star, scope, at: pos)
        }
    }

    private mutating func cast(_ x: Expression, _ target: CastTarget, _ scope: Scope, at pos: SourcePosition) throws(ADQLError) -> Typed {
        let t = try expression(x, scope)
        let sql: String
        let type: ADQLType
        switch target.name {
        case "SMALLINT", "INTEGER", "BIGINT":
            sql = "CAST(\(t.sql) AS INTEGER)"
            type = target.name == "SMALLINT" ? .smallint : target.name == "INTEGER" ? .integer : .bigint
        case "REAL", "DOUBLE PRECISION":
            sql = "CAST(\(t.sql) AS REAL)"
            type = target.name == "REAL" ? .real : .double
        case "CHAR", "VARCHAR":
            if let n = target.length {
                sql = "substr(CAST(\(t.sql) AS TEXT), 1, \(n))"
            } else {
                sql = "CAST(\(t.sql) AS TEXT)"
            }
            type = target.name == "CHAR" ? .char(target.length) : .varchar(target.length)
        case "TIMESTAMP":
            sql = "CAST(\(t.sql) AS TEXT)"
            type = .timestamp
        default:
            throw .semantic("geometry type \(target.name) in CAST is not supported yet", at: pos)
        }
        var m = t.meta
        m.type = type
        if type == .timestamp { m.xtype = "timestamp" }
        return Typed(sql: sql, meta: m, name: t.name)
    }

    private mutating func function(
        _ name: String, _ args: [Expression], distinct: Bool, star: Bool, _ scope: Scope, at pos: SourcePosition
    ) throws(ADQLError) -> Typed {
        let upper = name.uppercased()
        if Self.geometryFunctions.contains(upper) {
            return try geometryFunction(upper, args, scope, at: pos)
        }
        if upper == "IN_UNIT" { throw .semantic("IN_UNIT (unit conversion) is not supported", at: pos) }
        guard let spec = Self.functionSpecs[upper] else {
            let udfs = Self.functionSpecs.keys.filter { $0.hasPrefix("IVO_") }.map { $0.lowercased() }.sorted()
            throw .semantic("unknown function '\(name)' (user-defined functions: \(udfs.joined(separator: ", ")))", at: pos)
        }
        let lname = upper.lowercased()
        if star {
            return Typed(sql: "count(*)", meta: Self.meta(lname, .bigint), name: lname)
        }
        guard spec.arity.contains(args.count) else {
            let want = spec.arity.lowerBound == spec.arity.upperBound ? "\(spec.arity.lowerBound)" : "\(spec.arity.lowerBound) to \(spec.arity.upperBound)"
            throw .semantic("function \(upper) takes \(want) argument\(spec.arity.upperBound == 1 ? "" : "s"), not \(args.count)", at: pos)
        }
        var typed: [Typed] = []
        for a in args { typed.append(try expression(a, scope)) }
        var m = Self.meta(lname, spec.type(typed.map(\.meta.type)))
        if spec.keepsUnit, let first = typed.first {
            m.unit = first.meta.unit
            m.ucd = first.meta.ucd
        }
        let argSQL = typed.map(\.sql)
        let sql: String
        switch upper {
        case "IVO_NOCASEMATCH":
            sql = "(\(argSQL[0]) LIKE \(argSQL[1]))"
        case "IVO_STRING_AGG":
            // SQLite's group_concat skips NULLs as RegTAP asks; coalesce gives "" for no rows.
            // (C speed: pyvo's searches run five of these per resource.)
            sql = "coalesce(group_concat(\(argSQL[0]), \(argSQL[1])), '')"
        case "COALESCE" where argSQL.count == 1:
            sql = argSQL[0]
        case "ROUND", "TRUNCATE":
            sql = "\(spec.sql)(\(argSQL[0]), \(argSQL.count > 1 ? argSQL[1] : "0"))"
        case "RAND":
            sql = "adql_rand()"
        default:
            sql = "\(spec.sql)(\(distinct ? "DISTINCT " : "")\(argSQL.joined(separator: ", ")))"
        }
        return Typed(sql: sql, meta: m, name: lname)
    }
}

extension Translation {
    /// POINT, CIRCLE, POLYGON, MOC, CONTAINS, INTERSECTS → the `adql_*` geometry functions
    /// (`GeometryFunctions`); the other ADQL geometry functions are refused.
    private mutating func geometryFunction(
        _ upper: String, _ args: [Expression], _ scope: Scope, at pos: SourcePosition
    ) throws(ADQLError) -> Typed {
        var args = args
        if ["POINT", "CIRCLE", "POLYGON"].contains(upper), let first = args.first, case .string = first.kind {
            args.removeFirst()  // the ADQL 2.0 coordinate system argument (ICRS assumed)
        }
        var typed: [Typed] = []
        for a in args { typed.append(try expression(a, scope)) }
        let sqlArgs = typed.map(\.sql).joined(separator: ", ")
        func isGeometry(_ t: Typed) -> Bool {
            t.sql.hasPrefix("adql_point(") || t.sql.hasPrefix("adql_circle(") || t.sql.hasPrefix("adql_polygon(")
                || t.sql.hasPrefix("adql_moc(") || t.meta.xtype == "moc"
        }
        func call(_ f: String, _ type: ADQLType) -> Typed {
            var m = Self.meta(upper.lowercased(), type)
            if type == .region { m.xtype = "moc" }
            return Typed(sql: "\(f)(\(sqlArgs))", meta: m, name: upper.lowercased())
        }
        switch upper {
        case "POINT":
            guard typed.count == 2 else { throw .semantic("POINT takes two coordinates, not \(typed.count) arguments", at: pos) }
            return call("adql_point", .unknown)
        case "CIRCLE":
            guard typed.count == 3 || (typed.count == 2 && isGeometry(typed[0])) else {
                throw .semantic("CIRCLE takes a centre (two coordinates or a POINT) and a radius", at: pos)
            }
            return call("adql_circle", .unknown)
        case "POLYGON":
            guard typed.count >= 3, typed.allSatisfy(isGeometry) || (typed.count >= 6 && typed.count % 2 == 0) else {
                throw .semantic("POLYGON takes three or more POINTs or pairs of coordinates", at: pos)
            }
            return call("adql_polygon", .unknown)
        case "MOC":
            guard typed.count == 1 || typed.count == 2 else { throw .semantic("MOC takes an ASCII MOC, or an order and a geometry", at: pos) }
            if typed.count == 1, case .string(let s) = args[0].kind {
                do { _ = try MOC(ascii: s) } catch { throw .semantic("MOC: \(error)", at: args[0].position) }
            }
            return call("adql_moc", .region)
        case "CONTAINS", "INTERSECTS":
            guard typed.count == 2 else { throw .semantic("\(upper) takes two geometries", at: pos) }
            return Typed(
                sql: "adql_\(upper.lowercased())(\(sqlArgs))", meta: Self.meta(upper.lowercased(), .integer), name: upper.lowercased())
        default:
            throw .semantic("geometry function \(upper) is not supported yet", at: pos)
        }
    }

    /// The query with DISTINCT removed from each SELECT of its body that has no TOP, when the
    /// query itself has no OFFSET (for IN subqueries, where duplicates do not matter).
    static func withoutDistinct(_ q: Query) -> Query {
        guard q.offset == nil else { return q }
        func strip(_ b: QueryBody) -> QueryBody {
            switch b {
            case .select(var core):
                if core.top == nil { core.distinct = false }
                return .select(core)
            case .nested(let inner): return .nested(withoutDistinct(inner))
            case .setOperation(let op, let all, let l, let r): return .setOperation(op, all: all, strip(l), strip(r))
            }
        }
        var out = q
        out.body = strip(q.body)
        return out
    }

    /// A LIKE pattern as a GLOB pattern: `%` → `*`, `_` → `?`, GLOB's own `*`, `?` and `[`
    /// bracketed so they match themselves.
    static func globPattern(fromLike p: String) -> String {
        var out = ""
        for ch in p {
            switch ch {
            case "%": out += "*"
            case "_": out += "?"
            case "*": out += "[*]"
            case "?": out += "[?]"
            case "[": out += "[[]"
            default: out.append(ch)
            }
        }
        return out
    }
}
