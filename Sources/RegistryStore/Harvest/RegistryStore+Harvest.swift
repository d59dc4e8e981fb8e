import Foundation
import GRDB

/// How records harvested from one peer are let into the store.
public struct HarvestPolicy: Sendable {
    /// The origin the peer's records carry (the peer's OAI-PMH URL).
    public var origin: String
    /// The peer's row in `harvest_peers`.
    public var peerID: Int64
    /// Authorities this registry manages itself (lower-cased, no `ivo://`): harvested records
    /// of these are never let in.
    public var protectedAuthorities: Set<String>
    /// Whether a full harvest is being staged (received identifiers are remembered).
    public var stage: Bool

    public init(origin: String, peerID: Int64, protectedAuthorities: Set<String>, stage: Bool) {
        self.origin = origin
        self.peerID = peerID
        self.protectedAuthorities = protectedAuthorities
        self.stage = stage
    }
}

/// What ingesting a harvested item did.
public enum HarvestOutcome: Sendable, Equatable {
    /// A record new to the store (or back after a tombstone).
    case added
    /// A record that replaced a different version.
    case updated
    /// The same record as stored.
    case unchanged
    /// A tombstone written (deleted header or a record with status="deleted").
    case deleted
    /// A deleted header for a record this peer did not give us: nothing to do.
    case ignored
    /// Refused by the authority rules, with the reason.
    case conflict(String)
    /// The store refused the record, with the reason.
    case rejected(String)
}

extension RegistryStore {
    /// The authority of an IVOA identifier, lower-cased (`ivo://Auth.Org/x` → `auth.org`).
    public static func authority(of ivoid: String) -> String {
        var s = Substring(ivoid)
        if s.lowercased().hasPrefix("ivo://") { s = s.dropFirst(6) }
        return s.prefix { $0 != "/" && $0 != "?" && $0 != "#" }.lowercased()
    }

    /// Authorities this registry manages, as the store knows them: the local vg:Authority
    /// records (lower-cased, without `ivo://`).
    public func localAuthorities() async throws -> Set<String> {
        let ids = try await pool.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT ivoid FROM records WHERE origin = 'local' AND res_type = 'vg:authority' AND status != 'deleted'"
            )
        }
        return Set(ids.map { Self.authority(of: $0) })
    }

    /// Ingests one harvested page in one write transaction (a savepoint per item), applying
    /// the authority rules:
    /// - a record of an authority this registry manages, or one that would replace a local
    ///   record, is refused;
    /// - a record whose authority is managed by another peer's registry does not replace the
    ///   copy that registry gave us;
    /// - a deleted header tombstones a record only if it came from this peer.
    /// - Parameters:
    ///   - items: the page's records and deleted headers.
    ///   - seen: further identifiers the peer sent (records that did not parse), for staging.
    ///   - policy: the peer and its rules.
    ///   - datestamp: the OAI datestamp of changed records.
    /// - Returns: one outcome per item, in order.
    public func ingestHarvested(
        _ items: [IngestItem], seen: [String] = [], policy: HarvestPolicy, datestamp: Int64 = RegistryStore.now()
    ) async throws -> [HarvestOutcome] {
        try await pool.write { db in
            if items.count > 100 { try db.execute(sql: "PRAGMA cache_size = -131072") }
            let writer = try RecordWriter(db: db)
            let lookup = try db.cachedStatement(sql: "SELECT origin, status FROM records WHERE ivoid = ?")
            let manager = try db.cachedStatement(
                sql: """
                    SELECT p.url FROM harvest_authorities AS a JOIN harvest_peers AS p ON p.id = a.peer_id
                    WHERE a.authority = ?
                    """)
            let stage = try db.cachedStatement(sql: "INSERT OR IGNORE INTO harvest_staged (peer_id, ivoid) VALUES (?, ?)")
            var managers: [String: String?] = [:]
            func managerOf(_ authority: String) throws -> String? {
                if let m = managers[authority] { return m }
                let m = try String.fetchOne(manager, arguments: [authority])
                managers[authority] = m
                return m
            }
            var outcomes: [HarvestOutcome] = []
            outcomes.reserveCapacity(items.count)
            for item in items {
                let identifier: String
                switch item {
                case .record(let r): identifier = r.identifier
                case .deleted(let id, _): identifier = id
                }
                let key = identifier.lowercased()
                if policy.stage { try stage.execute(arguments: [policy.peerID, key]) }
                let old = try Row.fetchOne(lookup, arguments: [key])
                let oldOrigin: String? = old?["origin"]
                let oldStatus: String? = old?["status"]
                var outcome: HarvestOutcome
                switch item {
                case .deleted:
                    guard oldOrigin == policy.origin, oldStatus != "deleted" else {
                        outcomes.append(.ignored)
                        continue
                    }
                    outcome = .deleted
                case .record:
                    let authority = Self.authority(of: identifier)
                    if policy.protectedAuthorities.contains(authority) {
                        outcomes.append(.conflict("authority \(authority) is managed by this registry"))
                        continue
                    }
                    if oldOrigin == "local" {
                        outcomes.append(.conflict("a local record has this identifier"))
                        continue
                    }
                    if let m = try managerOf(authority), m != policy.origin, oldOrigin == m {
                        outcomes.append(.conflict("authority \(authority) is managed by the registry at \(m)"))
                        continue
                    }
                    outcome = (old == nil || oldStatus == "deleted") ? .added : .updated
                }
                do {
                    var result = IngestOutcome.unchanged
                    try db.inSavepoint {
                        result = try writer.apply(item, datestamp: datestamp)
                        return .commit
                    }
                    switch result {
                    case .unchanged: outcome = .unchanged
                    case .deleted: outcome = .deleted
                    case .rejected(let why): outcome = .rejected(why)
                    case .stored: break
                    }
                } catch {
                    outcome = .rejected("store error: \(error)")
                }
                outcomes.append(outcome)
            }
            if policy.stage {
                for id in seen { try stage.execute(arguments: [policy.peerID, id.lowercased()]) }
            }
            return outcomes
        }
    }

    /// Ends a staged full harvest that completed: every record of the peer it did not send is
    /// tombstoned, and the staging is emptied, in one transaction.
    /// - Returns: the number of records tombstoned.
    public func applyFullHarvest(peerID: Int64, origin: String, datestamp: Int64 = RegistryStore.now()) async throws
        -> Int
    {
        try await pool.write { db in
            let gone = try String.fetchAll(
                db,
                sql: """
                    SELECT identifier FROM records
                    WHERE origin = ? AND status != 'deleted'
                      AND ivoid NOT IN (SELECT ivoid FROM harvest_staged WHERE peer_id = ?)
                    """, arguments: [origin, peerID])
            let writer = try RecordWriter(db: db)
            var n = 0
            for id in gone {
                if try writer.apply(.deleted(identifier: id, origin: .harvested(origin)), datestamp: datestamp)
                    == .deleted
                {
                    n += 1
                }
            }
            try db.execute(sql: "DELETE FROM harvest_staged WHERE peer_id = ?", arguments: [peerID])
            return n
        }
    }

    /// Forgets what a staged full harvest of a peer has seen (at its start, or when it failed).
    public func clearStagedHarvest(peerID: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM harvest_staged WHERE peer_id = ?", arguments: [peerID])
        }
    }
}

/// A stored record's change-detection key: what decides whether a newly received version is
/// the same record.
public struct StoredVersion: Sendable, Equatable {
    public var contentHash: String?
    public var status: String
    public var origin: String
    public var visibility: String
}

extension RegistryStore {
    /// The content hash the store gives a record's XML (for change detection before ingest).
    public static func contentHash(of xml: String) -> String { ContentHash.of(xml) }

    /// The stored versions of these identifiers (keyed by lower-cased identifier).
    public func storedVersions(of identifiers: [String]) async throws -> [String: StoredVersion] {
        let keys = identifiers.map { $0.lowercased() }
        return try await pool.read { db in
            var out: [String: StoredVersion] = [:]
            let stmt = try db.cachedStatement(
                sql: "SELECT content_hash, status, origin, visibility FROM records WHERE ivoid = ?")
            for k in keys {
                if let row = try Row.fetchOne(stmt, arguments: [k]) {
                    out[k] = StoredVersion(
                        contentHash: row["content_hash"], status: row["status"], origin: row["origin"],
                        visibility: row["visibility"])
                }
            }
            return out
        }
    }
}

extension RegistryStore {
    /// Starts a bulk load (a first harvest into an empty store): drops the query-only indexes,
    /// as `withDeferredIndexes` does for imports. Queries are slow until `endBulkLoad`; a
    /// crash in between is repaired when the store is next opened.
    public func beginBulkLoad() async throws {
        try await pool.write { db in
            for t in RRTable.allCases {
                for i in t.indexes where i.deferrable { try db.execute(sql: "DROP INDEX IF EXISTS \(i.name)") }
            }
        }
    }

    /// Ends a bulk load: rebuilds the indexes `beginBulkLoad` dropped.
    public func endBulkLoad() async throws {
        try await pool.write { db in try Self.finishBulkLoad(db) }
    }
}
