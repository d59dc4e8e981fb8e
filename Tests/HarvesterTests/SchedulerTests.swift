import Foundation
import Harvester
import OAIPMH
import RegistryStore
import Logging
import ServiceLifecycle
import Testing
import VOResource

@Suite("Scheduling and discovery")
struct SchedulerTests {
    @Test("the scheduler harvests every due peer; a failing peer does not stop the others; cancel stops it")
    func scheduler() async throws {
        let h = try Harness {
            $0.tick = 0.1
            $0.retries = 0
        }
        let good = FakePeer()
        good.set((0..<4).map { FakePeer.item(record("ivo://good.test/r\($0)")) })
        let failing = FakePeer()
        failing.set([FakePeer.item(record("ivo://bad.test/r"))])
        failing.fault = .status(500, times: 1000, retryAfter: nil)
        try await good.serve { goodURL in
            try await failing.serve { badURL in
                try await h.harvester.peers.add(url: badURL, set: nil)
                try await h.harvester.peers.add(url: goodURL, set: nil)
                try await h.harvester.peers.add(url: "http://127.0.0.1:9/oai", set: nil)
                let scheduler = HarvestScheduler(harvester: h.harvester)
                let task = Task { try await scheduler.run() }
                var done = false
                for _ in 0..<100 where !done {
                    try await Task.sleep(for: .milliseconds(100))
                    let peers = try await h.harvester.peers.list()
                    done = peers.allSatisfy { $0.harvests >= 1 }
                }
                let clock = ContinuousClock.now
                task.cancel()
                _ = try? await task.value
                #expect(ContinuousClock.now - clock < .seconds(3))
                let peers = try await h.harvester.peers.list()
                let g = try #require(peers.first { $0.url == goodURL })
                #expect(g.lastSuccess != nil)
                #expect(g.recordsHeld == 4)
                #expect(g.harvests == 1)  // next run is 12 h away
                let now = RegistryStore.now()
                #expect(g.nextRun! > now + 10 * 3600)
                let b = try #require(peers.first { $0.url == badURL })
                #expect(b.lastError?.contains("HTTP 500") == true)
                #expect(b.lastSuccess == nil)
                #expect(b.nextRun! <= now + 3600 + 400)  // retried sooner than the interval
            }
        }
    }

    @Test("graceful shutdown cancels a running harvest, which keeps its completed pages and releases the peer")
    func shutdownCancels() async throws {
        let h = try Harness { $0.tick = 0.1 }
        let peer = FakePeer()
        peer.pageSize = 2
        peer.set((0..<6).map { FakePeer.item(record("ivo://slow.test/r\($0)")) })
        peer.fault = .slow(page: 2, seconds: 4)
        try await peer.serve { url in
            try await h.harvester.peers.add(url: url, set: nil)
            let scheduler = HarvestScheduler(harvester: h.harvester)
            var logger = Logger(label: "group")
            logger.logLevel = .critical
            let group = ServiceGroup(services: [scheduler], logger: logger)
            let task = Task { try await group.run() }
            for _ in 0..<50 {
                try await Task.sleep(for: .milliseconds(100))
                if try h.count("SELECT count(*) FROM records") == 2 { break }
            }
            let clock = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await task.value
            #expect(ContinuousClock.now - clock < .seconds(2))
            let p = try #require(try await h.harvester.peers.peer(url: url))
            #expect(p.lastError == "cancelled")
            #expect(p.runningSince == nil)
            #expect(p.recordsHeld == 2)
        }
    }

    @Test("discovery adds the RofR's publishing registries as peers with set ivo_managed")
    func discovery() async throws {
        let h = try Harness()
        let rofr = FakePeer()
        func registry(_ id: String, oai: String?, authorities: [String], status: String = "active") -> String {
            let cap = oai.map {
                """
                <capability xsi:type="vg:Harvest" standardID="ivo://ivoa.net/std/Registry">
                  <interface xsi:type="vg:OAIHTTP" role="std"><accessURL use="base">\($0)</accessURL></interface>
                  <maxRecords>100</maxRecords>
                </capability>
                """
            } ?? ""
            return """
                <ri:Resource xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0" xmlns:vg="http://www.ivoa.net/xml/VORegistry/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="vg:Registry" status="\(status)" created="2020-01-01T00:00:00Z" updated="2020-01-01T00:00:00Z">
                  <title>R</title><identifier>\(id)</identifier>
                  <curation><publisher>P</publisher><contact><name>C</name></contact></curation>
                  <content><subject>s</subject><description>d</description><referenceURL>http://r.test/</referenceURL></content>
                  \(cap)<full>false</full>\(authorities.map { "<managedAuthority>\($0)</managedAuthority>" }.joined())
                </ri:Resource>
                """
        }
        rofr.pageSize = 2
        rofr.set([
            FakePeer.item(registry("ivo://a.test/reg", oai: "http://a.test/oai", authorities: ["a.test", "a2.test"])),
            FakePeer.item(registry("ivo://b.test/reg", oai: "http://b.test/oai", authorities: ["b.test"])),
            FakePeer.item(registry("ivo://c.test/reg", oai: nil, authorities: ["c.test"])),
            FakePeer.item(registry("ivo://d.test/reg", oai: "http://d.test/oai", authorities: [], status: "deleted")),
            FakePeer.item(registry("ivo://me.test/reg", oai: "http://me.test/oai", authorities: ["me.test"])),
            FakePeer.item(record("ivo://a.test/svc")),
        ])
        try await rofr.serve { url in
            let d = PeerDiscovery(harvester: h.harvester, ownIvoid: "ivo://me.test/reg")
            let r = await d.discover(rofr: url)
            #expect(r.error == nil)
            #expect(r.registries == 2)
            #expect(r.added.sorted() == ["http://a.test/oai", "http://b.test/oai"])
            #expect(r.skipped.count == 3)
            let peers = try await h.harvester.peers.list()
            #expect(peers.map(\.url) == ["http://a.test/oai", "http://b.test/oai"])
            #expect(peers.allSatisfy { $0.set == "ivo_managed" && $0.scheduled && $0.discoveredFrom == url })
            #expect(peers[0].managedAuthorities == ["a.test", "a2.test"])
            #expect(peers[0].registryIvoid == "ivo://a.test/reg")
            let again = await d.discover(rofr: url)
            #expect(again.added.isEmpty && again.known.count == 2)
        }
    }
}

@Suite("OAI-PMH client pieces")
struct ClientPieceTests {
    @Test("request URLs escape resumption tokens and `from` follows the granularity")
    func requests() {
        let r = OAIHarvestRequest.resume(token: "a+b/c=d&e f")
        #expect(r.url(base: "http://x.test/oai") == "http://x.test/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%26e%20f")
        let l = OAIHarvestRequest.listRecords(metadataPrefix: "ivo_vor", set: "ivo_managed", from: "2020-01-02")
        #expect(l.url(base: "http://x.test/oai?x=1") == "http://x.test/oai?x=1&verb=ListRecords&metadataPrefix=ivo_vor&set=ivo_managed&from=2020-01-02")
        #expect(OAIHarvestRequest.fromArgument(86_400 + 3600, granularity: .day) == "1970-01-02")
        #expect(OAIHarvestRequest.fromArgument(86_400 + 3600, granularity: .seconds) == "1970-01-02T01:00:00Z")
    }

    @Test("durations")
    func durations() {
        #expect(HarvestConfiguration.parseDuration("12h") == 43_200)
        #expect(HarvestConfiguration.parseDuration("1d") == 86_400)
        #expect(HarvestConfiguration.parseDuration("90") == 90)
        #expect(HarvestConfiguration.parseDuration("1.5m") == 90)
        #expect(HarvestConfiguration.parseDuration("-1h") == nil)
        #expect(HarvestConfiguration.parseDuration("soon") == nil)
        #expect(HarvestConfiguration.formatDuration(30 * 86_400) == "30d")
        #expect(HarvestConfiguration.formatDuration(43_200) == "12h")
    }

    @Test("response classification: records and token, noRecordsMatch, errors, not OAI-PMH")
    func classify() throws {
        let env = { (inner: String) in
            Data("<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>x</responseDate>\(inner)</OAI-PMH>".utf8)
        }
        guard case .noRecordsMatch = try OAIHarvestResponse.classify(env("<error code=\"noRecordsMatch\"/>"), name: "t")
        else { Issue.record("noRecordsMatch"); return }
        guard case .error(let code, _) = try OAIHarvestResponse.classify(env("<error code=\"badResumptionToken\">x</error>"), name: "t"),
            code == "badResumptionToken"
        else { Issue.record("error"); return }
        guard case .records(let e, let t) = try OAIHarvestResponse.classify(
            env("<ListRecords><record><header status=\"deleted\"><identifier>ivo://a/b</identifier><datestamp>2020-01-01</datestamp></header></record><resumptionToken>abc</resumptionToken></ListRecords>"), name: "t"),
            t == "abc", e.count == 1
        else { Issue.record("records"); return }
        #expect(throws: XMLError.self) { try OAIHarvestResponse.classify(Data("<a/>".utf8), name: "t") }
        #expect(throws: XMLError.self) { try OAIHarvestResponse.classify(env("<ListRecords>"), name: "t") }
    }
}

@Suite("Rediscovery")
struct RediscoveryTests {
    @Test("a scheduler with a RofR discovers a publishing registry and harvests its ivo_managed set")
    func discoverThenHarvest() async throws {
        let h = try Harness {
            $0.tick = 0.1
            $0.rofr = "set below"
        }
        let publisher = FakePeer()
        publisher.managedAuthorities = ["pub.test"]
        publisher.set([FakePeer.item(record("ivo://pub.test/a")), FakePeer.item(record("ivo://pub.test/b"))])
        let rofr = FakePeer()
        try await publisher.serve { pubURL in
            rofr.set([
                FakePeer.item(
                    """
                    <ri:Resource xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0" xmlns:vg="http://www.ivoa.net/xml/VORegistry/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="vg:Registry" status="active" created="2020-01-01T00:00:00Z" updated="2020-01-01T00:00:00Z">
                      <title>Pub</title><identifier>ivo://pub.test/registry</identifier>
                      <curation><publisher>P</publisher><contact><name>C</name></contact></curation>
                      <content><subject>s</subject><description>d</description><referenceURL>http://pub.test/</referenceURL></content>
                      <capability xsi:type="vg:Harvest" standardID="ivo://ivoa.net/std/Registry">
                        <interface xsi:type="vg:OAIHTTP" role="std"><accessURL use="base">\(pubURL)</accessURL></interface>
                        <maxRecords>100</maxRecords>
                      </capability>
                      <full>false</full><managedAuthority>pub.test</managedAuthority>
                    </ri:Resource>
                    """)
            ])
            try await rofr.serve { rofrURL in
                var c = h.harvester.configuration
                c.rofr = rofrURL
                let harvester = PeerHarvester(store: h.store, configuration: c, logger: h.harvester.logger)
                let scheduler = HarvestScheduler(
                    harvester: harvester, discovery: PeerDiscovery(harvester: harvester, ownIvoid: "ivo://me.test/reg"))
                let task = Task { try await scheduler.run() }
                var held = 0
                for _ in 0..<100 where held < 2 {
                    try await Task.sleep(for: .milliseconds(100))
                    held = try await harvester.peers.peer(url: pubURL)?.recordsHeld ?? 0
                }
                task.cancel()
                _ = try? await task.value
                await harvester.shutdown()
                let p = try #require(try await harvester.peers.peer(url: pubURL))
                #expect(p.recordsHeld == 2)
                #expect(p.set == "ivo_managed")
                #expect(p.discoveredFrom == rofrURL)
                let asked = publisher.requestLog.first { $0["metadataPrefix"] != nil }
                #expect(asked?["set"] == "ivo_managed")
            }
        }
    }
}
