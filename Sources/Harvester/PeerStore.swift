import Foundation
import GRDB
import RegistryStore

/// Peers and their harvest state, kept in the store (`harvest_peers`, `harvest_authorities`).
public struct PeerStore: Sendable {
    public let store: RegistryStore

    public init(store: RegistryStore) {
        self.store = store
    }

    static let select = """
        SELECT p.*,
          (SELECT count(*) FROM records AS r WHERE r.origin = p.url AND r.status != 'deleted') AS held,
          (SELECT group_concat(authority, ' ') FROM harvest_authorities AS a WHERE a.peer_id = p.id) AS auths
        FROM harvest_peers AS p
        """

    static func peer(_ row: Row) -> Peer {
        func counts(_ prefix: String) -> HarvestCounts {
            var c = HarvestCounts()
            if prefix == "last" { c.pages = row["last_pages"] }
            c.added = row["\(prefix)_added"]
            c.updated = row["\(prefix)_updated"]
            if prefix == "last" { c.unchanged = row["last_unchanged"] }
            c.deleted = row["\(prefix)_deleted"]
            c.rejected = row["\(prefix)_rejected"]
            c.conflicts = row["\(prefix)_conflicts"]
            return c
        }
        let auths: String? = row["auths"]
        return Peer(
            id: row["id"], url: row["url"], set: row["set_spec"], interval: row["interval_seconds"],
            scheduled: row["scheduled"], added: row["added"], discoveredFrom: row["discovered_from"],
            registryIvoid: row["registry_ivoid"], runningSince: row["running_since"], lastStart: row["last_start"],
            lastEnd: row["last_end"], lastMode: row["last_mode"], lastSuccess: row["last_success"],
            lastFullSuccess: row["last_full_success"], lastError: row["last_error"],
            lastErrorTime: row["last_error_time"], lastDuration: row["last_duration"], last: counts("last"),
            totals: counts("total"), harvests: row["harvests"], failures: row["failures"], nextRun: row["next_run"],
            stagedFullStart: row["staged_full_start"], recordsHeld: row["held"],
            managedAuthorities: (auths ?? "").split(separator: " ").map(String.init).sorted())
    }

    /// Every peer, by URL.
    public func list() async throws -> [Peer] {
        try await store.pool.read { db in
            try Row.fetchAll(db, sql: Self.select + " ORDER BY p.url").map(Self.peer)
        }
    }

    /// The peer with this URL.
    public func peer(url: String) async throws -> Peer? {
        try await store.pool.read { db in
            try Row.fetchOne(db, sql: Self.select + " WHERE p.url = ?", arguments: [url]).map(Self.peer)
        }
    }

    /// Adds a peer, or updates the one with this URL (set, interval, scheduling; a peer once
    /// scheduled stays scheduled).
    /// - Returns: the peer and whether it was new.
    @discardableResult
    public func add(
        url: String, set: String?, interval: Int64? = nil, scheduled: Bool = true, discoveredFrom: String? = nil,
        registryIvoid: String? = nil
    ) async throws -> (peer: Peer, added: Bool) {
        let now = RegistryStore.now()
        let isNew = try await store.pool.write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM harvest_peers WHERE url = ?", arguments: [url]) ?? false
            if exists {
                try db.execute(
                    sql: """
                        UPDATE harvest_peers SET set_spec = ?, interval_seconds = coalesce(?, interval_seconds),
                          scheduled = max(scheduled, ?), discovered_from = coalesce(discovered_from, ?),
                          registry_ivoid = coalesce(?, registry_ivoid)
                        WHERE url = ?
                        """, arguments: [set, interval, scheduled, discoveredFrom, registryIvoid, url])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO harvest_peers (url, set_spec, interval_seconds, scheduled, added, discovered_from,
                                                   registry_ivoid)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [url, set, interval, scheduled, now, discoveredFrom, registryIvoid])
            }
            return !exists
        }
        guard let p = try await peer(url: url) else { throw HarvestError.store("peer \(url) vanished") }
        return (p, isNew)
    }

    /// Removes a peer and its harvest state. With `purge`, its records are tombstoned too
    /// (otherwise they stay, as records of a registry no longer harvested).
    /// - Returns: whether the peer existed, and the records tombstoned.
    public func remove(url: String, purge: Bool) async throws -> (existed: Bool, tombstoned: Int) {
        guard let p = try await peer(url: url) else { return (false, 0) }
        var tombstoned = 0
        if purge {
            try await store.clearStagedHarvest(peerID: p.id)
            tombstoned = try await store.applyFullHarvest(peerID: p.id, origin: p.url)
        }
        try await store.pool.write { db in
            try db.execute(sql: "DELETE FROM harvest_peers WHERE id = ?", arguments: [p.id])
        }
        return (true, tombstoned)
    }

    /// Takes the peer's harvest lease: fails when a live harvest holds it. A lease held by a
    /// process that is gone, or older than `staleAfter` seconds, is taken over.
    ///
    /// A lease records the holder's pid, and pids are reused: a `voreg serve` that is PID 1 in
    /// its container gets PID 1 again when the container restarts after a crash, and after a
    /// reboot an unrelated process may have the old pid. So a lease carrying this process's pid
    /// is live only when this process took it (`heldHere`), and one carrying another live pid
    /// only when that process started before the lease was taken (Linux: `/proc`).
    /// A harvest that took over the lease of one that never ended (its process was killed or
    /// crashed) records that one as failed ("interrupted"), so `last_error`, `failures` and the
    /// metrics show it.
    /// - Returns: true when this process now holds the lease.
    public func acquire(peerID: Int64, now: Int64, staleAfter: Int64) async throws -> Bool {
        try await takeLease(peerID: peerID, now: now, staleAfter: staleAfter).acquired
    }

    /// A lease taken (or not), and the harvest it replaced when that one never ended.
    public struct Lease: Sendable, Equatable {
        public var acquired: Bool
        /// The interrupted harvest: its process and start.
        public var interrupted: (pid: Int64, since: Int64)?

        public static func == (a: Lease, b: Lease) -> Bool {
            a.acquired == b.acquired && a.interrupted?.pid == b.interrupted?.pid
                && a.interrupted?.since == b.interrupted?.since
        }
    }

    /// `acquire`, telling which harvest the lease was taken from.
    public func takeLease(peerID: Int64, now: Int64, staleAfter: Int64) async throws -> Lease {
        let me = Int64(getpid())
        let key = leaseKey(peerID)
        return try await store.pool.write { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT running_since, running_pid FROM harvest_peers WHERE id = ?", arguments: [peerID])
            else { return Lease(acquired: false) }
            let since: Int64? = row["running_since"]
            let pid: Int64? = row["running_pid"]
            if let since, let pid, now - since < staleAfter,
                pid == me ? Self.heldHere.contains(key) : Self.holds(pid: pid, since: since)
            {
                return Lease(acquired: false)
            }
            var lease = Lease(acquired: true)
            if let since, let pid {
                lease.interrupted = (pid, since)
                try db.execute(
                    sql: """
                        UPDATE harvest_peers SET last_error = ?, last_error_time = ?, harvests = harvests + 1,
                          failures = failures + 1
                        WHERE id = ?
                        """,
                    arguments: [
                        "interrupted: the harvest started at \(Self.isoDate(since)) by process \(pid) never ended",
                        now, peerID,
                    ])
            }
            try db.execute(
                sql: "UPDATE harvest_peers SET running_since = ?, running_pid = ? WHERE id = ?",
                arguments: [now, me, peerID])
            Self.heldHere.insert(key)
            return lease
        }
    }

    static func isoDate(_ seconds: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The leases this process holds (store path and peer id).
    static let heldHere = LeaseSet()

    func leaseKey(_ peerID: Int64) -> String { "\(peerID) \(store.path)" }

    static func alive(_ pid: Int64) -> Bool {
        guard pid > 0, pid <= Int64(Int32.max) else { return false }
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }

    /// Whether process `pid`, which took a lease at `since`, can still be its holder: it is
    /// alive, and did not start after the lease was taken (a process started later has only
    /// reused the pid). Where the start time is unknown, being alive is enough.
    static func holds(pid: Int64, since: Int64) -> Bool {
        guard alive(pid) else { return false }
        guard let started = startTime(of: pid) else { return true }
        return started <= Double(since) + 2  // /proc/stat's btime is whole seconds
    }

    /// When a process started (seconds since 1970), from `/proc/<pid>/stat` and `/proc/stat`;
    /// nil where there is no /proc.
    static func startTime(of pid: Int64) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after "(comm)": state is field 3, starttime field 22 (clock ticks after boot).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        guard let boot = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = boot.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
            let btime = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        else { return nil }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return btime + ticks / (hz > 0 ? hz : 100)
    }

    /// Gives the lease back (only if this process holds it: a lease taken over meanwhile,
    /// after `staleAfter`, stays with its new holder).
    public func release(peerID: Int64) async throws {
        let key = leaseKey(peerID)
        try await store.pool.write { db in
            try db.execute(
                sql: "UPDATE harvest_peers SET running_since = NULL, running_pid = NULL WHERE id = ? AND running_pid = ?",
                arguments: [peerID, Int64(getpid())])
            Self.heldHere.remove(key)
        }
    }

    /// Notes the start of a harvest (and, for a full one, the start of its staging). An
    /// incremental harvest drops what an interrupted full harvest had staged (a full harvest
    /// starts its staging afresh anyway).
    public func recordStart(peerID: Int64, start: Int64, full: Bool) async throws {
        try await store.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE harvest_peers SET last_start = ?, last_mode = ?,
                      staged_full_start = CASE WHEN ? THEN ? ELSE NULL END
                    WHERE id = ?
                    """, arguments: [start, full ? "full" : "incremental", full, start, peerID])
            if !full {
                try db.execute(sql: "DELETE FROM harvest_staged WHERE peer_id = ?", arguments: [peerID])
            }
        }
    }

    /// Notes the end of a harvest: success moves `last_success` (and `last_full_success`),
    /// failure records the error; both keep the counts and schedule the next run.
    public func recordEnd(
        peerID: Int64, start: Int64, end: Int64, full: Bool, counts: HarvestCounts, error: String?, nextRun: Int64?
    ) async throws {
        try await store.pool.write { db in
            let ok = error == nil
            try db.execute(
                sql: """
                    UPDATE harvest_peers SET
                      last_end = ?, last_duration = ?,
                      last_success = CASE WHEN ? THEN ? ELSE last_success END,
                      last_full_success = CASE WHEN ? AND ? THEN ? ELSE last_full_success END,
                      staged_full_start = CASE WHEN ? THEN NULL ELSE staged_full_start END,
                      last_error = CASE WHEN ? THEN last_error ELSE ? END,
                      last_error_time = CASE WHEN ? THEN last_error_time ELSE ? END,
                      last_pages = ?, last_added = ?, last_updated = ?, last_unchanged = ?, last_deleted = ?,
                      last_rejected = ?, last_conflicts = ?,
                      total_added = total_added + ?, total_updated = total_updated + ?,
                      total_deleted = total_deleted + ?, total_rejected = total_rejected + ?,
                      total_conflicts = total_conflicts + ?,
                      harvests = harvests + 1, failures = failures + ?,
                      next_run = ?
                    WHERE id = ?
                    """,
                arguments: [
                    end, Double(end - start),
                    ok, start,
                    ok, full, start,
                    full,
                    ok, error, ok, end,
                    counts.pages, counts.added, counts.updated, counts.unchanged, counts.deleted,
                    counts.rejected, counts.conflicts,
                    counts.added, counts.updated, counts.deleted, counts.rejected, counts.conflicts,
                    ok ? 0 : 1, nextRun, peerID,
                ])
        }
    }

    /// Sets the last duration precisely (sub-second).
    public func setDuration(peerID: Int64, seconds: Double) async throws {
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE harvest_peers SET last_duration = ? WHERE id = ?", arguments: [seconds, peerID])
        }
    }

    /// Sets when the scheduler harvests the peer next.
    public func setNextRun(peerID: Int64, _ next: Int64?) async throws {
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE harvest_peers SET next_run = ? WHERE id = ?", arguments: [next, peerID])
        }
    }

    /// Records the peer registry's identifier and the authorities it manages. An authority
    /// another peer already claims stays with that peer.
    /// - Returns: the authorities claimed by another peer (conflicts).
    @discardableResult
    public func claimAuthorities(peerID: Int64, registryIvoid: String?, authorities: [String]) async throws
        -> [(authority: String, heldBy: String)]
    {
        let wanted = Set(authorities.map { RegistryStore.authority(of: "ivo://" + Self.stripIVO($0)) }.filter {
            !$0.isEmpty
        })
        let now = RegistryStore.now()
        let conflicts = try await store.pool.write { db -> [[String]] in
            if let registryIvoid {
                try db.execute(
                    sql: "UPDATE harvest_peers SET registry_ivoid = ? WHERE id = ?", arguments: [registryIvoid, peerID])
            }
            let mine = Set(
                try String.fetchAll(
                    db, sql: "SELECT authority FROM harvest_authorities WHERE peer_id = ?", arguments: [peerID]))
            for a in mine.subtracting(wanted) {
                try db.execute(
                    sql: "DELETE FROM harvest_authorities WHERE authority = ? AND peer_id = ?", arguments: [a, peerID])
            }
            var out: [[String]] = []
            for a in wanted.sorted() where !mine.contains(a) {
                if let other = try String.fetchOne(
                    db,
                    sql: """
                        SELECT p.url FROM harvest_authorities AS a JOIN harvest_peers AS p ON p.id = a.peer_id
                        WHERE a.authority = ?
                        """, arguments: [a])
                {
                    out.append([a, other])
                } else {
                    try db.execute(
                        sql: "INSERT INTO harvest_authorities (authority, peer_id, claimed) VALUES (?, ?, ?)",
                        arguments: [a, peerID, now])
                }
            }
            return out
        }
        return conflicts.map { ($0[0], $0[1]) }
    }

    static func stripIVO(_ s: String) -> String {
        s.lowercased().hasPrefix("ivo://") ? String(s.dropFirst(6)) : s
    }
}

/// A set of strings shared across threads.
final class LeaseSet: @unchecked Sendable {
    private let lock = NSLock()
    private var keys = Set<String>()

    func insert(_ k: String) { lock.withLock { _ = keys.insert(k) } }
    func remove(_ k: String) { lock.withLock { _ = keys.remove(k) } }
    func contains(_ k: String) -> Bool { lock.withLock { keys.contains(k) } }
}
