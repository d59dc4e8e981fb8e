import Testing

@testable import ADQL

/// The parser on valid ADQL 2.1 and on errors with their positions.
@Suite struct ParserTests {
    static let valid: [String] = [
        "SELECT * FROM rr.resource",
        "SELECT ALL TOP 10 ivoid FROM rr.resource",
        "SELECT DISTINCT res_type AS t FROM rr.resource r WHERE r.ivoid LIKE 'ivo://%'",
        "select r.* , c.standard_id from rr.resource as r join rr.capability as c on r.ivoid = c.ivoid",
        "SELECT ivoid FROM rr.resource NATURAL JOIN rr.capability NATURAL LEFT OUTER JOIN rr.interface",
        "SELECT * FROM rr.resource RIGHT OUTER JOIN rr.capability USING (ivoid)",
        "SELECT * FROM rr.resource FULL JOIN rr.capability USING (ivoid) CROSS JOIN rr.res_subject",
        "SELECT * FROM (rr.resource INNER JOIN rr.capability USING (ivoid))",
        "SELECT a.x FROM (SELECT ivoid AS x FROM rr.resource) AS a",
        "SELECT ivoid FROM rr.resource WHERE ivoid IN (SELECT ivoid FROM rr.capability) AND NOT EXISTS (SELECT 1 FROM rr.res_subject s WHERE s.ivoid = rr.resource.ivoid)",
        "SELECT (SELECT COUNT(*) FROM rr.capability c WHERE c.ivoid = r.ivoid) AS n FROM rr.resource r",
        "SELECT ivoid FROM rr.resource UNION ALL SELECT ivoid FROM rr.capability EXCEPT SELECT ivoid FROM rr.res_subject",
        "(SELECT ivoid FROM rr.resource) INTERSECT (SELECT ivoid FROM rr.capability ORDER BY 1) ORDER BY ivoid OFFSET 2",
        "WITH caps AS (SELECT ivoid, COUNT(*) AS n FROM rr.capability GROUP BY ivoid) SELECT * FROM caps WHERE n > 1",
        "SELECT CASE WHEN region_of_regard > 1 THEN 'big' ELSE 'small' END FROM rr.resource",
        "SELECT CASE res_type WHEN 'vs:catalogservice' THEN 1 WHEN 'vs:dataresource' THEN 2 END FROM rr.resource",
        "SELECT COALESCE(short_name, res_title, 'x'), NULLIF(res_type, '') FROM rr.resource",
        "SELECT 1 + 2 * 3 - -4 / 2, 0x1F, 1.5e-3, .5, 5. FROM rr.resource",
        "SELECT 'it''s' || res_title FROM rr.resource WHERE res_title ILIKE '%a%' AND res_title NOT LIKE 'b%'",
        "SELECT * FROM rr.resource WHERE region_of_regard BETWEEN 1 AND 2 OR region_of_regard NOT BETWEEN 3 AND 4",
        "SELECT * FROM rr.resource WHERE short_name IS NOT NULL AND rights IS NULL AND res_type NOT IN ('a', 'b')",
        "SELECT ABS(-1), CEILING(1.2), DEGREES(1), EXP(1), FLOOR(1.5), LOG(2), LOG10(100), MOD(7, 3), PI(), POWER(2, 3), RADIANS(180), RAND(), RAND(3), ROUND(1.25, 1), ROUND(2.5), SQRT(4), TRUNCATE(1.29, 1) FROM rr.resource",
        "SELECT ACOS(1), ASIN(0), ATAN(1), ATAN2(1, 1), COS(0), COT(1), SIN(0), TAN(0), LOWER(res_title), UPPER(res_title) FROM rr.resource",
        "SELECT CAST(cap_index AS VARCHAR(3)), CAST('1' AS INTEGER), CAST(1 AS DOUBLE PRECISION), CAST(created AS TIMESTAMP) FROM rr.capability NATURAL JOIN rr.resource",
        "SELECT COUNT(*), COUNT(DISTINCT res_type), SUM(cap_index), AVG(cap_index), MIN(cap_index), MAX(cap_index) FROM rr.capability GROUP BY ivoid HAVING COUNT(*) > 1 ORDER BY 1 DESC, 2 ASC",
        "SELECT cap_index & 3, cap_index | 4, cap_index ^ 1, ~cap_index FROM rr.capability",
        "SELECT \"ivoid\" FROM \"rr\".\"resource\" -- a comment\nWHERE rr.resource.ivoid <> 'x' AND ivoid != 'y';",
        "SELECT ivo_string_agg(res_subject, ',') FROM rr.res_subject GROUP BY ivoid",
        "SELECT * FROM rr.stc_spatial WHERE 1 = CONTAINS(POINT('ICRS', 10, 20), coverage)",
    ]

    @Test(arguments: valid) func parses(_ q: String) throws {
        _ = try Parser.parse(q)
    }

    @Test func precedence() throws {
        let q = try Parser.parse("SELECT 1 + 2 * 3 FROM t WHERE a = 1 OR b = 2 AND NOT c = 3")
        guard case .select(let core) = q.body, case .expression(let e, _) = core.items[0] else {
            Issue.record("no select")
            return
        }
        guard case .binary("+", _, let rhs) = e.kind, case .binary("*", _, _) = rhs.kind else {
            Issue.record("wrong arithmetic tree \(e.kind)")
            return
        }
        guard case .or(_, let right) = core.whereClause?.kind, case .and(_, let not) = right.kind, case .not = not.kind else {
            Issue.record("wrong boolean tree")
            return
        }
    }

    @Test func literalsAndIdentifiers() throws {
        let q = try Parser.parse("SELECT 'a''b', \"Mixed\"\"Case\", 0xff, 2E+3 FROM x")
        guard case .select(let core) = q.body else { return }
        let kinds = core.items.compactMap { item -> ExpressionKind? in
            if case .expression(let e, _) = item { return e.kind }
            return nil
        }
        if case .string(let s) = kinds[0] { #expect(s == "a'b") } else { Issue.record("not a string") }
        if case .column(let c) = kinds[1] {
            #expect(c[0].name == "Mixed\"Case")
            #expect(c[0].delimited)
        } else { Issue.record("not a column") }
        if case .integer(let h) = kinds[2] { #expect(h == "0xff") } else { Issue.record("not hex") }
        if case .real(let r) = kinds[3] { #expect(r == "2E+3") } else { Issue.record("not real") }
    }

    @Test func positionsAreTracked() throws {
        let q = try Parser.parse("SELECT a,\n  foo\nFROM t")
        guard case .select(let core) = q.body, case .expression(let e, _) = core.items[1] else { return }
        #expect(e.position == SourcePosition(line: 2, column: 3))
    }

    static let invalid: [(String, Int, Int, String)] = [
        ("SELECT ivoid WHERE x = 1", 1, 14, "expected FROM but found 'WHERE'"),
        ("SELECT FROM rr.resource", 1, 8, "expected an expression but found reserved word 'FROM'"),
        ("SELECT a FROM t WHERE", 1, 22, "expected an expression but found end of query"),
        ("SELECT a FROM t\nWHERE b = 'open", 2, 11, "unterminated string literal"),
        ("SELECT a FROM t WHERE b = #", 1, 27, "unexpected character '#'"),
        ("SELECT TOP x a FROM t", 1, 12, "expected the TOP row count (an unsigned integer) but found 'x'"),
        ("SELECT a FROM (SELECT b FROM t)", 1, 32, "a subquery in FROM needs an alias"),
        ("SELECT a FROM t JOIN u", 1, 23, "expected ON or USING"),
        ("SELECT select FROM t", 1, 8, "reserved word"),
        ("SELECT a FROM t ORDER a", 1, 23, "expected BY but found 'a'"),
        ("SELECT a FROM t x y", 1, 19, "unexpected 'y' after the end of the query"),
        ("SELECT 12abc FROM t", 1, 8, "malformed numeric literal"),
        ("SELECT CAST(a AS TEXT) FROM t", 1, 18, "unknown type 'TEXT'"),
        ("SELECT CASE END FROM t", 1, 13, "found reserved word 'END'"),
        ("SELECT a FROM t WHERE a IN ()", 1, 29, "expected an expression"),
        ("SELECT \"\" FROM t", 1, 8, "empty delimited identifier"),
        ("SELECT a FROM t UNION", 1, 22, "expected SELECT"),
    ]

    @Test(arguments: invalid) func rejects(_ c: (String, Int, Int, String)) {
        do {
            _ = try Parser.parse(c.0)
            Issue.record("accepted: \(c.0)")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.line == c.1 && error.column == c.2, "\(error) for \(c.0)")
            #expect(error.message.contains(c.3), "\(error.message)")
            #expect(error.description.hasPrefix("line \(c.1), column \(c.2): "))
        }
    }

    /// Found while writing the FuzzADQL target (these inputs, run through it, end in an
    /// AddressSanitizer stack-overflow report): nesting without a bound overflowed the stack of
    /// the parser (parentheses) or of the translator (NOT, unary minus, long operator chains),
    /// a crash of the whole server from one query. Deeper than `Parser.maxDepth` is now a
    /// syntax error at the place where the limit is passed.
    @Test func deepNestingIsASyntaxErrorNotAStackOverflow() {
        let n = 5000
        let catalog = ADQLCatalog(tables: ADQLCatalog.regTAP())
        let open: String = String(repeating: "(", count: n)
        let close: String = String(repeating: ")", count: n)
        let abs: String = String(repeating: "ABS(", count: n)
        let nots: String = String(repeating: "NOT ", count: n)
        let minus: String = String(repeating: "- ", count: n)
        let sum: String = Array(repeating: "1", count: 20000).joined(separator: "+")
        let subqueries: String = String(repeating: "SELECT * FROM (", count: n)
        let aliases: String = String(repeating: ") AS t", count: n)
        let unions: String = Array(repeating: "SELECT ivoid FROM rr.resource", count: 2000).joined(separator: " UNION ")
        let concat: String = String(repeating: " || 'a'", count: n)
        let deep: [String] = [
            "SELECT \(open)1\(close) FROM rr.resource", "SELECT 1 FROM rr.resource WHERE \(nots)1=1",
            "SELECT \(sum) FROM rr.resource", "SELECT \(minus)1 FROM rr.resource",
            "SELECT \(abs)1\(close) FROM rr.resource", "\(subqueries)SELECT 1 FROM rr.resource\(aliases)", unions,
            "SELECT 'a'\(concat) FROM rr.resource",
        ]
        for q in deep {
            do {
                _ = try ADQLTranslator.translate(q, catalog: catalog, rowLimit: 10)
                Issue.record("accepted: \(q.prefix(60))")
            } catch {
                #expect(error.kind == .syntax)
                #expect(error.message.contains("nests too deeply"), "\(error)")
                #expect(error.line == 1 && error.column > 1)
            }
        }
        // Within the limit everything still works, and long AND/OR chains (balanced trees)
        // are not limited at all.
        let parens: String = String(repeating: "(", count: 90) + "1" + String(repeating: ")", count: 90)
        let nots90: String = String(repeating: "NOT ", count: 90)
        let sum90: String = Array(repeating: "1", count: 90).joined(separator: "+")
        let ors: String = (0..<5000).map { (i: Int) -> String in "ivoid = 'ivo://x/\(i)'" }.joined(separator: " OR ")
        let ands: String = Array(repeating: "1=1", count: 5000).joined(separator: " AND ")
        let ok: [String] = [
            "SELECT \(parens) FROM rr.resource", "SELECT 1 FROM rr.resource WHERE \(nots90)1=1",
            "SELECT \(sum90) FROM rr.resource", "SELECT ivoid FROM rr.resource WHERE \(ors)",
            "SELECT ivoid FROM rr.resource WHERE \(ands)",
        ]
        for q in ok {
            #expect(throws: Never.self, "\(q.prefix(60))") { _ = try ADQLTranslator.translate(q, catalog: catalog, rowLimit: 10) }
        }
    }

    /// AND/OR chains become balanced trees; short ones keep their left-to-right shape.
    @Test func andOrChainsAreBalanced() throws {
        func whereTree(_ q: String) throws -> Expression? {
            guard case .select(let core) = try Parser.parse(q).body else { return nil }
            return core.whereClause
        }
        func depth(_ e: Expression) -> Int {
            switch e.kind {
            case .and(let a, let b), .or(let a, let b): 1 + max(depth(a), depth(b))
            default: 0
            }
        }
        let three = try whereTree("SELECT * FROM t WHERE a = 1 AND b = 2 AND c = 3")
        guard case .and(let l, _)? = three?.kind, case .and = l.kind else {
            Issue.record("(a AND b) AND c expected")
            return
        }
        let many = try whereTree("SELECT * FROM t WHERE " + (0..<1024).map { "a = \($0)" }.joined(separator: " OR "))
        #expect(many.map(depth) == 10)
    }
}
