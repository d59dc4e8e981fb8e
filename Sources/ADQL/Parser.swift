/// A recursive-descent parser for ADQL 2.1 (plus CASE, NULLIF and bitwise operators).
///
/// Operator precedence, lowest first: OR; AND; NOT; predicates (comparison, BETWEEN, IN,
/// LIKE/ILIKE, IS NULL); `||` and the bitwise `&` `|` `^`; `+ -`; `* /`; unary `+ - ~`.
public struct Parser {
    private var tokens: [Token]
    private var p = 0
    /// How deep the tree being built is: nested queries, parenthesised expressions, function
    /// arguments, NOT and unary operators, and chains of left-associative operators.
    private var depth = 0

    /// The deepest nesting accepted. The parser and the translator recurse once (or more) per
    /// level and SQLite refuses expression trees deeper than 1000: a query nested deeper than
    /// this is refused with a syntax error instead of exhausting the stack. (Chains of AND and
    /// OR are built balanced, so thousands of them stay shallow.)
    public static let maxDepth = 100

    /// Parses one ADQL query (a trailing `;` is allowed).
    public static func parse(_ text: String) throws(ADQLError) -> Query {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        let q = try parser.query()
        if parser.peek.kind == .symbol(";") { parser.p += 1 }
        if parser.peek.kind != .end {
            throw .syntax("unexpected \(parser.peek.display) after the end of the query", at: parser.peek.position)
        }
        return q
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    // MARK: - Reserved words (ADQL 2.1 section 2.1.3/2.1.4)

    static let reserved: Set<String> = {
        let sql = """
            ABSOLUTE ACTION ADD ALL ALLOCATE ALTER AND ANY ARE AS ASC ASSERTION AT AUTHORIZATION AVG BEGIN BETWEEN BIT
            BIT_LENGTH BOTH BY CASCADE CASCADED CASE CAST CATALOG CHAR CHARACTER CHAR_LENGTH CHARACTER_LENGTH CHECK CLOSE
            COALESCE COLLATE COLLATION COLUMN COMMIT CONNECT CONNECTION CONSTRAINT CONSTRAINTS CONTINUE CONVERT
            CORRESPONDING COUNT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATE
            DAY DEALLOCATE DECIMAL DECLARE DEFAULT DEFERRABLE DEFERRED DELETE DESC DESCRIBE DESCRIPTOR DIAGNOSTICS
            DISCONNECT DISTINCT DOMAIN DOUBLE DROP ELSE END ESCAPE EXCEPT EXCEPTION EXEC EXECUTE EXISTS EXTERNAL EXTRACT
            FALSE FETCH FIRST FLOAT FOR FOREIGN FOUND FROM FULL GET GLOBAL GO GOTO GRANT GROUP HAVING HOUR IDENTITY ILIKE
            IMMEDIATE IN INDICATOR INITIALLY INNER INPUT INSENSITIVE INSERT INT INTEGER INTERSECT INTERVAL INTO IS
            ISOLATION JOIN KEY LANGUAGE LAST LEADING LEFT LEVEL LIKE LOCAL LOWER MATCH MAX MIN MINUTE MODULE MONTH NAMES
            NATIONAL NATURAL NCHAR NEXT NO NOT NULL NULLIF NUMERIC OCTET_LENGTH OF OFFSET ON ONLY OPEN OPTION OR ORDER
            OUTER OUTPUT OVERLAPS PAD PARTIAL POSITION PRECISION PREPARE PRESERVE PRIMARY PRIOR PRIVILEGES PROCEDURE
            PUBLIC READ REAL REFERENCES RELATIVE RESTRICT REVOKE RIGHT ROLLBACK ROWS SCHEMA SCROLL SECOND SECTION SELECT
            SESSION SESSION_USER SET SIZE SMALLINT SOME SPACE SQL SQLCODE SQLERROR SQLSTATE SUBSTRING SUM SYSTEM_USER
            TABLE TEMPORARY THEN TIME TIMESTAMP TIMEZONE_HOUR TIMEZONE_MINUTE TO TRAILING TRANSACTION TRANSLATE
            TRANSLATION TRIM TRUE UNION UNIQUE UNKNOWN UPDATE UPPER USAGE USER USING VALUE VALUES VARCHAR VARYING VIEW
            WHEN WHENEVER WHERE WITH WORK WRITE YEAR ZONE BIGINT
            """
        let adql = """
            ABS ACOS AREA ASIN ATAN ATAN2 BOX CEILING CENTROID CIRCLE CONTAINS COORD1 COORD2 COORDSYS COS COT DEGREES
            DISTANCE EXP FLOOR INTERSECTS IN_UNIT LOG LOG10 MOD PI POINT POLYGON POWER RADIANS REGION RAND ROUND SIN
            SQRT TOP TAN TRUNCATE
            """
        return Set((sql + " " + adql).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }()

    /// Reserved words that are nevertheless function names when followed by `(`.
    static let reservedFunctions: Set<String> = [
        "ABS", "ACOS", "AREA", "ASIN", "ATAN", "ATAN2", "BOX", "CEILING", "CENTROID", "CIRCLE", "CONTAINS",
        "COORD1", "COORD2", "COORDSYS", "COS", "COT", "DEGREES", "DISTANCE", "EXP", "FLOOR", "INTERSECTS",
        "IN_UNIT", "LOG", "LOG10", "MOD", "PI", "POINT", "POLYGON", "POWER", "RADIANS", "REGION", "RAND",
        "ROUND", "SIN", "SQRT", "TAN", "TRUNCATE", "LOWER", "UPPER", "COALESCE", "NULLIF", "COUNT", "SUM",
        "AVG", "MIN", "MAX",
    ]

    // MARK: - Nesting

    /// Goes one level deeper; throws past ``maxDepth``. Callers step back with `depth -= 1`
    /// (after an error the parse is abandoned, so only the normal paths need to).
    private mutating func enter(_ position: SourcePosition) throws(ADQLError) {
        depth += 1
        if depth > Self.maxDepth {
            throw .syntax(
                "the query nests too deeply (more than \(Self.maxDepth) levels of parentheses, subqueries, function calls or operators)",
                at: position)
        }
    }

    /// `items` joined by an associative operator as a balanced tree (depth log2 n, not n).
    private static func balanced(
        _ items: ArraySlice<Expression>, _ positions: ArraySlice<SourcePosition>,
        _ make: (Expression, Expression) -> ExpressionKind
    ) -> Expression {
        if items.count == 1 { return items[items.startIndex] }
        // The left half takes the extra item, so that `a AND b AND c` stays `(a AND b) AND c`.
        let mid = items.startIndex + (items.count + 1) / 2
        let left = balanced(items[..<mid], positions[positions.startIndex..<(mid - 1)], make)
        let right = balanced(items[mid...], positions[mid...], make)
        return Expression(make(left, right), positions[mid - 1])
    }

    // MARK: - Token helpers

    private var peek: Token { tokens[p] }
    private func peek(_ k: Int) -> Token { tokens[min(p + k, tokens.count - 1)] }

    private func isKeyword(_ k: String, at offset: Int = 0) -> Bool { peek(offset).keyword == k }
    private func isSymbol(_ s: String, at offset: Int = 0) -> Bool { peek(offset).kind == .symbol(s) }

    private mutating func accept(_ k: String) -> Bool {
        if isKeyword(k) {
            p += 1
            return true
        }
        return false
    }

    private mutating func acceptSymbol(_ s: String) -> Bool {
        if isSymbol(s) {
            p += 1
            return true
        }
        return false
    }

    private mutating func expect(_ k: String) throws(ADQLError) {
        guard accept(k) else { throw .syntax("expected \(k) but found \(peek.display)", at: peek.position) }
    }

    private mutating func expectSymbol(_ s: String) throws(ADQLError) {
        guard acceptSymbol(s) else { throw .syntax("expected '\(s)' but found \(peek.display)", at: peek.position) }
    }

    /// An identifier (regular but not reserved, or delimited).
    private mutating func identifier(_ what: String) throws(ADQLError) -> Identifier {
        let t = peek
        switch t.kind {
        case .word(let w):
            if Self.reserved.contains(w.uppercased()) {
                throw .syntax("expected \(what) but found reserved word '\(w)' (write it as \"\(w.lowercased())\" if it is a name)", at: t.position)
            }
            p += 1
            return Identifier(name: w, delimited: false, position: t.position)
        case .quoted(let q):
            p += 1
            return Identifier(name: q, delimited: true, position: t.position)
        default:
            throw .syntax("expected \(what) but found \(t.display)", at: t.position)
        }
    }

    private func isNameToken(_ t: Token) -> Bool {
        switch t.kind {
        case .word(let w): !Self.reserved.contains(w.uppercased())
        case .quoted: true
        default: false
        }
    }

    private var atIdentifier: Bool {
        switch peek.kind {
        case .word(let w): !Self.reserved.contains(w.uppercased())
        case .quoted: true
        default: false
        }
    }

    private mutating func unsignedInteger(_ what: String) throws(ADQLError) -> Int {
        let t = peek
        guard case .number(let n) = t.kind, let v = Int(n) else {
            throw .syntax("expected \(what) (an unsigned integer) but found \(t.display)", at: t.position)
        }
        p += 1
        return v
    }

    // MARK: - Queries

    /// [WITH ...] set-expression [ORDER BY ...] [OFFSET n]
    private mutating func query() throws(ADQLError) -> Query {
        let start = peek.position
        try enter(start)
        defer { depth -= 1 }
        var ctes: [CommonTableExpression] = []
        if accept("WITH") {
            repeat {
                let name = try identifier("a query name")
                try expect("AS")
                try expectSymbol("(")
                let q = try query()
                try expectSymbol(")")
                ctes.append(CommonTableExpression(name: name, query: q))
            } while acceptSymbol(",")
        }
        let body = try setExpression()
        var order: [OrderItem] = []
        if accept("ORDER") {
            try expect("BY")
            repeat {
                let e = try expression()
                var desc = false
                if accept("DESC") { desc = true } else { _ = accept("ASC") }
                order.append(OrderItem(expression: e, descending: desc))
            } while acceptSymbol(",")
        }
        var offset: Int?
        if accept("OFFSET") { offset = try unsignedInteger("the OFFSET") }
        return Query(with: ctes, body: body, orderBy: order, offset: offset, position: start)
    }

    /// UNION and EXCEPT (left-associative) over INTERSECT terms.
    private mutating func setExpression() throws(ADQLError) -> QueryBody {
        var left = try setTerm()
        let base = depth
        defer { depth = base }
        while true {
            let op: SetOperator
            let pos = peek.position
            if accept("UNION") { op = .union } else if accept("EXCEPT") { op = .except } else { return left }
            try enter(pos)
            let all = accept("ALL")
            if !all { _ = accept("DISTINCT") }
            let right = try setTerm()
            left = .setOperation(op, all: all, left, right)
        }
    }

    private mutating func setTerm() throws(ADQLError) -> QueryBody {
        var left = try setPrimary()
        let base = depth
        defer { depth = base }
        while isKeyword("INTERSECT") {
            try enter(peek.position)
            p += 1
            let all = accept("ALL")
            if !all { _ = accept("DISTINCT") }
            let right = try setPrimary()
            left = .setOperation(.intersect, all: all, left, right)
        }
        return left
    }

    private mutating func setPrimary() throws(ADQLError) -> QueryBody {
        if isSymbol("(") {
            p += 1
            let q = try query()
            try expectSymbol(")")
            return .nested(q)
        }
        return .select(try selectCore())
    }

    private mutating func selectCore() throws(ADQLError) -> SelectCore {
        let start = peek.position
        try expect("SELECT")
        var core = SelectCore(position: start)
        if accept("DISTINCT") { core.distinct = true } else { _ = accept("ALL") }
        if accept("TOP") { core.top = try unsignedInteger("the TOP row count") }
        repeat {
            core.items.append(try selectItem())
        } while acceptSymbol(",")
        try expect("FROM")
        repeat {
            core.from.append(try tableReference())
        } while acceptSymbol(",")
        if accept("WHERE") { core.whereClause = try expression() }
        if accept("GROUP") {
            try expect("BY")
            repeat { core.groupBy.append(try expression()) } while acceptSymbol(",")
        }
        if accept("HAVING") { core.having = try expression() }
        return core
    }

    private mutating func selectItem() throws(ADQLError) -> SelectItem {
        let start = peek.position
        if acceptSymbol("*") { return .all(start) }
        // qualifier.* : one to three identifiers followed by . *
        var k = 0
        var isQualifiedStar = false
        while isNameToken(peek(k)) && isSymbol(".", at: k + 1) {
            if isSymbol("*", at: k + 2) {
                isQualifiedStar = true
                break
            }
            k += 2
        }
        if isQualifiedStar {
            var parts: [Identifier] = [try identifier("a table name")]
            while acceptSymbol(".") {
                if acceptSymbol("*") { return .allOf(parts, start) }
                parts.append(try identifier("a table name"))
            }
        }
        let e = try expression()
        var alias: Identifier?
        if accept("AS") {
            alias = try identifier("a column alias")
        } else if atIdentifier {
            alias = try identifier("a column alias")
        }
        return .expression(e, alias: alias)
    }

    // MARK: - FROM

    private mutating func tableReference() throws(ADQLError) -> TableReference {
        var left = try tablePrimary()
        while true {
            let pos = peek.position
            var natural = false
            var type = JoinType.inner
            if accept("CROSS") {
                try expect("JOIN")
                let right = try tablePrimary()
                left = .join(.cross, natural: false, left, right, nil, position: pos)
                continue
            }
            if accept("NATURAL") { natural = true }
            if accept("INNER") {
                type = .inner
            } else if accept("LEFT") {
                type = .left
                _ = accept("OUTER")
            } else if accept("RIGHT") {
                type = .right
                _ = accept("OUTER")
            } else if accept("FULL") {
                type = .full
                _ = accept("OUTER")
            } else if !isKeyword("JOIN") {
                if natural { throw .syntax("expected JOIN but found \(peek.display)", at: peek.position) }
                return left
            }
            try expect("JOIN")
            let right = try tablePrimary()
            var cond: JoinCondition?
            if !natural {
                if accept("ON") {
                    cond = .on(try expression())
                } else if accept("USING") {
                    try expectSymbol("(")
                    var cols: [Identifier] = []
                    repeat { cols.append(try identifier("a column name")) } while acceptSymbol(",")
                    try expectSymbol(")")
                    cond = .using(cols)
                } else {
                    throw .syntax("expected ON or USING after the joined table but found \(peek.display)", at: peek.position)
                }
            }
            left = .join(type, natural: natural, left, right, cond, position: pos)
        }
    }

    private mutating func tablePrimary() throws(ADQLError) -> TableReference {
        let start = peek.position
        if isSymbol("(") {
            if isKeyword("SELECT", at: 1) || isKeyword("WITH", at: 1) || isSymbol("(", at: 1) && looksLikeQuery(from: p + 1) {
                p += 1
                let q = try query()
                try expectSymbol(")")
                _ = accept("AS")
                guard atIdentifier else {
                    throw .syntax("a subquery in FROM needs an alias (AS name) but found \(peek.display)", at: peek.position)
                }
                let alias = try identifier("an alias")
                return .derived(q, alias: alias, position: start)
            }
            p += 1
            let inner = try tableReference()
            try expectSymbol(")")
            return inner
        }
        var parts = [try identifier("a table name")]
        while acceptSymbol(".") { parts.append(try identifier("a table name")) }
        if parts.count > 3 { throw .syntax("too many qualifiers in table name", at: start) }
        var alias: Identifier?
        if accept("AS") {
            alias = try identifier("an alias")
        } else if atIdentifier {
            alias = try identifier("an alias")
        }
        return .table(name: parts, alias: alias, position: start)
    }

    /// Whether the parenthesis at `index` opens (possibly nested parentheses around) a query.
    private func looksLikeQuery(from index: Int) -> Bool {
        var k = index
        while k < tokens.count, tokens[k].kind == .symbol("(") { k += 1 }
        return k < tokens.count && (tokens[k].keyword == "SELECT" || tokens[k].keyword == "WITH")
    }

    // MARK: - Expressions

    mutating func expression() throws(ADQLError) -> Expression {
        try enter(peek.position)
        defer { depth -= 1 }
        return try orExpression()
    }

    private mutating func orExpression() throws(ADQLError) -> Expression {
        var items = [try andExpression()]
        var positions: [SourcePosition] = []
        while isKeyword("OR") {
            positions.append(peek.position)
            p += 1
            items.append(try andExpression())
        }
        return Self.balanced(items[...], positions[...]) { .or($0, $1) }
    }

    private mutating func andExpression() throws(ADQLError) -> Expression {
        var items = [try notExpression()]
        var positions: [SourcePosition] = []
        while isKeyword("AND") {
            positions.append(peek.position)
            p += 1
            items.append(try notExpression())
        }
        return Self.balanced(items[...], positions[...]) { .and($0, $1) }
    }

    private mutating func notExpression() throws(ADQLError) -> Expression {
        if isKeyword("NOT") {
            let pos = peek.position
            try enter(pos)
            defer { depth -= 1 }
            p += 1
            return Expression(.not(try notExpression()), pos)
        }
        return try predicate()
    }

    private mutating func predicate() throws(ADQLError) -> Expression {
        let start = peek.position
        if isKeyword("EXISTS") {
            p += 1
            try expectSymbol("(")
            let q = try query()
            try expectSymbol(")")
            return Expression(.exists(q), start)
        }
        let left = try valueExpression()
        let t = peek
        if case .symbol(let s) = t.kind, ["=", "<>", "!=", "<", ">", "<=", ">="].contains(s) {
            p += 1
            let right = try valueExpression()
            return Expression(.comparison(s == "!=" ? "<>" : s, left, right), t.position)
        }
        var negated = false
        if isKeyword("NOT"), let k = peek(1).keyword, ["BETWEEN", "IN", "LIKE", "ILIKE"].contains(k) {
            p += 1
            negated = true
        }
        if accept("BETWEEN") {
            let lo = try valueExpression()
            try expect("AND")
            let hi = try valueExpression()
            return Expression(.between(left, lo, hi, negated: negated), t.position)
        }
        if accept("LIKE") {
            return Expression(.like(left, try valueExpression(), negated: negated, caseInsensitive: false), t.position)
        }
        if accept("ILIKE") {
            return Expression(.like(left, try valueExpression(), negated: negated, caseInsensitive: true), t.position)
        }
        if accept("IN") {
            try expectSymbol("(")
            if isKeyword("SELECT") || isKeyword("WITH") || looksLikeQuery(from: p) {
                let q = try query()
                try expectSymbol(")")
                return Expression(.inQuery(left, q, negated: negated), t.position)
            }
            var items: [Expression] = []
            repeat { items.append(try valueExpression()) } while acceptSymbol(",")
            try expectSymbol(")")
            return Expression(.inList(left, items, negated: negated), t.position)
        }
        if accept("IS") {
            let neg = accept("NOT")
            try expect("NULL")
            return Expression(.isNull(left, negated: neg), t.position)
        }
        return left
    }

    /// `||` and bitwise & | ^ (one level, left-associative), over additive expressions.
    private mutating func valueExpression() throws(ADQLError) -> Expression {
        var left = try additive()
        let base = depth
        defer { depth = base }
        while case .symbol(let s) = peek.kind, ["||", "&", "|", "^"].contains(s) {
            let pos = peek.position
            try enter(pos)
            p += 1
            left = Expression(.binary(s, left, try additive()), pos)
        }
        return left
    }

    private mutating func additive() throws(ADQLError) -> Expression {
        var left = try term()
        let base = depth
        defer { depth = base }
        while case .symbol(let s) = peek.kind, s == "+" || s == "-" {
            let pos = peek.position
            try enter(pos)
            p += 1
            left = Expression(.binary(s, left, try term()), pos)
        }
        return left
    }

    private mutating func term() throws(ADQLError) -> Expression {
        var left = try factor()
        let base = depth
        defer { depth = base }
        while case .symbol(let s) = peek.kind, s == "*" || s == "/" {
            let pos = peek.position
            try enter(pos)
            p += 1
            left = Expression(.binary(s, left, try factor()), pos)
        }
        return left
    }

    private mutating func factor() throws(ADQLError) -> Expression {
        if case .symbol(let s) = peek.kind, s == "+" || s == "-" || s == "~" {
            let pos = peek.position
            try enter(pos)
            defer { depth -= 1 }
            p += 1
            return Expression(.unary(s, try factor()), pos)
        }
        return try primary()
    }

    private mutating func primary() throws(ADQLError) -> Expression {
        let t = peek
        let pos = t.position
        switch t.kind {
        case .number(let n):
            p += 1
            if n.hasPrefix("0x") || n.allSatisfy(\.isNumber) { return Expression(.integer(n), pos) }
            return Expression(.real(n), pos)
        case .string(let s):
            p += 1
            return Expression(.string(s), pos)
        case .symbol("("):
            if isKeyword("SELECT", at: 1) || isKeyword("WITH", at: 1) || (isSymbol("(", at: 1) && looksLikeQuery(from: p + 1)) {
                p += 1
                let q = try query()
                try expectSymbol(")")
                return Expression(.subquery(q), pos)
            }
            p += 1
            let e = try expression()
            try expectSymbol(")")
            return e
        case .quoted:
            return try columnReference()
        case .word(let w):
            let upper = w.uppercased()
            if upper == "NULL" {
                p += 1
                return Expression(.null, pos)
            }
            if upper == "CASE" { return try caseExpression() }
            if upper == "CAST" { return try castExpression() }
            if isSymbol("(", at: 1) {
                if Self.reserved.contains(upper) && !Self.reservedFunctions.contains(upper) {
                    throw .syntax("'\(w)' is a reserved word, not a function", at: pos)
                }
                return try functionCall()
            }
            if Self.reserved.contains(upper) {
                throw .syntax("expected an expression but found reserved word '\(w)'", at: pos)
            }
            return try columnReference()
        case .end:
            throw .syntax("expected an expression but found end of query", at: pos)
        default:
            throw .syntax("expected an expression but found \(t.display)", at: pos)
        }
    }

    private mutating func columnReference() throws(ADQLError) -> Expression {
        let pos = peek.position
        var parts = [try identifier("a column name")]
        while isSymbol(".") {
            p += 1
            parts.append(try identifier("a column name"))
        }
        if parts.count > 4 { throw .syntax("too many qualifiers in column reference", at: pos) }
        return Expression(.column(parts), pos)
    }

    private mutating func functionCall() throws(ADQLError) -> Expression {
        let t = peek
        guard case .word(let name) = t.kind else { throw .syntax("expected a function name", at: t.position) }
        p += 1
        try expectSymbol("(")
        let upper = name.uppercased()
        if upper == "COUNT" && acceptSymbol("*") {
            try expectSymbol(")")
            return Expression(.function(name: name, args: [], distinct: false, star: true), t.position)
        }
        var distinct = false
        if ["COUNT", "SUM", "AVG", "MIN", "MAX"].contains(upper) {
            if accept("DISTINCT") { distinct = true } else { _ = accept("ALL") }
        }
        var args: [Expression] = []
        if !isSymbol(")") {
            repeat { args.append(try expression()) } while acceptSymbol(",")
        }
        try expectSymbol(")")
        return Expression(.function(name: name, args: args, distinct: distinct, star: false), t.position)
    }

    private mutating func caseExpression() throws(ADQLError) -> Expression {
        let pos = peek.position
        try expect("CASE")
        var operand: Expression?
        if !isKeyword("WHEN") { operand = try expression() }
        var whens: [(Expression, Expression)] = []
        while accept("WHEN") {
            let c = try expression()
            try expect("THEN")
            whens.append((c, try expression()))
        }
        if whens.isEmpty { throw .syntax("expected WHEN but found \(peek.display)", at: peek.position) }
        var otherwise: Expression?
        if accept("ELSE") { otherwise = try expression() }
        try expect("END")
        return Expression(.caseWhen(operand: operand, whens: whens, otherwise: otherwise), pos)
    }

    private mutating func castExpression() throws(ADQLError) -> Expression {
        let pos = peek.position
        try expect("CAST")
        try expectSymbol("(")
        let e = try expression()
        try expect("AS")
        let t = peek
        guard var name = t.keyword else { throw .syntax("expected a type name but found \(t.display)", at: t.position) }
        p += 1
        if name == "DOUBLE" {
            try expect("PRECISION")
            name = "DOUBLE PRECISION"
        }
        let known = ["CHAR", "VARCHAR", "SMALLINT", "INTEGER", "BIGINT", "REAL", "DOUBLE PRECISION", "TIMESTAMP", "POINT", "CIRCLE", "POLYGON"]
        guard known.contains(name) else {
            throw .syntax("unknown type '\(name)' in CAST (one of \(known.joined(separator: ", ")))", at: t.position)
        }
        var length: Int?
        if (name == "CHAR" || name == "VARCHAR") && acceptSymbol("(") {
            length = try unsignedInteger("a length")
            try expectSymbol(")")
        }
        try expectSymbol(")")
        return Expression(.cast(e, CastTarget(name: name, length: length)), pos)
    }
}
