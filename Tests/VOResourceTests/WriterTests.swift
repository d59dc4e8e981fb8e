import Foundation
import TestSupport
import Testing

@testable import VOResource

/// Writing a record back from the model gives the same model, and XML that validates.
@Suite struct WriterTests {
    func model(_ xml: String) throws -> Resource {
        let doc = try RecordReader.read(data: Data(xml.utf8))
        guard case .resource(let r) = try #require(doc.entries.first) else { throw RecordError("no record") }
        return r.resource
    }

    /// Equality of what the record says (namespace declarations may differ after writing).
    func same(_ a: Resource, _ b: Resource) -> Bool {
        var a = a
        var b = b
        a.namespaces = []
        b.namespaces = []
        return a == b
    }

    @Test func roundTripKeepsTheModel() throws {
        let a = try model(Fixtures.catalogService)
        let written = VOResourceWriter.write(a)
        let b = try model(written)
        #expect(same(a, b))
        #expect(written.contains("extraStuff"))
    }

    @Test func escapesTextAndAttributes() throws {
        var r = try model(Fixtures.catalogService)
        r.title = "a < b & \"c\""
        r.content.referenceURL = "https://x.org/?a=1&b=2"
        let back = try model(VOResourceWriter.write(r))
        #expect(back.title == "a < b & \"c\"")
        #expect(back.content.referenceURL == "https://x.org/?a=1&b=2")
    }

    static var sampleFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.samples)) ?? []).filter { $0.hasSuffix(".xml") }
            .sorted().map { Fixtures.samples + "/" + $0 }
    }

    @Test(arguments: sampleFiles)
    func samplesRoundTripAndStayValid(file: String) throws {
        let original = try model(String(contentsOfFile: file, encoding: .utf8))
        let written = VOResourceWriter.write(original)
        #expect(same(original, try model(written)))
        guard Fixtures.haveSchemas else { return }
        let validator = try SchemaValidator(schemasDirectory: Fixtures.schemas)
        let verdicts = validator.validateRecords(data: Data(written.utf8), file: file)
        #expect(verdicts.count == 1)
        #expect(verdicts.first?.issues == [], "\(file)")
    }

    /// Every record of the shared corpus that validates as read still validates when written back.
    @Test func corpusRecordsStayValidWhenWritten() throws {
        guard FileManager.default.fileExists(atPath: Fixtures.corpus), Fixtures.haveSchemas else {
            print("skipped: ../shared/corpus or Schemas/ivoa absent")
            return
        }
        let validator = try SchemaValidator(schemasDirectory: Fixtures.schemas)
        let e = FileManager.default.enumerator(atPath: Fixtures.corpus)!
        var checked = 0
        while let rel = e.nextObject() as? String {
            guard rel.hasSuffix(".xml") || rel.hasSuffix(".oaixml") || rel.hasSuffix(".vor") else { continue }
            let path = Fixtures.corpus + "/" + rel
            guard let data = FileManager.default.contents(atPath: path),
                let doc = try? RecordReader.read(data: data, name: path)
            else { continue }
            for case .resource(let rec) in doc.entries {
                let asRead = validator.validateRecords(data: Data(rec.xml.utf8), file: path)
                guard asRead.first?.isValid == true else { continue }
                let written = VOResourceWriter.write(rec.resource)
                let verdict = validator.validateRecords(data: Data(written.utf8), file: path)
                #expect(verdict.first?.issues == [], "\(path) \(rec.resource.identifier)")
                checked += 1
            }
        }
        #expect(checked > 100)
    }
}
