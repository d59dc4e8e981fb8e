import Foundation
import Testing
import TestSupport

@testable import ADQL

/// Translation to SQLite SQL: names, limits, quoting, result metadata, semantic errors.
@Suite struct TranslationTests {
    let catalog = ADQLCatalog(tables: ADQLCatalog.regTAP())

    func sql(_ q: String, limit: Int? = nil) throws -> ADQLTranslation {
        try ADQLTranslator.translate(q, catalog: catalog, rowLimit: limit)
    }

    func semanticError(_ q: String) -> ADQLError? {
        do {
            _ = try ADQLTranslator.translate(q, catalog: catalog, rowLimit: nil)
            return nil
        } catch {
            return error
        }
    }

    @Test func catalogHasTheRegTAPSchema() throws {
        #expect(catalog.tables.count == 18)
        let cap = try #require(catalog.table(qualifiedName: "rr.capability"))
        #expect(cap.sqlName == "rr_capability")
        #expect(cap.column("cap_index")?.type == .smallint)
        #expect(catalog.table(schema: "rr", name: "table_column")?.column("std")?.type == .smallint)
        let res = try #require(catalog.table(qualifiedName: "rr.resource"))
        #expect(res.column("region_of_regard")?.type == .real)
        #expect(res.column("region_of_regard")?.unit == "deg")
        #expect(res.column("created")?.xtype == "timestamp")
        #expect(res.column("res_description")?.fullText == "description")
        #expect(res.columns.allSatisfy { $0.std && $0.description != nil })
        #expect(catalog.table(qualifiedName: "rr.stc_temporal")?.column("time_start")?.unit == "d")
        #expect(catalog.table(qualifiedName: "rr.stc_spectral")?.column("spectral_end")?.unit == "J")
        #expect(catalog.table(qualifiedName: "rr.tap_table")?.sqlName == "rr_tap_table")
        let views = ADQLCatalog.regTAP(sqlName: { "v_" + $0.name })
        #expect(views.first { $0.name == "interface" }?.sqlName == "v_interface")
        #expect(ADQLType.varchar(nil).votable.arraysize == "*")
        #expect(ADQLType.char(19).votable.arraysize == "19")
        #expect(ADQLType.bigint.votable.datatype == "long")
    }

    @Test func limits() throws {
        #expect(try sql("SELECT TOP 5 ivoid FROM rr.resource").sql.hasSuffix(" LIMIT 5"))
        #expect(try sql("SELECT TOP 5 ivoid FROM rr.resource", limit: 3).sql.hasSuffix(" LIMIT 3"))
        #expect(try sql("SELECT TOP 5 ivoid FROM rr.resource", limit: 30).sql.hasSuffix(" LIMIT 5"))
        #expect(try sql("SELECT ivoid FROM rr.resource", limit: 30).sql.hasSuffix(" LIMIT 30"))
        #expect(!(try sql("SELECT ivoid FROM rr.resource").sql.contains("LIMIT")))
        #expect(try sql("SELECT ivoid FROM rr.resource OFFSET 4").sql.hasSuffix(" LIMIT -1 OFFSET 4"))
        #expect(try sql("SELECT TOP 2 ivoid FROM rr.resource ORDER BY ivoid OFFSET 4").sql.hasSuffix(" ORDER BY \"ivoid\" LIMIT 2 OFFSET 4"))
    }

    @Test func namesAreQuotedAndMapped() throws {
        let t = try sql("SELECT r.ivoid, res_title AS \"Title\" FROM rr.resource AS r WHERE r.res_type = 'vs:catalogservice'")
        #expect(t.sql == "SELECT \"_t1\".\"ivoid\" AS \"ivoid\", \"_t1\".\"res_title\" AS \"Title\" FROM \"rr_resource\" AS \"_t1\" WHERE ((\"_t1\".\"res_type\" = 'vs:catalogservice'))")
        #expect(t.columns.map(\.name) == ["ivoid", "Title"])
        #expect(t.columns[1].description == "The full name given to the resource.")
    }

    @Test func stringLiteralsCannotInject() throws {
        let t = try sql("SELECT ivoid FROM rr.resource WHERE res_title = 'x''; DROP TABLE records; --'")
        #expect(t.sql.contains("'x''; DROP TABLE records; --'"))
        let d = try sql("SELECT \"a\"\"b\" FROM (SELECT ivoid AS \"a\"\"b\" FROM rr.resource) AS q")
        #expect(d.sql.contains("\"a\"\"b\""))
    }

    @Test func outputNamesAreUniqueAndTyped() throws {
        let t = try sql("SELECT ivoid, ivoid, COUNT(*), COUNT(*), 1, 2.5, 'x', MAX(region_of_regard) FROM rr.resource GROUP BY ivoid")
        #expect(t.columns.map(\.name) == ["ivoid", "ivoid_2", "count", "count_2", "expr", "expr_2", "expr_3", "max"])
        #expect(t.columns[2].type == .bigint)
        #expect(t.columns[4].type == .integer)
        #expect(t.columns[5].type == .double)
        #expect(t.columns[6].type == .varchar(nil))
        #expect(t.columns[7].type == .real)
        #expect(t.columns[7].unit == "deg")
    }

    @Test func naturalJoinColumnsAreMerged() throws {
        let t = try sql("SELECT * FROM rr.resource NATURAL JOIN rr.res_subject")
        #expect(t.columns.filter { $0.name == "ivoid" }.count == 1)
        #expect(t.columns.count == 18 + 1)
        #expect(t.sql.contains("SELECT \"ivoid\" AS \"ivoid\""))
        #expect(t.sql.contains("NATURAL JOIN"))
        // unqualified common column is fine; a non-merged duplicate is ambiguous
        #expect(semanticError("SELECT ivoid FROM rr.resource, rr.capability")?.message.contains("ambiguous column 'ivoid'") == true)
        #expect(try sql("SELECT ivoid FROM rr.resource JOIN rr.capability USING (ivoid)").sql.contains("USING (\"ivoid\")"))
    }

    @Test func setOperationsAndCTEs() throws {
        let t = try sql("SELECT TOP 1 ivoid FROM rr.resource UNION SELECT ivoid FROM rr.capability ORDER BY ivoid DESC", limit: 10)
        #expect(t.sql.contains("SELECT * FROM (SELECT \"_t1\".\"ivoid\" AS \"ivoid\" FROM \"rr_resource\" AS \"_t1\" LIMIT 1) UNION SELECT"))
        #expect(t.sql.hasSuffix("ORDER BY 1 DESC LIMIT 10"))
        let w = try sql("WITH c AS (SELECT ivoid, COUNT(*) AS n FROM rr.capability GROUP BY ivoid) SELECT ivoid, n FROM c WHERE n > 1")
        #expect(w.sql.hasPrefix("WITH \"_c2\" AS (SELECT"))
        #expect(w.columns.map(\.name) == ["ivoid", "n"])
        #expect(w.columns[1].type == .bigint)
        #expect(semanticError("SELECT ivoid FROM rr.resource UNION SELECT ivoid, cap_index FROM rr.capability")?.message.contains("have 1 and 2 columns") == true)
    }

    @Test func distinctIsDroppedInsideInSubqueriesOnly() throws {
        let t = try sql("SELECT DISTINCT ivoid FROM rr.resource WHERE ivoid IN (SELECT DISTINCT ivoid FROM rr.capability UNION ALL SELECT DISTINCT ivoid FROM rr.res_subject)")
        #expect(t.sql.hasPrefix("SELECT DISTINCT"))
        #expect(t.sql.components(separatedBy: "DISTINCT").count == 2)  // only the outer one
        let top = try sql("SELECT ivoid FROM rr.resource WHERE ivoid IN (SELECT DISTINCT TOP 3 ivoid FROM rr.capability)")
        #expect(top.sql.contains("SELECT DISTINCT"))
    }

    @Test func likeIlikeAndUDFs() throws {
        let t = try sql("SELECT ivoid FROM rr.res_subject WHERE res_subject LIKE 'A%' AND res_subject ILIKE 'b%' AND 1 = ivo_nocasematch(res_subject, 'c%')")
        #expect(t.sql.contains("(\"_t1\".\"res_subject\" GLOB 'A*')"))
        #expect(t.sql.contains("(\"_t1\".\"res_subject\" LIKE 'b%')"))
        #expect(t.sql.contains("(\"_t1\".\"res_subject\" LIKE 'c%')"))
        // GLOB's own wildcards in a LIKE pattern match themselves; a pattern that is not a
        // literal goes through adql_like.
        let g = try sql("SELECT ivoid FROM rr.res_subject WHERE res_subject LIKE 'a*b?[c]_%' OR res_subject NOT LIKE res_subject")
        #expect(g.sql.contains("GLOB 'a[*]b[?][[]c]?*'"))
        #expect(g.sql.contains("(NOT adql_like(\"_t1\".\"res_subject\", \"_t1\".\"res_subject\"))"))
        let m = try sql("SELECT LOG10(region_of_regard), MOD(7, 2), ROUND(region_of_regard) FROM rr.resource")
        #expect(m.sql.contains("adql_log10(") && m.sql.contains("adql_mod(7, 2)") && m.sql.contains("adql_round(\"_t1\".\"region_of_regard\", 0)"))
    }

    @Test func wordSearchUsesTheFullTextIndexOnlyWhereItCan() throws {
        let t = try sql("SELECT ivoid FROM rr.resource WHERE 1 = ivo_hasword(res_description, 'Quasar \"x\"') AND ivo_hasword(res_title, 'y') = 1")
        #expect(t.sql.contains("\"_t1\".\"ivoid\" IN (SELECT ivoid FROM records WHERE rid IN (SELECT rowid FROM rr_fts WHERE rr_fts MATCH '{description} : \"quasar x\"'))"))
        #expect(t.sql.contains("MATCH '{title} : \"y\"'"))
        // under OR, on other columns, or with a non-literal needle: the Swift function
        let o = try sql("SELECT ivoid FROM rr.resource WHERE 1 = ivo_hasword(res_description, 'a') OR 1 = ivo_hasword(res_title, 'b')")
        #expect(!o.sql.contains("rr_fts") && o.sql.contains("ivo_hasword("))
        let c = try sql("SELECT ivoid FROM rr.capability WHERE 1 = ivo_hasword(cap_description, 'a')")
        #expect(!c.sql.contains("rr_fts"))
        let e = try sql("SELECT ivoid FROM rr.resource WHERE 1 = ivo_hasword(res_title, '--')")
        #expect(e.sql.contains("(0)"))
    }

    @Test func semanticErrorsNameTheThingAndPosition() {
        let col = semanticError("SELECT foo FROM rr.resource")
        #expect(col?.kind == .semantic)
        #expect(col?.description.hasPrefix("line 1, column 8: unknown column 'foo' (in rr.resource: ivoid, res_type,") == true)
        let tab = semanticError("SELECT * FROM sqlite_master")
        #expect(tab?.message.hasPrefix("unknown table 'sqlite_master'") == true)
        #expect(tab?.column == 15)
        for name in ["records", "rr_fts", "rr_resource", "main.records"] {
            #expect(semanticError("SELECT * FROM \(name)")?.message.hasPrefix("unknown table") == true, "\(name)")
        }
        let fn = semanticError("SELECT load_extension('x') FROM rr.resource")
        #expect(fn?.message.hasPrefix("unknown function 'load_extension'") == true)
        #expect(fn?.column == 8)
        let geo = semanticError("SELECT * FROM rr.stc_spatial WHERE 1 = AREA(coverage)")
        #expect(geo?.message == "geometry function AREA is not supported yet")
        #expect(geo?.column == 40)
        #expect(semanticError("SELECT MOC('0/12') FROM rr.resource")?.message.contains("does not exist at order 0") == true)
        #expect(semanticError("SELECT POINT(1) FROM rr.resource")?.message.hasPrefix("POINT takes two coordinates") == true)
        #expect(semanticError("SELECT ABS(1, 2) FROM rr.resource")?.message == "function ABS takes 1 argument, not 2")
        #expect(semanticError("SELECT x.ivoid FROM rr.resource")?.message.hasPrefix("unknown table 'x'") == true)
        #expect(semanticError("SELECT \"IVOID\" FROM rr.resource")?.message.hasPrefix("unknown column 'IVOID'") == true)
        #expect(semanticError("SELECT ivoid FROM rr.resource ORDER BY 3")?.message.contains("between 1 and 1") == true)
    }

    @Test(arguments: Array(PyvoQueries.search.keys).sorted()) func pyvoQueriesTranslate(_ key: String) throws {
        let q = PyvoQueries.search[key]!
        let t = try ADQLTranslator.translate(q, catalog: catalog, rowLimit: 1001)
        #expect(t.columns.count == 21)
        #expect(t.columns.map(\.name).prefix(3) == ["ivoid", "res_type", "short_name"])
        #expect(t.columns.last?.name == "cap_descriptions")
        #expect(t.sql.hasSuffix("LIMIT 1001"))
    }

    @Test func spatialSearchUsesTheCellIndexOnTheViewRows() throws {
        let views = ADQLCatalog(tables: ADQLCatalog.regTAP(sqlName: { "rrpub_" + $0.name }))
        let t = try ADQLTranslator.translate(
            "SELECT ivoid FROM rr.stc_spatial WHERE 1 = CONTAINS(MOC(6, POINT(10, 10)), coverage)", catalog: views, rowLimit: nil)
        #expect(t.sql.contains("adql_contains(adql_moc(6, adql_point(10, 10)), "))
        #expect(t.sql.contains("FROM \"rrpub_stc_spatial\""))
        #expect(t.sql.contains("IN (SELECT ivoid FROM rr_stc_cell WHERE id IN (SELECT id FROM rr_stc_cell_rtree WHERE lo <= "))
        // CONTAINS(coverage, geometry): an empty coverage lies within anything, no pre-filter
        let enclosed = try sql("SELECT ivoid FROM rr.stc_spatial WHERE 1 = CONTAINS(coverage, MOC('0/4'))")
        #expect(!enclosed.sql.contains("rr_stc_cell"))
        // a geometry computed from columns: no pre-filter either
        let computed = try sql("SELECT ivoid FROM rr.stc_spatial WHERE 1 = INTERSECTS(coverage, MOC(6, POINT(0, ivoid)))")
        #expect(!computed.sql.contains("rr_stc_cell"))
        let pointsCoords = try sql("SELECT POLYGON('ICRS', 1, 2, 3, 4, 5, 6) AS p, CIRCLE(POINT(1, 2), 3) AS c FROM rr.resource")
        #expect(pointsCoords.sql.contains("adql_polygon(1, 2, 3, 4, 5, 6)"))
        #expect(pointsCoords.sql.contains("adql_circle(adql_point(1, 2), 3)"))
    }

    @Test func theDeepestAcceptedQueryTranslatesFromAThreadWithASmallStack() throws {
        // Nesting and an arithmetic chain together just under Parser.maxDepth, inside 20,000
        // ORs (balanced), translated from a thread with a 512 KiB stack: the translation runs on
        // a thread of its own (ADQLTranslator.translationStackSize).
        let n = Parser.maxDepth / 2 - 5
        let sum = (0..<(Parser.maxDepth / 2 - 5)).map { "\($0)" }.joined(separator: " + ")
        let q = "SELECT ivoid, " + String(repeating: "(", count: n) + sum + String(repeating: ")", count: n)
            + " AS s FROM rr.resource WHERE " + (0..<20_000).map { "ivoid = 'ivo://x/\($0)'" }.joined(separator: " OR ")
        let box = ResultBox()
        let t = Thread { [catalog] in
            box.result = Result { try ADQLTranslator.translate(q, catalog: catalog, rowLimit: 10).sql }
            box.done.signal()
        }
        t.stackSize = 512 << 10
        t.start()
        box.done.wait()
        let sql = try #require(try box.result?.get())
        #expect(sql.contains("ivo://x/19999"))
    }
}

private final class ResultBox: @unchecked Sendable {
    var result: Result<String, any Error>?
    let done = DispatchSemaphore(value: 0)
}

/// Queries `make fuzz` (FuzzADQL) found, read from `Fuzz/regressions/adql/` as they were found.
@Suite struct ADQLFuzzRegressionTests {
    /// A polygon with a repeated vertex made the translator's coverage pre-filter cover the
    /// whole sky cell by cell at order 10 (the fuzzer's 10 s timeout; minutes in production).
    @Test func polygonWithARepeatedVertexTranslatesQuickly() throws {
        let q = try String(
            contentsOfFile: Fixtures.root + "/Fuzz/regressions/adql/polygon-repeated-vertex.adql", encoding: .utf8)
        #expect(q.contains("POLYGON(0, 0, -0, 0, 10, 10, 0, 10)"))
        let start = ContinuousClock.now
        let t = try ADQLTranslator.translate(q, catalog: ADQLCatalog(tables: ADQLCatalog.regTAP()), rowLimit: 100)
        #expect(t.sql.contains("rr_stc_cell"))
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
