import Foundation
import MOC
import GRDB
import RegistryStore
import TestSupport
import Testing
import VOResource

@testable import ADQL

/// Translated queries run on a real store holding the sample records.
@Suite(.serialized) struct EndToEndTests {
    let store: RegistryStore
    let catalog = ADQLCatalog(tables: ADQLCatalog.regTAP())

    init() throws {
        let dir = NSTemporaryDirectory() + "voreg-adql-" + UUID().uuidString
        store = try RegistryStore(path: dir + "/store.sqlite")
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.samples).filter { $0.hasSuffix(".xml") }.sorted()
        var items: [IngestItem] = []
        for f in files {
            let xml = try String(contentsOfFile: Fixtures.samples + "/" + f, encoding: .utf8)
            guard case .resource(let r) = try RecordReader.read(data: Data(xml.utf8)).entries[0] else { continue }
            items.append(.record(PreparedRecord(r, origin: .local)))
        }
        _ = try store.ingest(items)
    }

    /// Translates and runs a query; rows as [column: value description].
    func run(_ adql: String, limit: Int? = nil) throws -> [Row] {
        let t = try ADQLTranslator.translate(adql, catalog: catalog, rowLimit: limit)
        return try store.pool.read { db in
            try ADQLFunctions.prepare(db)
            return try Row.fetchAll(db, sql: t.sql)
        }
    }

    func scalar(_ sql: String) throws -> DatabaseValue {
        try store.pool.read { db in
            try ADQLFunctions.prepare(db)
            return try DatabaseValue.fetchOne(db, sql: sql) ?? .null
        }
    }

    @Test func pyvoKeywordSearchFindsExactlyTheRecord() throws {
        let rows = try run(PyvoQueries.search["keywordUnique"]!, limit: 1001)
        #expect(rows.map { $0["ivoid"] as String } == ["ivo://example-dc.org/survey/spectra"])
        let r = try #require(rows.first)
        let urls: String = r["access_urls"]
        #expect(urls.contains("http"))
        let stds: String = r["standard_ids"]
        #expect(stds.split(separator: ":::py VO sep:::").contains("ivo://ivoa.net/std/ssa"))
    }

    @Test(arguments: Array(PyvoQueries.search.keys).sorted()) func everyPyvoQueryRuns(_ key: String) throws {
        let rows = try run(PyvoQueries.search[key]!, limit: 1001)
        let ids = Set(rows.map { $0["ivoid"] as String })
        #expect(ids.count == rows.count, "GROUP BY gives one row per resource")
        switch key {
        case "servicetype": #expect(ids == ["ivo://example-dc.org/survey/spectra"])
        case "ivoid": #expect(rows.isEmpty)
        case "waveband": #expect(ids.contains("ivo://example-dc.org/survey/cone"))
        // in the descriptions of these two; the collection has it only in <instrument>
        case "keywords": #expect(ids == ["ivo://example-dc.org/org", "ivo://example-dc.org/survey/spectra"])
        case "keywords2": #expect(ids == ["ivo://example-dc.org/survey/spectra"])
        default: break
        }
    }

    @Test func pyvoTableQueriesRun() throws {
        let tables = try run(PyvoQueries.getTables)
        #expect(!tables.isEmpty)
        _ = try run(PyvoQueries.getColumns)
        _ = try run(PyvoQueries.getContact)
    }

    @Test func likeIsCaseSensitiveIlikeIsNot() throws {
        let like = try run("SELECT ivoid FROM rr.resource WHERE res_title LIKE '%example sky survey%'")
        let likeExact = try run("SELECT ivoid FROM rr.resource WHERE res_title LIKE '%Example Sky Survey%'")
        let ilike = try run("SELECT ivoid FROM rr.resource WHERE res_title ILIKE '%example SKY survey%'")
        let nocase = try run("SELECT ivoid FROM rr.resource WHERE 1 = ivo_nocasematch(res_title, '%EXAMPLE sky SURVEY%')")
        #expect(like.isEmpty)
        #expect(likeExact.count >= 3)
        #expect(ilike.count == likeExact.count)
        #expect(nocase.count == likeExact.count)
    }

    /// The FTS path and the Swift ivo_hasword give the same rows on real data.
    @Test(arguments: ["survey", "Survey", "spectra", "example", "TAP", "sky survey", "data center", "quasar", "images", "nothinghere", "2.2", "spectrograph"])
    func fullTextAgreesWithSwiftFunction(_ word: String) throws {
        for column in ["res_title", "res_description"] {
            let lit = word.replacingOccurrences(of: "'", with: "''")
            let fts = try run("SELECT ivoid FROM rr.resource WHERE 1 = ivo_hasword(\(column), '\(lit)') ORDER BY ivoid")
            let swift = try run("SELECT ivoid FROM rr.resource WHERE 1 = ivo_hasword(\(column), '\(lit)') OR 1 = 0 ORDER BY ivoid")
            let t = try ADQLTranslator.translate("SELECT ivoid FROM rr.resource WHERE 1 = ivo_hasword(\(column), '\(lit)')", catalog: catalog, rowLimit: nil)
            #expect(t.sql.contains("rr_fts"))
            #expect(fts.map { $0["ivoid"] as String } == swift.map { $0["ivoid"] as String }, "\(column) \(word)")
        }
    }

    @Test func stringAggSkipsNullsAndGivesEmptyStringForEmptyGroups() throws {
        #expect(try scalar("SELECT ivo_string_agg(x, ',') FROM (SELECT 'a' AS x UNION ALL SELECT NULL UNION ALL SELECT 'b')") == "a,b".databaseValue)
        #expect(try scalar("SELECT ivo_string_agg(x, ',') FROM (SELECT NULL AS x)") == "".databaseValue)
        #expect(try scalar("SELECT ivo_string_agg(ivoid, ',') FROM rr_resource WHERE 0") == "".databaseValue)
        // Translated, ivo_string_agg runs as group_concat: the same NULL and empty-group rules.
        let empty = try run("SELECT ivo_string_agg(res_subject, '|') AS s FROM rr.res_subject WHERE ivoid = 'ivo://nowhere'")
        #expect(empty.first?["s"] as String? == "")
        let nulls = try run("SELECT ivo_string_agg(CASE WHEN res_subject LIKE 'A%' THEN res_subject END, '|') AS s FROM rr.res_subject WHERE ivoid = 'ivo://example-dc.org/internal/tap'")
        #expect(nulls.first?["s"] as String? == "Astronomical databases|Astronomy data reduction")
        let rows = try run("SELECT ivoid, ivo_string_agg(res_subject, '|') AS subjects FROM rr.res_subject GROUP BY ivoid ORDER BY ivoid")
        #expect(rows.allSatisfy { ($0["subjects"] as String).count > 0 })
    }

    @Test func udfSemanticsInSQL() throws {
        #expect(try scalar("SELECT ivo_hasword('The Example Sky-Survey', 'sky')") == 1.databaseValue)
        #expect(try scalar("SELECT ivo_hasword('skyscraper', 'sky')") == 0.databaseValue)
        #expect(try scalar("SELECT ivo_hasword(NULL, 'sky')") == .null)
        #expect(try scalar("SELECT ivo_hashlist_has('optical#infrared', 'Infrared')") == 1.databaseValue)
        #expect(try scalar("SELECT ivo_hashlist_has('optical#infrared', 'red')") == 0.databaseValue)
        #expect(try scalar("SELECT ivo_interval_overlaps(1, 2, 2, 3)") == 1.databaseValue)
        #expect(try scalar("SELECT ivo_interval_overlaps(1, 2, 2.5, 3)") == 0.databaseValue)
        #expect(try scalar("SELECT ivo_interval_overlaps(1, NULL, 0, 3)") == .null)
        // ADQL LIKE is case-sensitive, ILIKE is not: checked through translation, both paths.
        let rows = try run("SELECT TOP 1 CASE WHEN 'abc' LIKE 'ABC' THEN 1 ELSE 0 END AS lit, CASE WHEN 'abc' LIKE LOWER('AB%') THEN 1 ELSE 0 END AS fn, CASE WHEN 'abc' ILIKE 'A_C' THEN 1 ELSE 0 END AS ci, CASE WHEN 'a*c' LIKE 'a*%' THEN 1 ELSE 0 END AS star, CASE WHEN 'abc' LIKE 'a*%' THEN 1 ELSE 0 END AS nostar FROM rr.resource")
        let r = try #require(rows.first)
        #expect(r["lit"] as Int == 0)
        #expect(r["fn"] as Int == 1)
        #expect(r["ci"] as Int == 1)
        #expect(r["star"] as Int == 1)
        #expect(r["nostar"] as Int == 0)
        #expect(ADQLFunctions.likeMatches(Array("abcabd".unicodeScalars), Array("%ab_".unicodeScalars)))
        #expect(!ADQLFunctions.likeMatches(Array("abcabd".unicodeScalars), Array("%AB_".unicodeScalars)))
        #expect(ADQLFunctions.likeMatches(Array("".unicodeScalars), Array("%".unicodeScalars)))
        #expect(!ADQLFunctions.likeMatches(Array("ab".unicodeScalars), Array("a".unicodeScalars)))
    }

    @Test func mathFunctionsRun() throws {
        let rows = try run("SELECT TOP 1 ROUND(2.567, 2) AS r, TRUNCATE(-2.567, 1) AS t, MOD(7, 3) AS m, POWER(2, 10) AS p, LOG10(1000) AS l, DEGREES(PI()) AS d, 7 / 2 AS i, 7.0 / 2 AS f, SQRT(-1) AS n, 6 & 3 AS a, 6 | 3 AS o, 6 ^ 3 AS x, CAST('12' AS INTEGER) AS c, CASE WHEN 1 = 1 THEN 'y' END AS k FROM rr.resource")
        let r = try #require(rows.first)
        #expect(r["r"] as Double == 2.57)
        #expect(r["t"] as Double == -2.5)
        #expect(r["m"] as Int == 1)
        #expect(r["p"] as Double == 1024)
        #expect(abs((r["l"] as Double) - 3) < 1e-12)
        #expect(abs((r["d"] as Double) - 180) < 1e-12)
        #expect(r["i"] as Int == 3)
        #expect(r["f"] as Double == 3.5)
        #expect((r["n"] as DatabaseValue).isNull)
        #expect(r["a"] as Int == 2)
        #expect(r["o"] as Int == 7)
        #expect(r["x"] as Int == 5)
        #expect(r["c"] as Int == 12)
        #expect(r["k"] as String == "y")
    }

    @Test func joinsSubqueriesAndSetOperationsRun() throws {
        let all = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rr_resource") ?? 0 }
        #expect(all == 13)
        #expect(try run("SELECT * FROM rr.resource").count == all)
        #expect(try run("SELECT ivoid FROM rr.resource", limit: 4).count == 4)
        #expect(try run("SELECT ivoid FROM rr.resource ORDER BY ivoid OFFSET 10").count == all - 10)
        let nat = try run("SELECT ivoid, standard_id, access_url FROM rr.resource NATURAL JOIN rr.capability NATURAL JOIN rr.interface WHERE standard_id LIKE 'ivo://ivoa.net/std/tap%' AND intf_role = 'std'")
        #expect(!nat.isEmpty)
        let left = try run("SELECT r.ivoid, COUNT(c.cap_index) AS n FROM rr.resource AS r LEFT OUTER JOIN rr.capability AS c ON r.ivoid = c.ivoid GROUP BY r.ivoid HAVING COUNT(c.cap_index) = 0")
        #expect(left.count >= 1)
        let full = try run("SELECT COUNT(*) AS n FROM rr.resource FULL OUTER JOIN rr.capability USING (ivoid)")
        #expect(full[0]["n"] as Int >= all)
        let right = try run("SELECT COUNT(*) AS n FROM rr.capability RIGHT JOIN rr.resource USING (ivoid)")
        #expect(right[0]["n"] as Int >= all)
        let union = try run("SELECT ivoid FROM rr.resource WHERE res_type = 'vs:catalogservice' UNION SELECT ivoid FROM rr.capability WHERE standard_id = 'ivo://ivoa.net/std/tap' ORDER BY 1")
        #expect(!union.isEmpty)
        let except = try run("SELECT ivoid FROM rr.resource EXCEPT SELECT ivoid FROM rr.capability")
        let intersect = try run("SELECT ivoid FROM rr.resource INTERSECT SELECT ivoid FROM rr.capability")
        #expect(except.count + intersect.count == all)
        let cte = try run("WITH caps AS (SELECT ivoid, COUNT(*) AS n FROM rr.capability GROUP BY ivoid) SELECT r.res_title, caps.n FROM rr.resource AS r JOIN caps ON caps.ivoid = r.ivoid WHERE caps.n >= 2 ORDER BY n DESC")
        #expect(!cte.isEmpty)
        let correlated = try run("SELECT ivoid, (SELECT COUNT(*) FROM rr.res_subject AS s WHERE s.ivoid = rr.resource.ivoid) AS n FROM rr.resource WHERE EXISTS (SELECT 1 FROM rr.res_subject AS s WHERE s.ivoid = rr.resource.ivoid)")
        #expect(correlated.allSatisfy { ($0["n"] as Int) > 0 })
        let derived = try run("SELECT q.t, COUNT(*) AS n FROM (SELECT res_type AS t FROM rr.resource) AS q GROUP BY q.t ORDER BY n DESC, t")
        #expect(derived.reduce(0) { $0 + ($1["n"] as Int) } == all)
        #expect(try run("SELECT * FROM rr.tap_table").count >= 1)
    }

    @Test func ucdPrefixLikeUsesTheIndex() throws {
        let t = try ADQLTranslator.translate("SELECT ivoid FROM rr.table_column WHERE ucd LIKE 'pos.eq.ra%'", catalog: catalog, rowLimit: nil)
        let plan = try store.pool.read { db in
            try ADQLFunctions.prepare(db)
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + t.sql).map { $0["detail"] as String }.joined(separator: "\n")
        }
        #expect(plan.contains("rr_table_column_ucd"), "\(plan)")
    }

    /// The samples' coverage is 3/10-12 5/320 321 6/1925-1927 (three records).
    @Test func spatialConstraintsOnTheSampleCoverage() throws {
        let withCoverage = try run("SELECT ivoid FROM rr.stc_spatial").map { $0["ivoid"] as String }
        #expect(withCoverage.count >= 1)
        // the centre of cell 3/11 is inside, the centre of 3/13 is not
        func centre(_ order: Int, _ cell: UInt64) -> (Double, Double) { let c = HEALPix.position(order: order, pixel: cell); return (c.lon, c.lat) }
        let (inLon, inLat) = centre(3, 11), (outLon, outLat) = centre(3, 13)
        let hit = try run("SELECT ivoid FROM rr.stc_spatial WHERE 1 = CONTAINS(POINT(\(inLon), \(inLat)), coverage)")
        #expect(Set(hit.map { $0["ivoid"] as String }) == Set(withCoverage))
        let miss = try run("SELECT ivoid FROM rr.stc_spatial WHERE 1 = CONTAINS(POINT(\(outLon), \(outLat)), coverage)")
        #expect(miss.isEmpty)
        // pyvo's form: the order-6 cell of the point within the coverage
        let pyvo = try run("SELECT ivoid FROM rr.stc_spatial WHERE 1 = CONTAINS(MOC(6, POINT(\(inLon), \(inLat))), coverage)")
        #expect(pyvo.count == withCoverage.count)
        let circle = try run("SELECT ivoid FROM rr.stc_spatial WHERE 1 = INTERSECTS(coverage, MOC(6, CIRCLE(\(outLon), \(outLat), 0.5)))")
        #expect(circle.isEmpty)
        let big = try run("SELECT ivoid FROM rr.stc_spatial WHERE 1 = INTERSECTS(coverage, MOC(6, CIRCLE(\(outLon), \(outLat), 120)))")
        #expect(big.count == withCoverage.count)
        let enclosed = try run("SELECT ivoid FROM rr.stc_spatial WHERE 1 = CONTAINS(coverage, MOC('0/0'))")
        #expect(enclosed.count == withCoverage.count)
        #expect(try run("SELECT ivoid FROM rr.stc_spatial WHERE 1 = CONTAINS(coverage, MOC('1/0'))").isEmpty)
        // the index holds the coverage's order-8 ranges, and follows deletes
        let cells = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rr_stc_cell") ?? 0 }
        let coverages = try run("SELECT coverage FROM rr.stc_spatial").map { $0["coverage"] as String }
        // e.g. 3/10-12 ∪ 5/320-321 ∪ 6/1925-1927 → 3 ranges at order 8
        #expect(cells == coverages.map { SpatialIndex.ranges(ascii: $0)?.count ?? 0 }.reduce(0, +))
        #expect(SpatialIndex.ranges(ascii: "3/10-12 5/320 321 6/1925-1927") == [10240...13311, 20480...20607, 30800...30847])
        try store.pool.write { db in try db.execute(sql: "DELETE FROM rr_stc_spatial") }
        let after = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM rr_stc_cell") ?? -1, try Int.fetchOne(db, sql: "SELECT count(*) FROM rr_stc_cell_rtree") ?? -1)
        }
        #expect(after == (0, 0))
    }
}
