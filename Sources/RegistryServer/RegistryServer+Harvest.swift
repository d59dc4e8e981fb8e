import Foundation
import VOResource
public import Harvester
import Hummingbird
import Logging
import Prometheus
import RegistryStore
import ServiceLifecycle

/// The harvester inside the server: the peer harvester (always, for the status route) and the
/// scheduler (when `harvest.enabled`).
public struct ServerHarvest: Sendable {
    public let harvester: PeerHarvester
    public let scheduler: HarvestScheduler?

    init(configuration c: ServerConfiguration, store: RegistryStore, logger: Logger) {
        var log = logger
        log[metadataKey: "component"] = "harvester"
        let harvester = PeerHarvester(
            store: store, configuration: c.harvest, managedAuthorities: c.managedAuthorities, logger: log,
            validator: SchemaValidator.locateSchemasDirectory().flatMap { try? SchemaValidator(schemasDirectory: $0) })
        self.harvester = harvester
        let discovery = c.harvest.rofr.map { _ in
            PeerDiscovery(harvester: harvester, ownIvoid: c.registryIvoid, ownURL: c.oaiURL)
        }
        scheduler = c.harvest.enabled ? HarvestScheduler(harvester: harvester, discovery: discovery) : nil
    }
}

extension RegistryServer {
    /// `GET /api/harvest/status`: the peers and their harvest state as JSON.
    func addHarvestRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/harvest/status") { _, _ in
            let status = try await HarvestStatus.of(self.harvest.harvester, scheduler: self.harvest.scheduler)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try status.json())))
        }
    }

    /// Runs the HTTP application and the harvest scheduler until SIGTERM or SIGINT; the
    /// scheduler is stopped first (its harvests cancelled), then the server drains.
    func runServices(_ apps: [any Service]) async throws {
        var services: [any Service] = apps
        if let s = harvest.scheduler { services.append(s) }
        let group = ServiceGroup(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        do {
            try await group.run()
        } catch {
            await harvest.harvester.shutdown()
            throw error
        }
        await harvest.harvester.shutdown()
    }

    /// Sets the per-peer harvest gauges (read from the store on each scrape).
    func refreshHarvestMetrics() async {
        let peers: [Peer]
        do { peers = try await harvest.harvester.peers.list() } catch {
            logger.error("harvest state unreadable", metadata: ["error": "\(error)"])
            return
        }
        let running = Set(harvest.scheduler?.runningPeers() ?? [])
        let r = metrics.registry
        for p in peers {
            let peer = [("peer", p.url)]
            for (change, n) in [
                ("added", p.totals.added), ("updated", p.totals.updated), ("deleted", p.totals.deleted),
                ("rejected", p.totals.rejected), ("conflicts", p.totals.conflicts),
            ] {
                r.makeGauge(
                    name: "voreg_harvest_records_changed", labels: peer + [("change", change)],
                    help: "Records changed by harvests of the peer since it was added, by kind of change.")
                    .set(Double(n))
            }
            r.makeGauge(name: "voreg_harvest_records_held", labels: peer, help: "Records of the peer in the store.")
                .set(Double(p.recordsHeld))
            r.makeGauge(
                name: "voreg_harvest_last_duration_seconds", labels: peer, help: "Duration of the peer's last harvest."
            ).set(p.lastDuration ?? 0)
            r.makeGauge(
                name: "voreg_harvest_last_success_timestamp_seconds", labels: peer,
                help: "Start of the peer's last successful harvest (seconds since 1970; 0 = never)."
            ).set(Double(p.lastSuccess ?? 0))
            r.makeGauge(name: "voreg_harvest_runs", labels: peer, help: "Harvests of the peer, failed or not.")
                .set(Double(p.harvests))
            r.makeGauge(name: "voreg_harvest_failures", labels: peer, help: "Failed harvests of the peer.")
                .set(Double(p.failures))
            r.makeGauge(name: "voreg_harvest_running", labels: peer, help: "1 while the peer is being harvested.")
                .set(Double(running.contains(p.url) ? 1 : 0))
        }
    }
}
