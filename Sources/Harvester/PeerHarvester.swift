import Foundation
import Logging
import OAIPMH
import RegistryStore
import VOResource

/// Harvests peers into the store: one OAI-PMH ListRecords harvest per call, page by page
/// (each page one store batch, the next page fetched and parsed while the current one is
/// written), with the authority rules, staged full harvests and the peer's state kept.
public final class PeerHarvester: Sendable {
    public let store: RegistryStore
    public let peers: PeerStore
    public let client: OAIHTTPClient
    public let configuration: HarvestConfiguration
    /// Authorities this registry manages by configuration (besides its local vg:Authority records).
    let managedAuthorities: Set<String>
    /// Where harvests, retries, conflicts and rejected records are logged.
    public let logger: Logger
    /// Validates harvested records (as `voreg import` does); nil: stored unchecked.
    public let validator: SchemaValidator?

    /// - Parameters:
    ///   - store: the store harvested into.
    ///   - configuration: schedule, limits, timeouts.
    ///   - managedAuthorities: authorities this registry manages (records of them are never
    ///     taken from a peer); the store's local vg:Authority records are added to them.
    ///   - logger: progress, retries, conflicts, rejected records.
    public init(
        store: RegistryStore, configuration: HarvestConfiguration, managedAuthorities: [String] = [],
        logger: Logger, validator: SchemaValidator? = nil
    ) {
        self.validator = validator
        self.store = store
        peers = PeerStore(store: store)
        client = OAIHTTPClient(configuration: configuration, logger: logger)
        self.configuration = configuration
        self.managedAuthorities = Set(managedAuthorities.map { RegistryStore.authority(of: "ivo://" + PeerStore.stripIVO($0)) })
        self.logger = logger
    }

    /// Closes the HTTP client.
    public func shutdown() async {
        await client.shutdown()
    }

    /// Harvests an endpoint by URL, registering it (unscheduled) when it is not a peer yet.
    /// - Parameters:
    ///   - url: the OAI-PMH base URL.
    ///   - set: the set to harvest (nil: the peer's set, if known).
    ///   - mode: full, incremental or auto.
    ///   - from: an explicit `from` (seconds since 1970) for an incremental harvest.
    ///   - progress: called after each page.
    ///   - bulk: drop the store's query indexes during the harvest and rebuild them after (a
    ///     first load into a store nobody queries meanwhile: several times cheaper writes).
    public func harvest(
        url: String, set: String? = nil, mode: HarvestMode = .auto, from: Int64? = nil, bulk: Bool = false,
        progress: (@Sendable (HarvestProgress) -> Void)? = nil
    ) async -> HarvestReport {
        do {
            var peer = try await peers.peer(url: url)
            if peer == nil || (set != nil && set != peer?.set) {
                peer = try await peers.add(url: url, set: set ?? peer?.set, scheduled: false).peer
            }
            return await harvest(peer: peer!, mode: mode, from: from, bulk: bulk, progress: progress)
        } catch {
            return HarvestReport(
                peer: url, mode: mode.rawValue, from: nil, set: set, start: RegistryStore.now(), seconds: 0,
                counts: HarvestCounts(), tombstoned: 0, rejections: [], conflicts: [], error: "\(error)")
        }
    }

    /// Harvests one peer. Never throws: a failure is in the report and in the peer's state,
    /// and leaves the store as the completed pages left it (a failed full harvest deletes nothing).
    public func harvest(
        peer: Peer, mode: HarvestMode = .auto, from: Int64? = nil, bulk: Bool = false,
        progress: (@Sendable (HarvestProgress) -> Void)? = nil
    ) async -> HarvestReport {
        let start = RegistryStore.now()
        let clock = ContinuousClock.now
        let full: Bool
        switch mode {
        case .full: full = true
        case .incremental: full = false
        case .auto:
            full = peer.lastSuccess == nil || peer.lastFullSuccess == nil
                || start - (peer.lastFullSuccess ?? 0) >= configuration.fullInterval
        }
        let fromSeconds: Int64? = full ? nil : (from ?? peer.lastSuccess.map { $0 - configuration.overlap })
        var run = Run(
            report: HarvestReport(
                peer: peer.url, mode: full ? "full" : "incremental", from: nil, set: peer.set, start: start,
                seconds: 0, counts: HarvestCounts(), tombstoned: 0, rejections: [], conflicts: [], error: nil))
        let peers = self.peers
        do {
            let lease = try await peers.takeLease(
                peerID: peer.id, now: start, staleAfter: Int64(configuration.harvestTimeout) + 600)
            guard lease.acquired else {
                run.report.error = HarvestError.busy(peer.url).description
                return run.report
            }
            if let gone = lease.interrupted {
                logger.warning(
                    "previous harvest interrupted",
                    metadata: [
                        "peer": "\(peer.url)", "pid": "\(gone.pid)", "started": "\(OAIDate.format(gone.since))",
                    ])
            }
        } catch {
            run.report.error = HarvestError.store("\(error)").description
            return run.report
        }
        logger.info(
            "harvest started",
            metadata: [
                "peer": "\(peer.url)", "mode": "\(run.report.mode)",
                "from": "\(fromSeconds.map(OAIDate.format) ?? "-")", "set": "\(peer.set ?? "-")",
            ])
        do {
            try await peers.recordStart(peerID: peer.id, start: start, full: full)
            if bulk { try await store.beginBulkLoad() }
            do {
                try await execute(peer: peer, full: full, from: fromSeconds, run: &run, clock: clock, progress: progress)
            } catch {
                if bulk { try await Task.detached { [store] in try await store.endBulkLoad() }.value }
                throw error
            }
            if bulk { try await Task.detached { [store] in try await store.endBulkLoad() }.value }
        } catch let e as HarvestError {
            run.report.error = e.description
        } catch is CancellationError {
            run.report.error = HarvestError.cancelled.description
        } catch {
            run.report.error = HarvestError.store("\(error)").description
        }
        let elapsed = ContinuousClock.now - clock
        run.report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let report = run.report
        let next = nextRun(peer: peer, end: RegistryStore.now(), ok: report.succeeded)
        // The bookkeeping runs even when the harvest was cancelled (shutdown).
        let bookkeeping = Task.detached { [logger] in
            do {
                try await peers.recordEnd(
                    peerID: peer.id, start: start, end: RegistryStore.now(), full: full, counts: report.counts,
                    error: report.error, nextRun: next)
                try await peers.setDuration(peerID: peer.id, seconds: report.seconds)
                try await peers.release(peerID: peer.id)
            } catch {
                logger.error("cannot record the harvest", metadata: ["peer": "\(peer.url)", "error": "\(error)"])
            }
        }
        await bookkeeping.value
        var meta: Logger.Metadata = [
            "peer": "\(peer.url)", "mode": "\(report.mode)", "pages": "\(report.counts.pages)",
            "added": "\(report.counts.added)", "updated": "\(report.counts.updated)",
            "unchanged": "\(report.counts.unchanged)", "deleted": "\(report.counts.deleted)",
            "rejected": "\(report.counts.rejected)", "conflicts": "\(report.counts.conflicts)",
            "tombstoned": "\(report.tombstoned)", "seconds": "\((report.seconds * 1000).rounded() / 1000)",
        ]
        if let e = report.error {
            meta["error"] = "\(e)"
            logger.error("harvest failed", metadata: meta)
        } else {
            logger.info("harvest finished", metadata: meta)
        }
        return report
    }

    /// When a peer should be harvested next: after its interval (shorter after a failure),
    /// spread by the jitter.
    func nextRun(peer: Peer, end: Int64, ok: Bool) -> Int64 {
        let interval = peer.interval ?? configuration.interval
        let base = ok ? interval : min(interval, configuration.retryAfterFailure)
        let spread = Double(base) * configuration.jitter
        return end + base + Int64(spread > 0 ? Double.random(in: -spread...spread) : 0)
    }

    /// The mutable state of one harvest.
    struct Run {
        var report: HarvestReport
    }

    /// A page fetched, parsed and prepared for the store.
    struct LoadedPage: Sendable {
        var items: [IngestItem] = []
        var unparsed: [String] = []
        /// Records identical to the stored version (not prepared, not written).
        var unchanged: [String] = []
        var rejections: [HarvestReport.Skipped] = []
        var token: String?
    }

    private func execute(
        peer: Peer, full: Bool, from: Int64?, run: inout Run, clock: ContinuousClock.Instant,
        progress: (@Sendable (HarvestProgress) -> Void)?
    ) async throws {
        let deadline = clock + .milliseconds(Int64(configuration.harvestTimeout * 1000))
        let protected: Set<String>
        do {
            protected = managedAuthorities.union(try await store.localAuthorities())
        } catch {
            throw HarvestError.store("\(error)")
        }
        // Identify: the granularity, and the registry's identifier and managed authorities.
        let identifyURL = OAIHarvestRequest.identify.url(base: peer.url)
        var granularity = OAIDate.Granularity.day
        let identifyData = try await client.fetch(identifyURL, deadline: deadline)
        do {
            let info = try OAIIdentifyInfo.parse(identifyData, name: identifyURL, limits: limits)
            granularity = info.granularity
            let taken = try await peers.claimAuthorities(
                peerID: peer.id, registryIvoid: info.registryIvoid, authorities: info.managedAuthorities)
            for (a, other) in taken {
                logger.warning(
                    "authority claimed by two peers",
                    metadata: ["authority": "\(a)", "peer": "\(peer.url)", "kept_for": "\(other)"])
            }
        } catch let e as XMLError {
            logger.warning("unusable Identify response", metadata: ["peer": "\(peer.url)", "error": "\(e)"])
        }
        if full { try await store.clearStagedHarvest(peerID: peer.id) }
        let policy = HarvestPolicy(
            origin: peer.url, peerID: peer.id, protectedAuthorities: protected, stage: full)
        let fromArgument = from.map { OAIHarvestRequest.fromArgument(max($0, 0), granularity: granularity) }
        run.report.from = fromArgument
        let firstURL = OAIHarvestRequest.listRecords(
            metadataPrefix: configuration.metadataPrefix, set: peer.set, from: fromArgument
        ).url(base: peer.url)

        var tokens = Set<String>()
        var page = try await load(firstURL, peer: peer, deadline: deadline)
        while true {
            run.report.counts.pages += 1
            if let t = page.token {
                guard tokens.insert(t).inserted else { throw HarvestError.repeatedToken(t) }
                guard run.report.counts.pages < configuration.maxPages else {
                    throw HarvestError.endlessList(pages: run.report.counts.pages)
                }
            }
            let nextURL = page.token.map { OAIHarvestRequest.resume(token: $0).url(base: peer.url) }
            async let next = loadIfAny(nextURL, peer: peer, deadline: deadline)
            try await ingest(page, policy: policy, run: &run)
            if let progress {
                let e = ContinuousClock.now - clock
                progress(
                    HarvestProgress(
                        pages: run.report.counts.pages, records: run.report.counts.received,
                        seconds: Double(e.components.seconds) + Double(e.components.attoseconds) / 1e18))
            }
            guard let n = try await next else { break }
            page = n
        }
        if full {
            do {
                run.report.tombstoned = try await store.applyFullHarvest(peerID: peer.id, origin: peer.url)
            } catch {
                throw HarvestError.store("\(error)")
            }
            run.report.counts.deleted += run.report.tombstoned
        }
    }

    var limits: XMLLimits {
        var l = XMLLimits.default
        l.maxDocumentBytes = configuration.maxPageBytes
        return l
    }

    private func loadIfAny(_ url: String?, peer: Peer, deadline: ContinuousClock.Instant) async throws -> LoadedPage? {
        guard let url else { return nil }
        return try await load(url, peer: peer, deadline: deadline)
    }

    /// Fetches, classifies and prepares one page. A page that is not well-formed is fetched
    /// once more before the harvest gives up.
    private func load(_ url: String, peer: Peer, deadline: ContinuousClock.Instant) async throws -> LoadedPage {
        var response: OAIHarvestResponse
        do {
            response = try OAIHarvestResponse.classify(
                try await client.fetch(url, deadline: deadline), name: url, limits: limits, validator: validator)
        } catch let first as XMLError {
            logger.warning("malformed page, fetching it again", metadata: ["url": "\(url)", "error": "\(first)"])
            do {
                response = try OAIHarvestResponse.classify(
                    try await client.fetch(url, deadline: deadline), name: url, limits: limits, validator: validator)
            } catch let e as XMLError {
                throw HarvestError.malformed(e.description, url: url)
            }
        }
        var page = LoadedPage()
        switch response {
        case .noRecordsMatch:
            return page
        case .error(let code, let message):
            throw HarvestError.oai(code: code, message: message)
        case .records(let entries, let token):
            page.token = token
            let origin = RecordOrigin.harvested(peer.url)
            page.items.reserveCapacity(entries.count)
            // Records the store already holds in this version skip the RegTAP mapping and the writer.
            var hashes: [String: String] = [:]
            for case .resource(let parsed) in entries {
                hashes[parsed.resource.identifier.lowercased()] = RegistryStore.contentHash(of: parsed.xml)
            }
            let stored: [String: StoredVersion]
            do {
                stored = try await store.storedVersions(of: Array(hashes.keys))
            } catch {
                throw HarvestError.store("\(error)")
            }
            for entry in entries {
                switch entry {
                case .resource(let parsed):
                    let key = parsed.resource.identifier.lowercased()
                    if let old = stored[key], old.origin == peer.url, old.visibility == "public",
                        old.contentHash == hashes[key], old.status == Self.status(of: parsed.resource)
                    {
                        page.unchanged.append(key)
                        continue
                    }
                    page.items.append(.record(PreparedRecord(parsed, origin: origin, visibility: .public)))
                case .deleted(let identifier, _, _):
                    page.items.append(.deleted(identifier: identifier, origin: origin))
                case .rejected(_, let identifier, let error):
                    let id = identifier?.xmlTrimmed
                    if let id, !id.isEmpty { page.unparsed.append(id) }
                    page.rejections.append(.init(identifier: id, reason: "\(error)"))
                }
            }
            return page
        }
    }

    private func ingest(_ page: LoadedPage, policy: HarvestPolicy, run: inout Run) async throws {
        let outcomes: [HarvestOutcome]
        do {
            outcomes =
                page.items.isEmpty && (!policy.stage || page.unparsed.count + page.unchanged.count == 0)
                ? []
                : try await store.ingestHarvested(
                page.items, seen: page.unparsed + page.unchanged, policy: policy)
        } catch is CancellationError {
            throw HarvestError.cancelled
        } catch {
            throw HarvestError.store("\(error)")
        }
        run.report.counts.unchanged += page.unchanged.count
        for r in page.rejections {
            run.report.counts.rejected += 1
            note(&run.report.rejections, r, "record rejected", policy.origin)
        }
        for (item, outcome) in zip(page.items, outcomes) {
            switch outcome {
            case .added: run.report.counts.added += 1
            case .updated: run.report.counts.updated += 1
            case .unchanged, .ignored: run.report.counts.unchanged += 1
            case .deleted: run.report.counts.deleted += 1
            case .conflict(let why):
                run.report.counts.conflicts += 1
                note(&run.report.conflicts, .init(identifier: item.identifier, reason: why), "record conflict", policy.origin)
            case .rejected(let why):
                run.report.counts.rejected += 1
                note(&run.report.rejections, .init(identifier: item.identifier, reason: why), "record rejected", policy.origin)
            }
        }
    }

    /// A record's status as the store derives it (PreparedRecord's rule).
    static func status(of r: Resource) -> String {
        switch r.status?.xmlTrimmed.lowercased() {
        case "inactive": "inactive"
        case "deleted": "deleted"
        default: "active"
        }
    }

    /// Keeps (and logs) the first 1,000 skipped records of a harvest.
    private func note(_ list: inout [HarvestReport.Skipped], _ s: HarvestReport.Skipped, _ what: String, _ peer: String) {
        guard list.count < 1000 else { return }
        list.append(s)
        logger.warning(
            "\(what)", metadata: ["peer": "\(peer)", "identifier": "\(s.identifier ?? "-")", "reason": "\(s.reason)"])
    }
}

extension IngestItem {
    /// The identifier the item is about.
    var identifier: String {
        switch self {
        case .record(let r): r.identifier
        case .deleted(let id, _): id
        }
    }
}
