import Foundation
import TestSupport
import Testing

@testable import VOResource

@Suite struct SchemaValidatorTests {
    @Test func invalidRecordGivesLineNumbers() throws {
        guard Fixtures.haveSchemas else {
            print("skipped: Schemas/ivoa absent (run make schemas)")
            return
        }
        let validator = try SchemaValidator(schemasDirectory: Fixtures.schemas)
        let bad = Fixtures.catalogService.replacingOccurrences(of: "<shortName>TC</shortName>", with: "<bogus/>")
        let v = validator.validateRecords(data: Data(bad.utf8), file: "bad.xml")
        #expect(v.count == 1)
        #expect(v[0].identifier == "ivo://Test.Org/Cat")
        let first = try #require(v[0].issues.first)
        #expect(first.line == 4)  // line 1 is the XML declaration
        #expect(first.message.contains("bogus"))
    }

    @Test func validRecordHasNoIssues() throws {
        guard Fixtures.haveSchemas else { return }
        let validator = try SchemaValidator(schemasDirectory: Fixtures.schemas)
        let good = Fixtures.catalogService.replacingOccurrences(
            of: "<extraStuff xmlns=\"http://example.org/ext\">kept</extraStuff>", with: "")
        let v = validator.validateRecords(data: Data(good.utf8), file: "good.xml")
        #expect(v.map(\.issues) == [[]])
    }
}
