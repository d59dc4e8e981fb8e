import Foundation
import Harvester
import Hummingbird
import HummingbirdTesting
import RegistryServer
import RegistryStore
import Testing

@Suite("Harvest settings, status route and metrics")
struct HarvestRouteTests {
    @Test("the harvest object of the config file: durations, defaults, unknown keys refused")
    func settings() throws {
        let dir = NSTemporaryDirectory() + "voreg-hcfg-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let good = dir + "/good.json"
        try Data(#"{"harvest": {"interval": "6h", "overlap": 3600, "fullInterval": "7d", "enabled": false}}"#.utf8)
            .write(to: URL(fileURLWithPath: good))
        let file = try ServerSettings.load(file: good)
        let c = try ServerConfiguration.resolve(file: file, environment: ServerSettings(), flags: ServerSettings())
        #expect(c.harvest.interval == 6 * 3600)
        #expect(c.harvest.overlap == 3600)
        #expect(c.harvest.fullInterval == 7 * 86_400)
        #expect(c.harvest.enabled == false)
        #expect(c.harvest.retries == HarvestConfiguration().retries)
        let defaults = try ServerConfiguration.resolve(file: nil, environment: ServerSettings(), flags: ServerSettings())
        #expect(defaults.harvest == HarvestConfiguration())
        #expect(defaults.harvest.interval == 12 * 3600 && defaults.harvest.overlap == 86_400)
        #expect(defaults.harvest.fullInterval == 30 * 86_400)

        let bad = dir + "/bad.json"
        try Data(#"{"harvest": {"intervall": "6h"}}"#.utf8).write(to: URL(fileURLWithPath: bad))
        #expect(throws: ConfigurationError.self) { try ServerSettings.load(file: bad) }
        var s = ServerSettings()
        s.harvest = HarvestSettings()
        s.harvest?.interval = "often"
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(file: s, environment: ServerSettings(), flags: ServerSettings())
        }
    }

    @Test("GET /api/harvest/status and /metrics show each peer's state")
    func statusAndMetrics() async throws {
        let h = try ServerHarness()
        let peers = h.server.harvest.harvester.peers
        let p = try await peers.add(url: "http://peer.test/oai", set: "ivo_managed").peer
        var counts = HarvestCounts()
        counts.added = 7
        counts.rejected = 2
        try await peers.recordEnd(
            peerID: p.id, start: 1_700_000_000, end: 1_700_000_010, full: true, counts: counts, error: nil,
            nextRun: 1_700_043_200)
        try await h.test { client in
            let r = try await client.execute(uri: "/api/harvest/status", method: .get)
            #expect(r.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
            #expect(json["enabled"] as? Bool == true)
            #expect(json["interval"] as? String == "12h")
            let list = try #require(json["peers"] as? [[String: Any]])
            #expect(list.count == 1)
            #expect(list[0]["url"] as? String == "http://peer.test/oai")
            #expect(list[0]["set"] as? String == "ivo_managed")
            #expect(list[0]["last_success"] as? Int == 1_700_000_000)
            #expect((list[0]["totals"] as? [String: Any])?["added"] as? Int == 7)

            let m = try await client.execute(uri: "/metrics", method: .get)
            let text = String(buffer: m.body)
            #expect(text.contains(#"voreg_harvest_records_changed{peer="http://peer.test/oai",change="added"} 7"#))
            #expect(text.contains(#"voreg_harvest_records_changed{peer="http://peer.test/oai",change="rejected"} 2"#))
            #expect(text.contains(#"voreg_harvest_last_success_timestamp_seconds{peer="http://peer.test/oai"} 1700000000"#))
            #expect(text.contains(#"voreg_harvest_records_held{peer="http://peer.test/oai"} 0"#))
        }
    }
}
