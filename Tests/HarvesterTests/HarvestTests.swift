import Foundation
import GRDB
import Harvester
import OAIPMH
import RegistryStore
import TestSupport
import Testing
import VOResource

/// The shared corpus and the project's public sample records, one item per identifier (the
/// last version read wins), with the corpus's deleted headers.
let corpusItems: [FakePeer.Item] = {
    var files: [String] = []
    for dir in [Fixtures.corpus, Fixtures.samples] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { continue }
        for case let f as String in e where f.hasSuffix(".xml") || f.hasSuffix(".oaixml") {
            if (f as NSString).lastPathComponent.hasPrefix("internal-") { continue }
            files.append(dir + "/" + f)
        }
    }
    var byID: [String: FakePeer.Item] = [:]
    var order: [String] = []
    var stamp: Int64 = 1_600_000_000
    for f in files.sorted() {
        guard let data = FileManager.default.contents(atPath: f),
            let doc = try? RecordReader.read(data: data, name: f)
        else { continue }
        for entry in doc.entries {
            stamp += 1
            var item: FakePeer.Item
            switch entry {
            case .resource(let r):
                item = .init(identifier: r.resource.identifier.xmlTrimmed, xml: r.xml, datestamp: stamp)
            case .deleted(let id, _, _): item = .init(identifier: id, xml: nil, datestamp: stamp)
            case .rejected: continue
            }
            guard !item.identifier.isEmpty else { continue }
            let key = item.identifier.lowercased()
            if byID[key] == nil { order.append(key) }
            byID[key] = item
        }
    }
    return order.map { byID[$0]! }.sorted { $0.datestamp < $1.datestamp }
}()

@Suite("Harvesting a peer")
struct HarvestTests {
    @Test("the corpus in pages: every record stored as sent, deleted headers, then an incremental harvest")
    func corpusInPages() async throws {
        let h = try Harness()
        let peer = FakePeer()
        peer.pageSize = 25
        let items = corpusItems
        if FileManager.default.fileExists(atPath: Fixtures.corpus + "/MANIFEST-records.tsv") {
            #expect(items.count > 200)
        } else {
            print("note: the shared corpus is absent (\(Fixtures.corpus)); harvesting the sample records only")
            #expect(items.count >= 10)
        }
        peer.set(items)
        try await peer.serve { url in
            let r = await h.harvester.harvest(url: url)
            #expect(r.error == nil)
            #expect(r.mode == "full")
            #expect(r.counts.pages == (items.count + 24) / 25)
            let live = items.filter { $0.xml != nil }
            // Deleted headers for records never received are ignored (nothing to tombstone).
            #expect(r.counts.added + r.counts.rejected + r.counts.deleted == live.count)
            for i in live.prefix(400) {
                let s = try #require(try h.record(i.identifier), "\(i.identifier)")
                #expect(s.origin == .harvested(url))
                #expect(s.visibility == .public)
            }
            // The same harvest again changes nothing.
            let again = await h.harvester.harvest(url: url, mode: .full)
            #expect(again.counts.added == 0 && again.counts.updated == 0 && again.tombstoned == 0)

            // The peer deletes three records and changes one.
            let changed = live[5].identifier
            let gone = [live[0], live[1], live[2]].map(\.identifier)
            peer.update { list in
                list.removeAll { gone.contains($0.identifier) || $0.identifier == changed }
                for id in gone { list.append(FakePeer.deleted(id, datestamp: 1_900_000_000)) }
                list.append(FakePeer.item(record(changed, title: "Changed title"), datestamp: 1_900_000_001))
            }
            let before = try #require(try await h.harvester.peers.peer(url: url))
            let inc = await h.harvester.harvest(url: url)
            #expect(inc.error == nil)
            #expect(inc.mode == "incremental")
            #expect(inc.from == OAIDate.format(before.lastSuccess! - 86_400))
            #expect(peer.requestLog.last { $0["metadataPrefix"] != nil }?["from"] == inc.from)
            #expect(inc.counts.deleted == 3)
            #expect(inc.counts.updated == 1)
            for id in gone {
                #expect(try h.record(id)?.status == .deleted)
                #expect(try h.count("SELECT count(*) FROM rr_resource WHERE ivoid = '\(id.lowercased())'") == 0)
            }
            #expect(try h.record(changed)?.xml?.contains("Changed title") == true)
            let state = try #require(try await h.harvester.peers.peer(url: url))
            #expect(state.totals.deleted == 3)
            #expect(state.recordsHeld == live.count - 3 - r.counts.rejected)
        }
    }

    @Test("a full harvest deletes what the peer no longer sends; a failed one deletes nothing")
    func fullHarvestReconciles() async throws {
        let h = try Harness()
        let peer = FakePeer()
        peer.pageSize = 10
        peer.set((0..<30).map { FakePeer.item(record("ivo://peer.test/r\($0)"), datestamp: 1_700_000_000 + Int64($0)) })
        try await peer.serve { url in
            #expect(await h.harvester.harvest(url: url).counts.added == 30)
            peer.update { $0.removeAll { ["ivo://peer.test/r3", "ivo://peer.test/r17"].contains($0.identifier) } }
            peer.fault = .failFrom(page: 2)
            let failed = await h.harvester.harvest(url: url, mode: .full)
            #expect(failed.error?.contains("HTTP 500") == true)
            #expect(failed.tombstoned == 0)
            #expect(try h.count("SELECT count(*) FROM records WHERE status = 'active'") == 30)
            let state = try #require(try await h.harvester.peers.peer(url: url))
            #expect(state.lastError?.contains("HTTP 500") == true)
            #expect(state.failures == 1)
            #expect(state.runningSince == nil)

            peer.fault = nil
            let ok = await h.harvester.harvest(url: url, mode: .full)
            #expect(ok.error == nil)
            #expect(ok.tombstoned == 2)
            #expect(try h.record("ivo://peer.test/r3")?.status == .deleted)
            #expect(try h.count("SELECT count(*) FROM records WHERE status = 'active'") == 28)
            #expect(try h.count("SELECT count(*) FROM harvest_staged") == 0)
        }
    }

    @Test("authority rules: the managing registry's copy wins, our own and local records are never overwritten")
    func authorityRules() async throws {
        let h = try Harness(managedAuthorities: ["ours.test"])
        _ = try h.store.ingest([
            .record(PreparedRecord(try parsed(record("ivo://local.test/l", title: "Local")), origin: .local))
        ])
        let x = FakePeer()
        x.registryIvoid = "ivo://x.test/registry"
        x.managedAuthorities = ["x.test"]
        x.set([FakePeer.item(record("ivo://x.test/rec", title: "From X"))])
        let y = FakePeer()
        y.registryIvoid = "ivo://y.test/registry"
        y.managedAuthorities = ["y.test"]
        y.set([
            FakePeer.item(record("ivo://x.test/rec", title: "Copy at Y")),
            FakePeer.item(record("ivo://ours.test/r", title: "Ours at Y")),
            FakePeer.item(record("ivo://local.test/l", title: "Local at Y")),
            FakePeer.item(record("ivo://y.test/own", title: "Y's own")),
            FakePeer.item(record("ivo://z.test/orphan", title: "Unmanaged")),
        ])
        try await x.serve { xURL in
            try await y.serve { yURL in
                // Y first: its copy of X's record is taken while X's is not there.
                let y1 = await h.harvester.harvest(url: yURL)
                #expect(y1.counts.added == 3)
                #expect(y1.counts.conflicts == 2)
                #expect(Set(y1.conflicts.compactMap(\.identifier)) == ["ivo://ours.test/r", "ivo://local.test/l"])
                #expect(try h.record("ivo://ours.test/r") == nil)
                #expect(try h.record("ivo://local.test/l")?.xml?.contains("Local at Y") == false)
                // X, which manages x.test, replaces Y's copy.
                let x1 = await h.harvester.harvest(url: xURL)
                #expect(x1.counts.updated == 1)
                #expect(try h.record("ivo://x.test/rec")?.origin == .harvested(xURL))
                // Y's copy no longer overwrites it, and Y's deleted header does not delete it.
                y.update { $0.append(FakePeer.deleted("ivo://x.test/rec", datestamp: 1_800_000_000)) }
                y.update { $0[0] = FakePeer.item(record("ivo://x.test/rec", title: "Copy at Y, changed")) }
                let y2 = await h.harvester.harvest(url: yURL, mode: .full)
                #expect(y2.error == nil)
                #expect(y2.counts.conflicts == 3)
                let rec = try #require(try h.record("ivo://x.test/rec"))
                #expect(rec.status == .active)
                #expect(rec.xml?.contains("From X") == true)
                let peers = try await h.harvester.peers.list()
                #expect(peers.first { $0.url == xURL }?.managedAuthorities == ["x.test"])
                #expect(peers.first { $0.url == yURL }?.totals.conflicts == 5)
            }
        }
    }

    @Test("retries: 503 with Retry-After and 500 are retried; when retries run out the store is untouched")
    func retries() async throws {
        let h = try Harness()
        let peer = FakePeer()
        peer.set((0..<5).map { FakePeer.item(record("ivo://peer.test/r\($0)")) })
        try await peer.serve { url in
            peer.fault = .status(503, times: 2, retryAfter: "0")
            let r = await h.harvester.harvest(url: url)
            #expect(r.error == nil)
            #expect(r.counts.added == 5)
            #expect(peer.requestLog.filter { $0["verb"] == "ListRecords" }.count == 3)

            let h2 = try Harness()
            peer.fault = .status(500, times: 100, retryAfter: nil)
            let bad = await h2.harvester.harvest(url: url)
            #expect(bad.error?.contains("HTTP 500") == true)
            #expect(try h2.count("SELECT count(*) FROM records") == 0)
        }
    }

    @Test("gzip bodies and a redirect are followed; a redirect loop fails")
    func gzipAndRedirects() async throws {
        let h = try Harness()
        let peer = FakePeer()
        peer.pageSize = 2
        peer.set((0..<5).map { FakePeer.item(record("ivo://peer.test/r\($0)")) })
        peer.gzip = true
        peer.redirectOnce = true
        try await peer.serve { url in
            let r = await h.harvester.harvest(url: url)
            #expect(r.error == nil)
            #expect(r.counts.added == 5)
            #expect(r.counts.pages == 3)
            // A gzip body that inflates past the page limit (a gzip bomb) is refused.
            let small = try Harness { $0.maxPageBytes = 64 * 1024 }
            peer.fault = .padded(page: 1, bytes: 1024 * 1024)
            let bomb = await small.harvester.harvest(url: url)
            #expect(bomb.error?.contains("larger than") == true)
            peer.fault = .redirectLoop
            let loop = await h.harvester.harvest(url: url, mode: .full)
            #expect(loop.error?.lowercased().contains("redirect") == true)
            let active = try h.count("SELECT count(*) FROM records WHERE status = 'active'")
            #expect(active == 5)
        }
    }

    @Test("a repeated resumption token and an endless list are bounded")
    func loops() async throws {
        let h = try Harness { $0.maxPages = 20 }
        let peer = FakePeer()
        peer.pageSize = 2
        peer.set((0..<9).map { FakePeer.item(record("ivo://peer.test/r\($0)")) })
        try await peer.serve { url in
            peer.fault = .repeatToken
            let r = await h.harvester.harvest(url: url)
            #expect(r.error?.contains("twice") == true)
            #expect(r.counts.pages == 2)
            peer.fault = .endless
            let e = await h.harvester.harvest(url: url, mode: .full)
            #expect(e.error?.contains("did not end after 20 pages") == true)
        }
    }

    @Test("malformed pages, OAI errors, noRecordsMatch, records that do not parse, oversized pages")
    func badPages() async throws {
        let h = try Harness { $0.maxPageBytes = 64 * 1024 }
        let peer = FakePeer()
        peer.pageSize = 3
        var items = (0..<8).map { FakePeer.item(record("ivo://peer.test/r\($0)"), datestamp: 1_700_000_000 + Int64($0)) }
        items.insert(
            FakePeer.Item(
                identifier: "ivo://peer.test/bad",
                xml: "<resource><identifier>ivo://peer.test/bad</identifier><title>x</title></resource>",
                datestamp: 1_700_000_000),
            at: 1)
        peer.set(items)
        try await peer.serve { url in
            peer.fault = .malformed(page: 2)
            let m = await h.harvester.harvest(url: url)
            #expect(m.error?.contains("malformed") == true)
            #expect(m.counts.added == 2)  // page 1 kept: r0, r1 (and the bad record skipped)

            peer.fault = .oaiError(page: 1, code: "badArgument")
            let o = await h.harvester.harvest(url: url)
            #expect(o.error?.contains("badArgument") == true)

            peer.fault = .padded(page: 2, bytes: 100 * 1024)
            let big = await h.harvester.harvest(url: url)
            #expect(big.error?.contains("larger than") == true)

            peer.fault = nil
            let ok = await h.harvester.harvest(url: url)
            #expect(ok.error == nil)
            #expect(ok.counts.rejected == 1)
            #expect(ok.rejections.first?.identifier == "ivo://peer.test/bad")
            let active = try h.count("SELECT count(*) FROM records WHERE status = 'active'")
            #expect(active == 8)

            // Nothing changed since: noRecordsMatch is a normal, empty harvest.
            let none = await h.harvester.harvest(url: url, from: 2_000_000_000)
            #expect(none.error == nil)
            #expect(none.counts.received == 0)
        }
        let check = try await h.store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(check == "ok")
    }

    @Test("a read timeout fails the harvest after the retries")
    func readTimeout() async throws {
        let h = try Harness {
            $0.readTimeout = 0.5
            $0.retries = 1
        }
        let peer = FakePeer()
        peer.pageSize = 2
        peer.set((0..<5).map { FakePeer.item(record("ivo://peer.test/r\($0)")) })
        peer.fault = .slow(page: 2, seconds: 3)
        try await peer.serve { url in
            let r = await h.harvester.harvest(url: url)
            #expect(r.error?.contains("network") == true)
            #expect(r.counts.added == 2)
        }
    }

    @Test("a refused connection fails after the retries and leaves the store alone")
    func refused() async throws {
        let h = try Harness { $0.retries = 1 }
        let r = await h.harvester.harvest(url: "http://127.0.0.1:9/oai")
        #expect(r.error != nil)
        let peer = try #require(try await h.harvester.peers.peer(url: "http://127.0.0.1:9/oai"))
        #expect(peer.lastError != nil)
        #expect(peer.lastSuccess == nil)
    }

    @Test("one harvest of a peer at a time")
    func lease() async throws {
        let h = try Harness()
        let peer = FakePeer()
        peer.pageSize = 2
        peer.set((0..<6).map { FakePeer.item(record("ivo://peer.test/r\($0)")) })
        peer.fault = .slow(page: 2, seconds: 1)
        try await peer.serve { url in
            let p = try await h.harvester.peers.add(url: url, set: nil).peer
            async let first = h.harvester.harvest(peer: p)
            try await Task.sleep(for: .milliseconds(300))
            let second = await h.harvester.harvest(peer: p)
            #expect(second.error?.contains("already running") == true)
            #expect(await first.error == nil)
            #expect(try await h.harvester.peers.peer(url: url)?.runningSince == nil)
        }
    }
}

func parsed(_ xml: String) throws -> ParsedRecord {
    guard case .resource(let r) = try RecordReader.read(data: Data(xml.utf8)).entries.first! else {
        throw XMLError("not a record")
    }
    return r
}
