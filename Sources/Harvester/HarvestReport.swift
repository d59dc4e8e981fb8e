import Foundation

/// Which kind of harvest to run.
public enum HarvestMode: String, Sendable, Codable {
    /// Full when the peer has never been harvested or its last full harvest is older than
    /// the full interval; incremental otherwise.
    case auto
    /// From the last success minus the overlap (or a given date).
    case incremental
    /// Everything, staged, then reconciled: the peer's records it no longer sends are deleted.
    case full
}

/// Where a harvest is, for progress lines.
public struct HarvestProgress: Sendable {
    public var pages: Int
    public var records: Int
    public var seconds: Double
    /// Records per second so far.
    public var rate: Double { seconds > 0 ? Double(records) / seconds : 0 }
}

/// What one harvest of one peer did.
public struct HarvestReport: Sendable, Codable {
    /// A record the harvest skipped, with the reason.
    public struct Skipped: Sendable, Codable, Equatable {
        public var identifier: String?
        public var reason: String
    }

    public var peer: String
    /// `full` or `incremental`.
    public var mode: String
    /// The `from` argument sent, if any.
    public var from: String?
    public var set: String?
    /// Start, seconds since 1970 UTC.
    public var start: Int64
    public var seconds: Double
    public var counts: HarvestCounts
    /// Records of the peer a completed full harvest no longer received, now deleted.
    public var tombstoned: Int
    /// Records that did not parse or that the store refused (the first 1,000).
    public var rejections: [Skipped]
    /// Records refused by the authority rules (the first 1,000).
    public var conflicts: [Skipped]
    /// Why the harvest failed; nil when it succeeded.
    public var error: String?

    public var succeeded: Bool { error == nil }
    public var recordsPerSecond: Double { seconds > 0 ? Double(counts.received) / seconds : 0 }

    /// One line for people.
    public var line: String {
        let c = counts
        var s =
            "\(mode) harvest of \(peer): \(c.pages) pages, \(c.received) records (added \(c.added), updated \(c.updated), "
            + "unchanged \(c.unchanged), deleted \(c.deleted), rejected \(c.rejected), conflicts \(c.conflicts))"
        if tombstoned > 0 { s += ", \(tombstoned) no longer sent (deleted)" }
        s += String(format: " in %.2f s (%.0f records/s)", seconds, recordsPerSecond)
        if let error { s += "; FAILED: \(error)" }
        return s
    }

    enum CodingKeys: String, CodingKey {
        case peer, mode, from, set, start, seconds, counts, tombstoned, rejections, conflicts, error, succeeded
        case recordsPerSecond = "records_per_second"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(peer, forKey: .peer)
        try c.encode(mode, forKey: .mode)
        try c.encodeIfPresent(from, forKey: .from)
        try c.encodeIfPresent(set, forKey: .set)
        try c.encode(start, forKey: .start)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(counts, forKey: .counts)
        try c.encode(tombstoned, forKey: .tombstoned)
        try c.encode(rejections, forKey: .rejections)
        try c.encode(conflicts, forKey: .conflicts)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encode(succeeded, forKey: .succeeded)
        try c.encode((recordsPerSecond * 10).rounded() / 10, forKey: .recordsPerSecond)
    }

    public init(
        peer: String, mode: String, from: String?, set: String?, start: Int64, seconds: Double,
        counts: HarvestCounts, tombstoned: Int, rejections: [Skipped], conflicts: [Skipped], error: String?
    ) {
        self.peer = peer
        self.mode = mode
        self.from = from
        self.set = set
        self.start = start
        self.seconds = seconds
        self.counts = counts
        self.tombstoned = tombstoned
        self.rejections = rejections
        self.conflicts = conflicts
        self.error = error
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        peer = try c.decode(String.self, forKey: .peer)
        mode = try c.decode(String.self, forKey: .mode)
        from = try c.decodeIfPresent(String.self, forKey: .from)
        set = try c.decodeIfPresent(String.self, forKey: .set)
        start = try c.decode(Int64.self, forKey: .start)
        seconds = try c.decode(Double.self, forKey: .seconds)
        counts = try c.decode(HarvestCounts.self, forKey: .counts)
        tombstoned = try c.decode(Int.self, forKey: .tombstoned)
        rejections = try c.decode([Skipped].self, forKey: .rejections)
        conflicts = try c.decode([Skipped].self, forKey: .conflicts)
        error = try c.decodeIfPresent(String.self, forKey: .error)
    }
}
