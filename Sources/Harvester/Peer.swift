import Foundation

/// Counts of one harvest, or summed over a peer's harvests.
public struct HarvestCounts: Sendable, Codable, Equatable {
    public var pages = 0
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var deleted = 0
    public var rejected = 0
    public var conflicts = 0

    public init() {}

    /// Records received (every record and deleted header on the pages).
    public var received: Int { added + updated + unchanged + deleted + rejected + conflicts }
}

/// A peer registry: an OAI-PMH endpoint this registry harvests, with its harvest state.
public struct Peer: Sendable, Codable, Equatable {
    public var id: Int64
    /// The OAI-PMH base URL; also the origin of the records harvested from it.
    public var url: String
    /// The set harvested (`ivo_managed` for discovered publishing registries), nil for all.
    public var set: String?
    /// The peer's own interval in seconds (nil: the configured one).
    public var interval: Int64?
    /// Harvested by the scheduler (false: only by `voreg harvest`).
    public var scheduled: Bool
    /// When it was added (seconds since 1970).
    public var added: Int64
    /// The Registry of Registries it was discovered from.
    public var discoveredFrom: String?
    /// The peer registry's IVOA identifier (from its Identify response).
    public var registryIvoid: String?
    /// The start of the harvest running now.
    public var runningSince: Int64?
    public var lastStart: Int64?
    public var lastEnd: Int64?
    /// `full` or `incremental`.
    public var lastMode: String?
    /// The start of the last successful harvest (incremental harvests count from it).
    public var lastSuccess: Int64?
    /// The start of the last successful full harvest.
    public var lastFullSuccess: Int64?
    public var lastError: String?
    public var lastErrorTime: Int64?
    /// Seconds the last harvest took.
    public var lastDuration: Double?
    /// The counts of the last harvest.
    public var last: HarvestCounts
    /// The counts summed over all harvests.
    public var totals: HarvestCounts
    public var harvests: Int
    public var failures: Int
    /// When the scheduler harvests it next (nil: as soon as it can).
    public var nextRun: Int64?
    /// The start of the full harvest being staged (nil: none).
    public var stagedFullStart: Int64?
    /// Records of this peer in the store (not deleted).
    public var recordsHeld: Int
    /// Authorities its registry manages (as far as this registry knows).
    public var managedAuthorities: [String]
}
