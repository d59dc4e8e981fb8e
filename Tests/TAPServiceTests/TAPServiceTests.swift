import ADQL
import Foundation
import GRDB
import RegistryStore
import TAPService
import TestSupport
import Testing
import VOResource

/// A store with the sample records (internal-*.xml internal) and a TAP service over it.
struct TAPHarness {
    let dir: String
    let store: RegistryStore
    let tap: TAPService

    init() throws {
        dir = NSTemporaryDirectory() + "voreg-tap-" + UUID().uuidString
        store = try RegistryStore(path: dir + "/store.sqlite")
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.samples).filter { $0.hasSuffix(".xml") }
            .map { Fixtures.samples + "/" + $0 }
        _ = try RecordImporter(store: store, visibility: .public).importPaths(files.filter { !$0.contains("/internal-") })
        _ = try RecordImporter(store: store, visibility: .internal).importPaths(files.filter { $0.contains("/internal-") })
        tap = try TAPService(
            store: store, path: dir + "/store.sqlite",
            configuration: TAPConfiguration(baseURL: "http://127.0.0.1:9/tap", jobDirectory: dir + "/jobs"))
    }

    func request(_ query: String, _ extra: [(String, String)] = []) throws -> TAPRequest {
        try TAPRequest(
            parameters: [("REQUEST", "doQuery"), ("LANG", "ADQL"), ("QUERY", query)] + extra.map { ($0.0, $0.1) },
            configuration: tap.configuration)
    }

    /// Runs a query and returns the whole output.
    func run(_ query: String, _ extra: [(String, String)] = [], audience: TAPAudience = .publicClients,
             timeLimit: Double = 30) throws -> String {
        let r = try request(query, extra)
        let t = try tap.translate(r, audience: audience)
        var out = ""
        try tap.run(r, translation: t, timeLimit: timeLimit) { out += $0 }
        return out
    }

    /// The TABLEDATA cells of a VOTable, row by row, read with the project's XML parser.
    static func rows(_ votable: String) throws -> [[String]] {
        let doc = try XMLDocument(data: Data(votable.utf8))
        guard let table = doc.root?.child(named: "RESOURCE")?.child(named: "TABLE") else { return [] }
        let data = table.child(named: "DATA")?.child(named: "TABLEDATA")
        return data?.children(named: "TR").map { $0.children(named: "TD").map(\.text) } ?? []
    }

    static func status(_ votable: String) throws -> [String] {
        let doc = try XMLDocument(data: Data(votable.utf8))
        return doc.root?.child(named: "RESOURCE")?.children(named: "INFO")
            .filter { $0.attribute("name") == "QUERY_STATUS" }.compactMap { $0.attribute("value") } ?? []
    }
}

@Suite struct TAPServiceTests {
    let h: TAPHarness
    init() throws { h = try TAPHarness() }

    @Test func syncQueryReturnsRowsWithFieldMetadata() throws {
        let out = try h.run("SELECT ivoid, cap_index FROM rr.capability WHERE ivoid = 'ivo://example-dc.org/tap' ORDER BY cap_index")
        let rows = try TAPHarness.rows(out)
        #expect(rows.count >= 2)
        #expect(rows.allSatisfy { $0[0] == "ivo://example-dc.org/tap" })
        #expect(rows.map { Int($0[1]) ?? -1 } == Array(1...rows.count))
        #expect(out.contains("<FIELD name=\"cap_index\" datatype=\"short\""))
        #expect(try TAPHarness.status(out) == ["OK"])
    }

    @Test func internalRecordsAreInvisibleToPublicClients() throws {
        let q = "SELECT COUNT(*) AS n FROM rr.resource"
        let pub = Int(try TAPHarness.rows(h.run(q))[0][0])!
        let all = Int(try TAPHarness.rows(h.run(q, audience: .internalClients))[0][0])!
        #expect(all - pub == 3)
        // A word only the internal TAP's description has, through the full-text path and joins.
        let word = "SELECT ivoid FROM rr.resource NATURAL JOIN rr.capability WHERE 1 = ivo_hasword(res_description, 'ingestion')"
        #expect(try TAPHarness.rows(h.run(word)).isEmpty)
        #expect(try TAPHarness.rows(h.run(word, audience: .internalClients)).map { $0[0] }.contains("ivo://example-dc.org/internal/tap"))
        for table in ["rr.interface", "rr.res_table", "rr.table_column", "rr.res_role", "rr.res_subject", "rr.relationship"] {
            let rows = try TAPHarness.rows(h.run("SELECT DISTINCT ivoid FROM \(table) WHERE ivoid LIKE '%internal%'"))
            #expect(rows.isEmpty, "\(table) leaks \(rows)")
        }
        #expect(try TAPHarness.rows(h.run("SELECT svcid FROM rr.tap_table WHERE svcid LIKE '%internal%'")).isEmpty)
    }

    @Test func maxrecTruncatesWithOverflow() throws {
        let out = try h.run("SELECT ivoid FROM rr.resource", [("MAXREC", "2")])
        #expect(try TAPHarness.rows(out).count == 2)
        #expect(try TAPHarness.status(out) == ["OK", "OVERFLOW"])
        let exact = try h.run("SELECT TOP 2 ivoid FROM rr.resource", [("MAXREC", "2")])
        #expect(try TAPHarness.status(exact) == ["OK"])
        let zero = try h.run("SELECT ivoid FROM rr.resource", [("MAXREC", "0")])
        #expect(try TAPHarness.rows(zero).isEmpty)
        #expect(zero.contains("<FIELD name=\"ivoid\""))
    }

    @Test func binary2EncodesTheSameValues() throws {
        let q = "SELECT ivoid, cap_index, standard_id FROM rr.capability ORDER BY ivoid, cap_index"
        let td = try TAPHarness.rows(h.run(q))
        let b2 = try h.run(q, [("RESPONSEFORMAT", "votable/b2")])
        let doc = try XMLDocument(data: Data(b2.utf8))
        let stream = doc.root?.child(named: "RESOURCE")?.child(named: "TABLE")?.child(named: "DATA")?
            .child(named: "BINARY2")?.child(named: "STREAM")?.text ?? ""
        let bytes = [UInt8](Data(base64Encoded: stream) ?? Data())
        // Decode: 1 flag byte (3 fields), varchar, short, varchar.
        var i = 0
        var decoded: [[String]] = []
        func u32() -> Int { defer { i += 4 }; return Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        func str() -> String { let n = u32(); defer { i += n }; return String(decoding: bytes[i..<(i + n)], as: UTF8.self) }
        while i < bytes.count {
            let flags = bytes[i]
            i += 1
            let id = str()
            let cap = Int16(bitPattern: UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
            i += 2
            let std = str()
            decoded.append([id, "\(cap)", flags & 0x20 != 0 ? "" : std])
        }
        #expect(decoded == td)
        #expect(!decoded.isEmpty)
    }

    @Test func csvAndTsvQuoteTheirSeparators() throws {
        let csv = try h.run("SELECT res_title, 'a,\"b\"' AS odd FROM rr.resource WHERE ivoid = 'ivo://example-dc.org/tap'", [("FORMAT", "csv")])
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(lines[0] == "res_title,odd")
        #expect(lines[1].hasSuffix(",\"a,\"\"b\"\"\""))
        let tsv = try h.run("SELECT ivoid, res_type FROM rr.resource WHERE ivoid = 'ivo://example-dc.org/tap'", [("FORMAT", "text/tab-separated-values")])
        #expect(tsv.split(separator: "\r\n").map(String.init) == ["ivoid\tres_type", "ivo://example-dc.org/tap\tvs:catalogservice"])
    }

    @Test func badParametersAreUsageErrors() throws {
        let c = h.tap.configuration
        func message(_ p: [(String, String)]) -> String? {
            do {
                _ = try TAPRequest(parameters: p.map { ($0.0, $0.1) }, configuration: c)
                return nil
            } catch { return error.description }
        }
        #expect(message([("QUERY", "SELECT 1")])?.contains("LANG") == true)
        #expect(message([("LANG", "SQL"), ("QUERY", "x")])?.contains("not supported") == true)
        #expect(message([("lang", "adql")])?.contains("QUERY") == true)
        #expect(message([("LANG", "ADQL"), ("QUERY", "SELECT 1"), ("MAXREC", "-3")])?.contains("MAXREC") == true)
        #expect(message([("LANG", "ADQL"), ("QUERY", "SELECT 1"), ("RESPONSEFORMAT", "fits")])?.contains("RESPONSEFORMAT") == true)
        #expect(message([("LANG", "ADQL"), ("QUERY", "SELECT 1"), ("REQUEST", "getCapabilities")])?.contains("doQuery") == true)
        #expect(message([("lang", "ADQL-2.1"), ("query", "SELECT 1"), ("maxrec", "5")]) == nil)
        // ADQL errors name the position and the thing.
        let r = try h.request("SELECT nope FROM rr.resource")
        #expect(throws: TAPError.self) { try h.tap.translate(r, audience: .publicClients) }
        do {
            _ = try h.tap.translate(try h.request("SELECT * FROM records"), audience: .publicClients)
        } catch { #expect("\(error)".contains("records")) }
    }

    @Test func runawayQueriesStopAtTheTimeLimit() throws {
        let q = "SELECT COUNT(*) FROM rr.table_column AS a, rr.table_column AS b, rr.table_column AS c, rr.table_column AS d"
        let start = Date()
        #expect(throws: TAPError.self) { _ = try h.run(q, timeLimit: 0.3) }
        #expect(Date().timeIntervalSince(start) < 5)
        // The connection is usable again afterwards.
        #expect(try TAPHarness.rows(h.run("SELECT COUNT(*) FROM rr.resource")).count == 1)
    }

    @Test func tapSchemaDescribesEveryExposedColumn() throws {
        let cols = try TAPHarness.rows(h.run("SELECT table_name, column_name, datatype, std FROM tap_schema.columns WHERE table_name = 'rr.capability' ORDER BY column_index"))
        #expect(cols.map { $0[1] } == ["ivoid", "cap_index", "cap_type", "cap_description", "standard_id"])
        #expect(cols.allSatisfy { $0[3] == "1" })
        let n = try TAPHarness.rows(h.run("SELECT COUNT(*) FROM tap_schema.tables"))[0][0]
        #expect(Int(n) == h.tap.publicCatalog.tables.count)
        let size = try TAPHarness.rows(h.run("SELECT column_name FROM tap_schema.columns WHERE column_name = '\"size\"'"))
        #expect(size.count == 1)
    }

    @Test func vosiDocumentsAreSchemaValid() throws {
        guard Fixtures.haveSchemas else {
            print("skipped: no schemas (run make schemas)")
            return
        }
        let v = try SchemaValidator(schemaPath: Fixtures.schemas + "/vosi.xsd", catalogPath: Fixtures.schemas + "/catalog.xml")
        let caps = h.tap.capabilitiesDocument()
        #expect(caps.contains("ivo://ivoa.net/std/TAPRegExt#features-udf"))
        for udf in ["ivo_hasword", "ivo_hashlist_has", "ivo_nocasematch", "ivo_string_agg", "ivo_interval_overlaps"] {
            #expect(caps.contains("<form>\(udf)("))
        }
        let tablesMin = try #require(h.tap.tablesDocument(audience: .publicClients, detail: "min"))
        #expect(!tablesMin.contains("<column>"))
        let tablesFull = try #require(h.tap.tablesDocument(audience: .publicClients, detail: nil))
        #expect(tablesFull.contains("<foreignKey>"))
        let one = try #require(h.tap.tablesDocument(audience: .publicClients, detail: nil, table: "rr.capability"))
        let availability = h.tap.availabilityDocument(since: Date())
        #expect(availability.contains("<avl:available>true</avl:available>"))
        for (name, doc) in [("capabilities", caps), ("tables min", tablesMin), ("tables", tablesFull), ("table", one),
                            ("availability", availability)] {
            let issues = v.validate(try XMLDocument(data: Data(doc.utf8)))
            #expect(issues.isEmpty, "\(name): \(issues.prefix(3))")
        }
    }
}

@Suite struct UWSTests {
    let h: TAPHarness
    init() throws { h = try TAPHarness() }

    func jobID(_ reply: TAPReply) -> String? {
        if case .redirect(let url) = reply { return url.split(separator: "/").last.map(String.init) }
        return nil
    }

    func phase(_ id: String) async -> String {
        if case .document(_, _, let body) = await h.tap.uws(method: "GET", path: [id, "phase"], parameters: [], audience: .publicClients) {
            return body
        }
        return "?"
    }

    @Test func jobRunsToCompletionAndServesItsResult() async throws {
        let created = await h.tap.uws(
            method: "POST", path: [],
            parameters: [("LANG", "ADQL"), ("QUERY", "SELECT ivoid FROM rr.resource"), ("RUNID", "t1")],
            audience: .publicClients)
        let id = try #require(jobID(created))
        #expect(await phase(id) == "PENDING")
        _ = await h.tap.uws(method: "POST", path: [id, "phase"], parameters: [("PHASE", "RUN")], audience: .publicClients)
        // WAIT blocks until the phase changes.
        var job = await h.tap.uws(method: "GET", path: [id], parameters: [("WAIT", "10")], audience: .publicClients)
        for _ in 0..<50 where await phase(id) != "COMPLETED" {
            job = await h.tap.uws(method: "GET", path: [id], parameters: [("WAIT", "1")], audience: .publicClients)
        }
        #expect(await phase(id) == "COMPLETED")
        guard case .document(_, _, let xml) = job else { Issue.record("no job document"); return }
        #expect(xml.contains("<uws:runId>t1</uws:runId>"))
        let result = await h.tap.uws(method: "GET", path: [id, "results", "result"], parameters: [], audience: .publicClients)
        guard case .file(let path, let mime) = result else { Issue.record("no result"); return }
        #expect(mime == "application/x-votable+xml")
        let rows = try TAPHarness.rows(String(contentsOfFile: path, encoding: .utf8))
        #expect(rows.count == Int(try TAPHarness.rows(h.run("SELECT COUNT(*) FROM rr.resource"))[0][0]))
        // Deleting removes the job and its file.
        let deleted = await h.tap.uws(method: "DELETE", path: [id], parameters: [], audience: .publicClients)
        #expect(jobID(deleted) == "async")
        #expect(!FileManager.default.fileExists(atPath: path))
        if case .document(let status, _, _) = await h.tap.uws(method: "GET", path: [id], parameters: [], audience: .publicClients) {
            #expect(status == 404)
        }
    }

    @Test func badQueryEndsInErrorWithAnErrorDocument() async throws {
        let id = try #require(jobID(await h.tap.uws(
            method: "POST", path: [], parameters: [("LANG", "ADQL"), ("QUERY", "SELECT FROM"), ("PHASE", "RUN")],
            audience: .publicClients)))
        for _ in 0..<100 where await phase(id) != "ERROR" { try await Task.sleep(nanoseconds: 20_000_000) }
        #expect(await phase(id) == "ERROR")
        guard case .document(_, _, let err) = await h.tap.uws(method: "GET", path: [id, "error"], parameters: [], audience: .publicClients) else {
            Issue.record("no error document"); return
        }
        #expect(try TAPHarness.status(err) == ["ERROR"])
    }

    @Test func abortStopsARunningQueryAndParametersFreezeAfterPending() async throws {
        let slow = "SELECT COUNT(*) FROM rr.table_column AS a, rr.table_column AS b, rr.table_column AS c, rr.table_column AS d, rr.table_column AS e"
        let id = try #require(jobID(await h.tap.uws(
            method: "POST", path: [], parameters: [("LANG", "ADQL"), ("QUERY", slow)], audience: .publicClients)))
        _ = await h.tap.uws(method: "POST", path: [id, "parameters"], parameters: [("MAXREC", "5")], audience: .publicClients)
        _ = await h.tap.uws(method: "POST", path: [id, "phase"], parameters: [("PHASE", "RUN")], audience: .publicClients)
        for _ in 0..<100 where await phase(id) != "EXECUTING" { try await Task.sleep(nanoseconds: 10_000_000) }
        if case .document(let status, _, _) = await h.tap.uws(method: "POST", path: [id, "parameters"], parameters: [("MAXREC", "9")], audience: .publicClients) {
            #expect(status == 409)
        }
        _ = await h.tap.uws(method: "POST", path: [id, "phase"], parameters: [("PHASE", "ABORT")], audience: .publicClients)
        #expect(await phase(id) == "ABORTED")
        if case .document(_, _, let list) = await h.tap.uws(method: "GET", path: [], parameters: [("PHASE", "ABORTED")], audience: .publicClients) {
            #expect(list.contains("id=\"\(id)\""))
        }
    }

    @Test func internalJobsAreHiddenFromPublicClients() async throws {
        let id = try #require(jobID(await h.tap.uws(
            method: "POST", path: [], parameters: [("LANG", "ADQL"), ("QUERY", "SELECT 1 AS x")], audience: .internalClients)))
        if case .document(let status, _, _) = await h.tap.uws(method: "GET", path: [id], parameters: [], audience: .publicClients) {
            #expect(status == 404)
        } else {
            Issue.record("expected 404")
        }
    }
}

@Suite struct UploadTests {
    let h: TAPHarness
    init() throws { h = try TAPHarness() }

    /// Our own BINARY2 output, uploaded back, gives the same rows as TABLEDATA.
    @Test func binary2AndTabledataUploadsRoundTrip() throws {
        let q = "SELECT ivoid, cap_index, standard_id FROM rr.capability ORDER BY ivoid, cap_index"
        let expected = try TAPHarness.rows(h.run(q))
        for format in ["votable", "votable/b2"] {
            let doc = try h.run(q, [("RESPONSEFORMAT", format)])
            let tables = try h.tap.readUploads("back,param:f", parts: ["f": Array(doc.utf8)])
            #expect(tables.first?.columns.map(\.name) == ["ivoid", "cap_index", "standard_id"])
            var r = try h.request("SELECT * FROM TAP_UPLOAD.back")
            r.uploads = tables
            let t = try h.tap.translate(r, audience: .publicClients)
            var out = ""
            try h.tap.run(r, translation: t, timeLimit: 10) { out += $0 }
            #expect(try TAPHarness.rows(out) == expected, "\(format)")
        }
    }

    @Test func badUploadsAreUsageErrors() throws {
        func message(_ param: String, _ parts: [String: [UInt8]]) -> String {
            do {
                _ = try h.tap.readUploads(param, parts: parts)
                return ""
            } catch { return error.description }
        }
        let evil = Array("<?xml version=\"1.0\"?><!DOCTYPE v [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><VOTABLE/>".utf8)
        #expect(message("t,param:f", ["f": evil]).contains("not a readable VOTable"))
        #expect(message("t,param:g", ["f": evil]).contains("no such part"))
        #expect(message("1t,param:f", [:]).contains("regular ADQL identifier"))
        #expect(message("t,ftp://x/y", [:]).contains("param:NAME"))
        #expect(message("t,http://example.org/x.xml", [:]).contains("this machine"))
        #expect(message("t", [:]).contains("name,URI"))
    }
}

/// Inputs `make fuzz` (FuzzUpload) found, as they were found: each must end in a usage error.
@Suite struct UploadFuzzRegressionTests {
    func message(_ votable: String) -> String? {
        do {
            _ = try UploadReader.read(
                parameter: "t,param:t", parts: ["t": Array(votable.utf8)], maxBytes: 1 << 20,
                fetch: { _ in Data() })
            return nil
        } catch { return error.description }
    }

    /// A BINARY table whose only FIELD is a fixed zero-length array: every row takes no bytes,
    /// and the reader looped for ever (a hang, growing memory). Found by FuzzUpload (timeout).
    @Test func zeroWidthBinaryRowsAreRefused() {
        let found = #"""
            <VOTABLE><RESOURCE><TABLE><FIELD name="x" datatype="char" arraysize="0"/><FMELD name="y" datatype="int" astdysize="2x2"/><DATA><BINARY><STREAM encoding="base64">YWJjZAAAAAEAAAACAAAAAwAAAAQ=</STREAM></BINARY></DATA>`</TABLE></RESOURCE></VOTABLE>
            """#
        #expect(message(found)?.contains("has no bytes") == true)
        let minimal = #"""
            <VOTABLE><RESOURCE><TABLE><FIELD name="x" datatype="char" arraysize="0"/><DATA><BINARY><STREAM encoding="base64">YWJj</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>
            """#
        #expect(message(minimal)?.contains("has no bytes") == true)
        // With BINARY2 the null flags give every row a byte: zero-length arrays are fine there.
        let b2 = minimal.replacingOccurrences(of: "BINARY>", with: "BINARY2>")
        #expect(message(b2) == nil)
    }

    /// Fixed array sizes whose product overflows Int trapped; malformed ones were read as 1.
    @Test func hugeOrMalformedArraySizesAreRefused() {
        for size in ["99999999999x99999999999", "4294967296x4294967296x16", "16777217", "2xx3", "a", "-1", "3x-2"] {
            let doc = #"<VOTABLE><RESOURCE><TABLE><FIELD name="x" datatype="int" arraysize="\#(size)"/><DATA><BINARY><STREAM encoding="base64">AAAAAQ==</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>"#
            let m = message(doc)
            #expect(m?.contains("array") == true, "\(size): \(m ?? "read")")
        }
        let ok = #"<VOTABLE><RESOURCE><TABLE><FIELD name="x" datatype="int" arraysize="1x1"/><DATA><BINARY><STREAM encoding="base64">AAAAAQ==</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>"#
        #expect(message(ok) == nil)
    }
}
