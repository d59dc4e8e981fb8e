import Foundation
import TestSupport
import Testing
import VOResource

@testable import RegistryStore

/// One test per RegTAP mapping rule, on a record written for the tests.
@Suite struct RegTAPMapperTests {
    let rows: RegTAPRows

    init() throws {
        let doc = try RecordReader.read(data: Data(Fixtures.catalogService.utf8))
        guard case .resource(let r) = doc.entries[0] else { throw RecordError("no record") }
        rows = RegTAPMapper.rows(for: r.resource)
    }

    func column(_ t: RRTable, _ name: String, row: Int = 0) -> SQLValue {
        let i = t.columns.firstIndex { $0.name == name }!
        return rows[t][row][i]
    }

    func columnValues(_ t: RRTable, _ name: String) -> [SQLValue] {
        let i = t.columns.firstIndex { $0.name == name }!
        return rows[t].map { $0[i] }
    }

    @Test func identifiersAndListedColumnsAreLowerCased() {
        #expect(column(.resource, "ivoid") == .text("ivo://test.org/cat"))
        #expect(column(.resource, "res_type") == .text("vs:catalogservice"))
        #expect(column(.capability, "standard_id") == .text("ivo://ivoa.net/std/tap"))
        #expect(column(.capability, "cap_type") == .text("tr:tableaccess"))
        #expect(column(.interface, "intf_type") == .text("vs:paramhttp"))
        #expect(column(.tableColumn, "ucd") == .text("pos.eq.ra"))
        #expect(column(.tableColumn, "type_system") == .text("vs:votabletype"))
        // table_name keeps its case in RegTAP 1.2; schema_name is lower-cased
        #expect(column(.resTable, "table_name") == .text("Main.Stars"))
        #expect(column(.resSchema, "schema_name") == .text("main"))
    }

    @Test func whitespaceIsStrippedAndEmptyBecomesNull() {
        #expect(column(.resource, "res_title") == .text("Test   Catalog"))
        #expect(rows[.resSubject].count == 1)  // the whitespace-only subject is not a row
        #expect(column(.resource, "source_value") == .null)
    }

    @Test func listsAreHashJoinedInDocumentOrder() {
        #expect(column(.resource, "content_level") == .text("research#university"))
        #expect(column(.resource, "content_type") == .text("catalog#survey"))
        #expect(column(.resource, "waveband") == .text("optical#infrared"))
        #expect(column(.tableColumn, "flag") == .text("indexed#primary"))
        #expect(column(.interface, "query_type", row: 2) == .text("get#post"))
        #expect(column(.interface, "mirror_url") == .text("https://mirror.test.org/tap#https://Mirror2.test.org/tap"))
    }

    @Test func creatorSequenceAndRoles() {
        #expect(column(.resource, "creator_seq") == .text("Ann A.; Bob B."))
        #expect(columnValues(.resRole, "base_role") == [.text("contact"), .text("publisher"), .text("creator"), .text("creator")])
        #expect(column(.resRole, "role_ivoid") == .text("ivo://test.org/people/ann"))
        #expect(column(.resRole, "logo", row: 2) == .text("https://test.org/logo.png"))
        #expect(column(.resRole, "logo", row: 0) == .null)
    }

    @Test func firstRightsOnly() {
        #expect(column(.resource, "rights") == .text("CC-BY"))
        #expect(column(.resource, "rights_uri") == .text("https://creativecommons.org/licenses/by/4.0/"))
    }

    @Test func timestampsAreDALI() {
        #expect(column(.resource, "created") == .text("2020-01-02T03:04:05"))
        #expect(column(.resource, "updated") == .text("2021-02-03T00:00:00"))
        #expect(columnValues(.resDate, "date_value") == [.text("2019-05-01T00:00:00"), .text("2019-06-01T10:00:00")])
        #expect(RegTAPMapper.timestamp("not a date") == .null)
        #expect(RegTAPMapper.timestamp("2010-01-01T10:11:12.345Z") == .text("2010-01-01T10:11:12"))
    }

    @Test func vocabularyTranslations() {
        #expect(columnValues(.resDate, "value_role") == [.text("created"), .text("collected")])
        #expect(columnValues(.relationship, "relationship_type") == [.text("isservedby"), .text("isservedby")])
        #expect(columnValues(.relationship, "related_id") == [.text("ivo://test.org/tap"), .null])
    }

    @Test func authenticatedOnlyFollowsSecurityMethods() {
        // 1: one securityMethod with a standardID; 0: one without; 0: none at all
        #expect(columnValues(.interface, "authenticated_only") == [.int(1), .int(0), .int(0)])
    }

    @Test func indexesCountPerResource() {
        #expect(columnValues(.interface, "intf_index") == [.int(1), .int(2), .int(3)])
        #expect(columnValues(.interface, "cap_index") == [.int(1), .int(1), .int(2)])
        #expect(columnValues(.resTable, "table_index") == [.int(1), .int(2)])
        #expect(columnValues(.resTable, "schema_index") == [.int(1), .int(2)])
        #expect(columnValues(.tableColumn, "table_index") == [.int(1), .int(1), .int(2)])
        #expect(columnValues(.intfParam, "intf_index") == [.int(3)])
    }

    @Test func validationLevelsCarryTheirCapability() {
        #expect(rows[.validation] == [[.text("ivo://test.org/cat"), .text("ivo://test.org/validator"), .int(2), .int(1)]])
    }

    @Test func paramsMapLikeColumns() {
        #expect(rows[.intfParam][0][2] == .text("ra"))
        #expect(column(.intfParam, "std") == .int(1))
        #expect(column(.intfParam, "param_use") == .text("required"))
        #expect(column(.intfParam, "datatype") == .text("double"))
        #expect(column(.tableColumn, "std") == .int(1))
        #expect(column(.tableColumn, "std", row: 1) == .null)
    }

    @Test func coverageFillsTheStcTables() {
        #expect(rows[.stcSpatial] == [[.text("ivo://test.org/cat"), .text("3/1-4 5/7"), .null]])
        #expect(rows[.stcTemporal] == [[.text("ivo://test.org/cat"), .real(51544), .real(51545.5)]])
        #expect(rows[.stcSpectral] == [[.text("ivo://test.org/cat"), .real(1e-19), .real(2e-19)]])
        #expect(column(.resource, "region_of_regard") == .real(0.5))
    }

    @Test func detailsBecomeRows() {
        let xpaths = columnValues(.resDetail, "detail_xpath").compactMap(\.text)
        #expect(xpaths.contains("/capability/dataModel/@ivo-id"))
        #expect(xpaths.contains("/rights"))
    }

    @Test func fullTextHoldsTablesAndSubjects() {
        #expect(rows.fullText.subjects == "Stars")
        #expect(rows.fullText.tables.contains("Main.Stars"))
        #expect(rows.fullText.tables.contains("The stars"))
    }
}
