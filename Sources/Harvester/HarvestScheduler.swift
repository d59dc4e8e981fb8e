import Foundation
import Logging
import RegistryStore
import ServiceLifecycle

/// The harvest scheduler of `voreg serve`: harvests each scheduled peer when its next run is
/// due (interval ± jitter, sooner after a failure), at most `concurrency` peers at once and
/// never one peer twice at once; optionally rediscovers peers from a Registry of Registries.
/// Graceful shutdown cancels the harvests running (each keeps the pages it completed).
public final class HarvestScheduler: Service, Sendable {
    public let harvester: PeerHarvester
    let discovery: PeerDiscovery?
    let running = RunningSet()

    /// - Parameters:
    ///   - harvester: does the harvests.
    ///   - discovery: set when the configuration names a RofR to rediscover from.
    public init(harvester: PeerHarvester, discovery: PeerDiscovery? = nil) {
        self.harvester = harvester
        self.discovery = discovery
    }

    /// The URLs of the peers being harvested now.
    public func runningPeers() -> [String] { running.urls() }

    /// Harvests the scheduler has started since it was created.
    public var harvestsStarted: Int { running.started }

    public func run() async throws {
        let logger = harvester.logger
        logger.info(
            "harvest scheduler started",
            metadata: [
                "interval": "\(HarvestConfiguration.formatDuration(harvester.configuration.interval))",
                "concurrency": "\(harvester.configuration.concurrency)",
            ])
        await cancelWhenGracefulShutdown { await self.loop() }
        logger.info("harvest scheduler stopped")
    }

    enum Event: Sendable {
        case tick
        /// A harvest ended; `busy` when it did not run because another process holds the peer.
        case harvested(Int64, busy: Bool)
        case discovered
    }

    func loop() async {
        let config = harvester.configuration
        var lastDiscovery: ContinuousClock.Instant?
        var discovering = false
        // The next wake-up: a tick task sleeps until then. A sooner one is added when a peer
        // becomes due earlier (a failed harvest retried soon); extra ticks only cause a look.
        var tickAt = ContinuousClock.now
        // Peers another process is harvesting (`voreg harvest`, a second server): looked at
        // again after a tick, not at once (their next run is not moved, so they stay due).
        var busyUntil: [Int64: ContinuousClock.Instant] = [:]
        let busyPause = Duration.milliseconds(Int64(max(config.tick, 1) * 1000))
        await withTaskGroup(of: Event.self) { group in
            group.addTask { .tick }
            while let event = await group.next() {
                if Task.isCancelled { continue }
                switch event {
                case .harvested(let id, let busy):
                    running.remove(id)
                    if busy { busyUntil[id] = .now + busyPause }
                case .discovered: discovering = false
                case .tick: tickAt = .now + .seconds(365 * 86_400)
                }
                // Rediscovery.
                var wait = config.tick
                if let discovery, let rofr = config.rofr, !discovering {
                    let every = config.rediscoverInterval.map { Duration.seconds($0) }
                    if lastDiscovery == nil || every.map({ ContinuousClock.now - lastDiscovery! >= $0 }) == true {
                        discovering = true
                        lastDiscovery = .now
                        group.addTask {
                            _ = await discovery.discover(rofr: rofr)
                            return .discovered
                        }
                    } else if let every, let last = lastDiscovery {
                        let left = every - (ContinuousClock.now - last)
                        wait = min(wait, Double(left.components.seconds) + 0.5)
                    }
                }
                // Due peers.
                let now = RegistryStore.now()
                if let peers = try? await harvester.peers.list() {
                    for p in peers where p.scheduled && !running.contains(p.id) {
                        if let until = busyUntil[p.id] {
                            let left = until - ContinuousClock.now
                            if left > .zero {
                                wait = min(wait, Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18)
                                continue
                            }
                            busyUntil[p.id] = nil
                        }
                        let due = p.nextRun ?? now
                        if due > now {
                            wait = min(wait, Double(due - now))
                            continue
                        }
                        guard running.count < config.concurrency else { break }
                        running.insert(p.id, p.url)
                        let harvester = self.harvester
                        group.addTask {
                            let report = await harvester.harvest(peer: p, mode: .auto)
                            return .harvested(p.id, busy: report.error == HarvestError.busy(p.url).description)
                        }
                    }
                } else {
                    harvester.logger.error("cannot read the peers")
                }
                let target = ContinuousClock.now + .milliseconds(Int64(max(wait, 0.2) * 1000))
                if target < tickAt - .milliseconds(50) {
                    tickAt = target
                    group.addTask {
                        try? await Task.sleep(until: target, clock: .continuous)
                        return .tick
                    }
                }
            }
        }
    }
}

/// The peers being harvested (ids and URLs), shared by the scheduler loop and status readers.
final class RunningSet: @unchecked Sendable {
    private let lock = NSLock()
    private var peers: [Int64: String] = [:]

    private var count_ = 0

    func insert(_ id: Int64, _ url: String) {
        lock.withLock {
            peers[id] = url
            count_ += 1
        }
    }
    /// How many insertions there were (harvests started).
    var started: Int { lock.withLock { count_ } }
    func remove(_ id: Int64) { lock.withLock { _ = peers.removeValue(forKey: id) } }
    func contains(_ id: Int64) -> Bool { lock.withLock { peers[id] != nil } }
    var count: Int { lock.withLock { peers.count } }
    func urls() -> [String] { lock.withLock { peers.values.sorted() } }
}
