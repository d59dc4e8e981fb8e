import Foundation
import GRDB
import Harvester
import Logging
import RegistryStore
import ServiceLifecycle
import Testing

/// What a harvest killed mid-way (SIGKILL, a crash, a power cut) leaves, and how the next
/// process gets over it: the dead harvest's lease, its staging, its schedule.
@Suite("Recovering from a killed harvest")
struct CrashRecoveryTests {
    /// Leaves the peer as a process killed mid-harvest leaves it: holding the lease.
    func leaveLease(_ h: Harness, peerID: Int64, pid: Int64, since: Int64) async throws {
        try await h.store.pool.write { db in
            try db.execute(
                sql: "UPDATE harvest_peers SET running_since = ?, running_pid = ? WHERE id = ?",
                arguments: [since, pid, peerID])
        }
    }

    @Test("a lease carrying this process's pid, left by an earlier process (PID 1 in a restarted container), is taken over")
    func ownPidFromAnEarlierProcess() async throws {
        let h = try Harness()
        let p = try await h.harvester.peers.add(url: "http://127.0.0.1:9/oai", set: nil).peer
        let now = RegistryStore.now()
        try await leaveLease(h, peerID: p.id, pid: Int64(getpid()), since: now - 5)
        let peers = h.harvester.peers
        let lease = try await peers.takeLease(peerID: p.id, now: now, staleAfter: 3600)
        #expect(lease.acquired)
        #expect(lease.interrupted?.since == now - 5)
        // Now this process holds it: a second harvest in this process is refused.
        #expect(try await peers.acquire(peerID: p.id, now: now, staleAfter: 3600) == false)
        try await peers.release(peerID: p.id)
        #expect(try await peers.acquire(peerID: p.id, now: now, staleAfter: 3600))
        try await peers.release(peerID: p.id)
        // The interrupted harvest counts as a failed one.
        let after = try #require(try await peers.peer(url: p.url))
        #expect(after.lastError?.hasPrefix("interrupted") == true)
        #expect(after.failures == 1 && after.harvests == 1)
        #expect(after.runningSince == nil)
    }

    @Test("a lease of a pid now used by a process started after the lease was taken is taken over")
    func reusedPid() async throws {
        let h = try Harness()
        let p = try await h.harvester.peers.add(url: "http://127.0.0.1:9/oai", set: nil).peer
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["30"]
        try child.run()
        defer { child.terminate() }
        let pid = Int64(child.processIdentifier)
        let now = RegistryStore.now()
        let peers = h.harvester.peers
        // Taken before the child started: the child only reuses the pid.
        try await leaveLease(h, peerID: p.id, pid: pid, since: now - 600)
        #expect(try await peers.acquire(peerID: p.id, now: now, staleAfter: 3600))
        try await peers.release(peerID: p.id)
        // Taken after the child started: the child may be the holder (another voreg).
        try await leaveLease(h, peerID: p.id, pid: pid, since: now + 5)
        #expect(try await peers.acquire(peerID: p.id, now: now + 6, staleAfter: 3600) == false)
        // A dead process holds nothing.
        child.terminate()
        child.waitUntilExit()
        #expect(try await peers.acquire(peerID: p.id, now: now + 6, staleAfter: 3600))
    }

    @Test("a harvest killed mid-way is run again as soon as the scheduler starts, and completes")
    func rerunAtStart() async throws {
        let h = try Harness { $0.tick = 0.1 }
        let peer = FakePeer()
        peer.pageSize = 2
        peer.set((0..<6).map { FakePeer.item(record("ivo://killed.test/r\($0)")) })
        try await peer.serve { url in
            // A first harvest that completed; then the next one, due now, was killed: its process
            // is gone and its lease is still in the store.
            let p = try await h.harvester.peers.add(url: url, set: nil).peer
            let first = await h.harvester.harvest(peer: p)
            #expect(first.error == nil)
            let dead = Process()
            dead.executableURL = URL(fileURLWithPath: "/bin/true")
            try dead.run()
            dead.waitUntilExit()
            let now = RegistryStore.now()
            try await leaveLease(h, peerID: p.id, pid: Int64(dead.processIdentifier), since: now)
            try await h.harvester.peers.setNextRun(peerID: p.id, now)
            let scheduler = HarvestScheduler(harvester: h.harvester)
            var logger = Logger(label: "group")
            logger.logLevel = .critical
            let group = ServiceGroup(services: [scheduler], logger: logger)
            let task = Task { try await group.run() }
            var done = false
            for _ in 0..<50 where !done {
                try await Task.sleep(for: .milliseconds(100))
                done = try await h.harvester.peers.peer(url: url)?.harvests == 3
            }
            await group.triggerGracefulShutdown()
            try await task.value
            let after = try #require(try await h.harvester.peers.peer(url: url))
            #expect(after.harvests == 3)  // the first, the interrupted one, the rerun
            #expect(after.lastSuccess! >= now)
            #expect(after.recordsHeld == 6)
            #expect(after.runningSince == nil)
            #expect(after.lastError?.hasPrefix("interrupted") == true)
        }
    }

    @Test("an incremental harvest after an interrupted full one drops its staging")
    func staleStaging() async throws {
        let h = try Harness()
        let peer = FakePeer()
        peer.set((0..<3).map { FakePeer.item(record("ivo://staged.test/r\($0)")) })
        try await peer.serve { url in
            let p = try await h.harvester.peers.add(url: url, set: nil).peer
            #expect(await h.harvester.harvest(peer: p, mode: .full).error == nil)
            // A full harvest interrupted after staging what it had received.
            try await h.store.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO harvest_staged (peer_id, ivoid) VALUES (?, 'ivo://staged.test/r0')",
                    arguments: [p.id])
                try db.execute(sql: "UPDATE harvest_peers SET staged_full_start = 1 WHERE id = ?", arguments: [p.id])
            }
            let again = try #require(try await h.harvester.peers.peer(url: url))
            #expect(await h.harvester.harvest(peer: again, mode: .incremental).error == nil)
            #expect(try h.count("SELECT count(*) FROM harvest_staged") == 0)
            #expect(try await h.harvester.peers.peer(url: url)?.stagedFullStart == nil)
        }
    }
}

@Suite("Scheduling a peer another process is harvesting")
struct BusyPeerTests {
    @Test("a peer whose lease another live process holds is looked at again after a tick, not in a busy loop")
    func noBusyLoop() async throws {
        let h = try Harness { $0.tick = 0.1 }
        let p = try await h.harvester.peers.add(url: "http://127.0.0.1:9/oai", set: nil).peer
        // Another process (standing in for `voreg harvest`) holds the lease, taken after it started.
        let other = Process()
        other.executableURL = URL(fileURLWithPath: "/bin/sleep")
        other.arguments = ["30"]
        try other.run()
        defer { other.terminate() }
        let now = RegistryStore.now()
        try await h.store.pool.write { db in
            try db.execute(
                sql: "UPDATE harvest_peers SET running_since = ?, running_pid = ? WHERE id = ?",
                arguments: [now + 2, Int64(other.processIdentifier), p.id])
        }
        let scheduler = HarvestScheduler(harvester: h.harvester)
        let task = Task { try await scheduler.run() }
        try await Task.sleep(for: .milliseconds(1500))
        task.cancel()
        _ = try? await task.value
        // One try at the start, one a second later: not hundreds.
        #expect(scheduler.harvestsStarted >= 1)
        #expect(scheduler.harvestsStarted <= 3)
        let after = try #require(try await h.harvester.peers.peer(url: p.url))
        #expect(after.runningSince == now + 2)  // still the other process's lease
    }
}
