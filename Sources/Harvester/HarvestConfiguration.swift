import Foundation

/// How the harvester behaves: schedule, incremental overlap, full re-harvests, network limits.
/// All durations are in seconds.
public struct HarvestConfiguration: Sendable, Equatable {
    /// Whether `voreg serve` runs the scheduler.
    public var enabled = true
    /// Time between two harvests of a peer (a peer may set its own).
    public var interval: Int64 = 12 * 3600
    /// Random spread of each next run, as a fraction of the interval (0.1 = ±10 %).
    public var jitter = 0.1
    /// An incremental harvest asks for `from` = start of the last successful harvest − overlap.
    public var overlap: Int64 = 86_400
    /// A full re-harvest (which reconciles deletions) runs when the last one is older than this.
    public var fullInterval: Int64 = 30 * 86_400
    /// After a failed harvest, the next try comes after min(interval, retryAfterFailure).
    public var retryAfterFailure: Int64 = 3600
    /// Peers harvested at the same time by the scheduler.
    public var concurrency = 2
    /// TCP connect timeout.
    public var connectTimeout = 10.0
    /// Longest wait for bytes from the peer.
    public var readTimeout = 60.0
    /// Longest single request (headers and the whole page).
    public var requestTimeout = 300.0
    /// Longest whole harvest of one peer.
    public var harvestTimeout = 6.0 * 3600
    /// Retries of a request after a network error or a 5xx answer.
    public var retries = 4
    /// First backoff delay; doubled on each retry, up to `maxBackoff`.
    public var backoff = 1.0
    /// Longest backoff (also the cap on a server's Retry-After).
    public var maxBackoff = 120.0
    /// Redirects followed per request.
    public var maxRedirects = 5
    /// Pages of one list before the harvest is declared endless.
    public var maxPages = 100_000
    /// Largest page accepted (after gzip decoding).
    public var maxPageBytes = 64 * 1024 * 1024
    /// The metadata format harvested.
    public var metadataPrefix = "ivo_vor"
    /// A Registry of Registries to rediscover peers from, and how often (nil: never).
    public var rofr: String?
    public var rediscoverInterval: Int64?
    /// How often the scheduler looks at the peers' next runs at most.
    public var tick = 30.0

    public init() {}

    /// Parses a duration: a number of seconds (`3600`) or a number with a unit
    /// (`90s`, `15m`, `12h`, `1d`, `2w`).
    /// - Returns: seconds, or nil when malformed or negative.
    public static func parseDuration(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = t.last else { return nil }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let (number, scale) = units[last].map { (String(t.dropLast()), $0) } ?? (t, 1)
        guard let v = Double(number.trimmingCharacters(in: .whitespaces)), v >= 0, v.isFinite else { return nil }
        return Int64((v * scale).rounded())
    }

    /// Formats seconds as the largest whole unit (`43200` → `12h`).
    public static func formatDuration(_ s: Int64) -> String {
        for (unit, n) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3600), ("m", 60)] where s >= n && s % n == 0 {
            return "\(s / n)\(unit)"
        }
        return "\(s)s"
    }
}
