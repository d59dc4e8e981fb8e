import Foundation
import GRDB
import OAIPMH
import RegistryStore
import TestSupport
import Testing
import VOResource

/// Records that fail schema validation are stored (RegTAP finds them) but never served over
/// OAI-PMH, whose responses must be schema-valid.
@Suite struct OAISchemaValidityTests {
    @Test func invalidRecordsAreStoredButNotServed() throws {
        guard Fixtures.haveSchemas else {
            print("skipped: no schemas under \(Fixtures.schemas) (run `make schemas`)")
            return
        }
        let validator = try SchemaValidator(schemasDirectory: Fixtures.schemas)
        let h = try OAIHarness()
        func ingestValidated(_ xml: String, at t: Int64) throws -> PreparedRecord {
            let doc = try RecordReader.read(data: Data(xml.utf8), validator: validator)
            guard case .resource(let r) = doc.entries[0] else { throw RecordError("no record") }
            let p = PreparedRecord(r, origin: .local)
            #expect(try h.store.ingest([.record(p)], datestamp: t)[0] == .stored)
            return p
        }
        // The fixture carries an element no schema allows; the harness's record() removes it.
        let bad = try ingestValidated(
            Fixtures.catalogService.replacingOccurrences(of: "ivo://Test.Org/Cat", with: "ivo://test.org/bad"), at: 1000)
        #expect(bad.schemaValid == false)
        #expect(bad.schemaError?.contains("extraStuff") == true)
        let good = try ingestValidated(OAIHarness.record("ivo://test.org/good"), at: 2000)
        #expect(good.schemaValid == true)

        // Stored, with its RegTAP rows and the reason.
        let (valid, error, rr) = try h.store.pool.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT schema_valid, schema_error FROM records WHERE ivoid = 'ivo://test.org/bad'"))
            let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM rr_resource WHERE ivoid = 'ivo://test.org/bad'") ?? 0
            return (row["schema_valid"] as Int?, row["schema_error"] as String?, n)
        }
        #expect(valid == 0)
        #expect(error?.hasPrefix("line ") == true)
        #expect(rr == 1)

        // Not in any OAI-PMH answer.
        let get = try h.respond([("verb", "GetRecord"), ("identifier", "ivo://test.org/bad"), ("metadataPrefix", "ivo_vor")])
        #expect(get.error == "idDoesNotExist")
        let list = try h.respond([("verb", "ListIdentifiers"), ("metadataPrefix", "ivo_vor")])
        #expect(list.identifiers == ["ivo://test.org/good"])
        let identify = try h.respond([("verb", "Identify")])
        #expect(identify.verb("Identify")?.child(named: "earliestDatestamp")?.text == OAIDate.format(2000))

        // Fixed and re-published, it is served again; unvalidated records (nil) are served.
        _ = try ingestValidated(OAIHarness.record("ivo://test.org/bad"), at: 3000)
        #expect(try h.respond([("verb", "ListIdentifiers"), ("metadataPrefix", "ivo_vor")]).identifiers.count == 2)
        try h.ingest(OAIHarness.record("ivo://test.org/unchecked"), at: 4000)
        #expect(try h.respond([("verb", "ListIdentifiers"), ("metadataPrefix", "ivo_vor")]).identifiers.count == 3)
    }

    @Test func validationRunsInsideContainersAndPages() throws {
        guard Fixtures.haveSchemas else {
            print("skipped: no schemas under \(Fixtures.schemas) (run `make schemas`)")
            return
        }
        let validator = try SchemaValidator(schemasDirectory: Fixtures.schemas)
        let good = OAIHarness.record("ivo://test.org/a")
        let bad = Fixtures.catalogService
        func body(_ x: String) -> String { String(x[x.range(of: "<ri:Resource")!.lowerBound...]) }
        let container = """
            <ri:VOResources xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0">
            \(body(good))
            \(body(bad))
            </ri:VOResources>
            """
        let doc = try RecordReader.read(data: Data(container.utf8), validator: validator)
        let verdicts = doc.entries.compactMap { e -> Bool? in
            if case .resource(let r) = e { return r.schemaIssues?.isEmpty }
            return nil
        }
        #expect(verdicts == [true, false])
    }
}
