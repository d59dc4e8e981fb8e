import Foundation

/// The harvester's state, as `GET /api/harvest/status` returns it.
public struct HarvestStatus: Sendable, Codable {
    /// Whether the scheduler runs.
    public var enabled: Bool
    /// The configured interval, overlap and full-harvest interval (`12h`, `1d`, `30d`).
    public var interval: String
    public var overlap: String
    public var fullInterval: String
    /// Peers being harvested now.
    public var running: [String]
    public var peers: [Peer]

    /// The status of a harvester.
    public static func of(_ harvester: PeerHarvester, scheduler: HarvestScheduler?) async throws -> HarvestStatus {
        let c = harvester.configuration
        return HarvestStatus(
            enabled: scheduler != nil, interval: HarvestConfiguration.formatDuration(c.interval),
            overlap: HarvestConfiguration.formatDuration(c.overlap),
            fullInterval: HarvestConfiguration.formatDuration(c.fullInterval),
            running: scheduler?.runningPeers() ?? [], peers: try await harvester.peers.list())
    }

    /// JSON with snake_case keys, `ivo://` unescaped, sorted keys.
    public func json() throws -> Data {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }
}
