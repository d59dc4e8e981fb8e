import Foundation
import OAIPMH
import RegistryStore
import TestSupport
import Testing
import VOResource

/// The project's sample records over OAI-PMH: every verb valid, internal APIs never visible.
@Suite struct OAISampleRecordsTests {
    let h: OAIHarness
    let internalIDs: [String]
    let files: [String]

    init() throws {
        h = try OAIHarness(pageSize: 4, managed: ["voregistry.example", "example-dc.org"])
        files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.samples).filter { $0.hasSuffix(".xml") }.sorted()
        var internalIDs: [String] = []
        for (i, f) in files.enumerated() {
            let isInternal = f.hasPrefix("internal-")
            try h.ingestSample(f, at: 10_000 + Int64(i % 3), visibility: isInternal ? .internal : .public)
            if isInternal {
                let xml = try String(contentsOfFile: Fixtures.samples + "/" + f, encoding: .utf8)
                guard case .resource(let r) = try RecordReader.read(data: Data(xml.utf8)).entries[0] else { continue }
                internalIDs.append(r.resource.identifier)
            }
        }
        self.internalIDs = internalIDs
        // A harvested record: served with its own datestamp, outside ivo_managed.
        try h.ingest(OAIHarness.record("ivo://peer.net/svc"), at: 9_000, origin: .harvested("ivo://peer.net/registry"))
    }

    @Test func schemasAreThereToValidateAgainst() {
        if Fixtures.haveSchemas { #expect(OAIHarness.validator != nil) }
    }

    @Test func internalRecordsAppearNowhere() throws {
        #expect(internalIDs.count == 3)
        let publicCount = files.count - internalIDs.count + 1
        var texts: [String] = []
        for verb in ["ListIdentifiers", "ListRecords"] {
            for prefix in ["ivo_vor", "oai_dc"] {
                for set in [[], [("set", "ivo_managed")]] {
                    var r = try h.respond([("verb", verb), ("metadataPrefix", prefix)] + set)
                    var ids: [String] = r.identifiers
                    texts.append(r.text)
                    let size = r.token?.attribute("completeListSize")
                    while let t = r.token?.text, !t.isEmpty {
                        r = try h.respond([("verb", verb), ("resumptionToken", t)])
                        ids += r.identifiers
                        texts.append(r.text)
                    }
                    #expect(ids.count == (set.isEmpty ? publicCount : publicCount - 1))
                    #expect(size == String(ids.count))
                    #expect(ids.count == Set(ids.map { $0.lowercased() }).count)
                }
            }
        }
        for id in internalIDs {
            let g = try h.respond([("verb", "GetRecord"), ("identifier", id), ("metadataPrefix", "ivo_vor")])
            #expect(g.error == "idDoesNotExist")
            #expect(!texts.contains { $0.lowercased().contains(id.lowercased()) })
        }
    }

    @Test func harvestedRecordsAreServedOutsideTheManagedSet() throws {
        let r = try h.respond([("verb", "GetRecord"), ("identifier", "ivo://peer.net/svc"), ("metadataPrefix", "ivo_vor")])
        #expect(r.headers.first?.child(named: "datestamp")?.text == OAIDate.format(9_000))
        #expect(r.headers.first?.child(named: "setSpec") == nil)
        let first = try h.respond([("verb", "ListIdentifiers"), ("metadataPrefix", "ivo_vor")])
        #expect(first.identifiers.first == "ivo://peer.net/svc")
    }

    @Test func responsesStreamInChunks() throws {
        var chunks: [String] = []
        try h.provider.respond(to: [(name: "verb", value: "ListRecords"), (name: "metadataPrefix", value: "ivo_vor")]) {
            chunks.append($0)
        }
        // Header, verb, then three chunks per record, then the token, the close tags.
        #expect(chunks.count >= 4 * 3 + 3)
        #expect(chunks.first?.hasPrefix("<?xml") == true)
        #expect(chunks.last == "</OAI-PMH>\n")
    }
}
