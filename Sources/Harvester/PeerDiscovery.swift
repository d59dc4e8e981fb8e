import Foundation
import Logging
import OAIPMH
import RegistryStore
import VOResource

/// What a discovery found in a Registry of Registries.
public struct DiscoveryReport: Sendable, Codable {
    /// Publishing registries found (active vg:Registry records with an OAIHTTP interface).
    public var registries = 0
    /// Peers added by this discovery.
    public var added: [String] = []
    /// Peers already known.
    public var known: [String] = []
    /// Registry records skipped, with the reason (no OAI-PMH interface, this registry itself, ...).
    public var skipped: [String] = []
    public var pages = 0
    public var error: String?
}

/// Discovery of peers from a Registry of Registries (Registry Interfaces 1.1 §2.3): every
/// publishing registry it lists becomes a peer, harvested with `set=ivo_managed`.
public struct PeerDiscovery: Sendable {
    public let harvester: PeerHarvester
    /// This registry's identifier and OAI-PMH URL (never added as its own peer).
    public let ownIvoid: String?
    public let ownURL: String?

    public init(harvester: PeerHarvester, ownIvoid: String? = nil, ownURL: String? = nil) {
        self.harvester = harvester
        self.ownIvoid = ownIvoid
        self.ownURL = ownURL
    }

    /// The OAI-PMH endpoint of a registry record: the access URL of its first vg:OAIHTTP interface.
    public static func oaiEndpoint(of r: Resource) -> String? {
        for c in r.capabilities {
            for i in c.interfaces where i.xsiType?.local == "OAIHTTP" {
                if let u = i.accessURLs.first?.url.xmlTrimmed, !u.isEmpty { return u }
            }
        }
        return nil
    }

    /// Harvests the RofR (all pages, `ivo_vor`) and adds its publishing registries as peers.
    public func discover(rofr: String) async -> DiscoveryReport {
        var report = DiscoveryReport()
        let config = harvester.configuration
        let deadline = ContinuousClock.now + .milliseconds(Int64(config.harvestTimeout * 1000))
        var url = OAIHarvestRequest.listRecords(metadataPrefix: config.metadataPrefix, set: nil, from: nil)
            .url(base: rofr)
        var tokens = Set<String>()
        do {
            while true {
                let data = try await harvester.client.fetch(url, deadline: deadline)
                let response: OAIHarvestResponse
                do {
                    response = try OAIHarvestResponse.classify(data, name: url, limits: harvester.limits)
                } catch {
                    throw HarvestError.malformed(error.description, url: url)
                }
                report.pages += 1
                guard case .records(let entries, let token) = response else {
                    if case .error(let code, let message) = response { throw HarvestError.oai(code: code, message: message) }
                    break
                }
                for case .resource(let parsed) in entries {
                    try await consider(parsed.resource, rofr: rofr, report: &report)
                }
                guard let token else { break }
                guard tokens.insert(token).inserted else { throw HarvestError.repeatedToken(token) }
                guard report.pages < config.maxPages else { throw HarvestError.endlessList(pages: report.pages) }
                url = OAIHarvestRequest.resume(token: token).url(base: rofr)
            }
        } catch {
            report.error = "\(error)"
        }
        harvester.logger.info(
            "discovery finished",
            metadata: [
                "rofr": "\(rofr)", "registries": "\(report.registries)", "added": "\(report.added.count)",
                "known": "\(report.known.count)", "error": "\(report.error ?? "-")",
            ])
        return report
    }

    private func consider(_ r: Resource, rofr: String, report: inout DiscoveryReport) async throws {
        guard r.xsiType?.local == "Registry" else { return }
        let id = r.identifier.xmlTrimmed
        let status = r.status?.xmlTrimmed.lowercased() ?? "active"
        guard status == "active" else {
            report.skipped.append("\(id): status \(status)")
            return
        }
        guard let endpoint = Self.oaiEndpoint(of: r) else {
            report.skipped.append("\(id): no OAIHTTP interface")
            return
        }
        if let ownIvoid, id.lowercased() == ownIvoid.lowercased() || endpoint == ownURL {
            report.skipped.append("\(id): this registry")
            return
        }
        report.registries += 1
        let (peer, added) = try await harvester.peers.add(
            url: endpoint, set: OAISets.managed, scheduled: true, discoveredFrom: rofr, registryIvoid: id)
        if added { report.added.append(endpoint) } else { report.known.append(endpoint) }
        let authorities = r.details.filter { $0.xpath == "/managedAuthority" }.map { $0.value.xmlTrimmed }
        let taken = try await harvester.peers.claimAuthorities(
            peerID: peer.id, registryIvoid: id, authorities: authorities)
        for (a, other) in taken {
            harvester.logger.warning(
                "authority claimed by two registries",
                metadata: ["authority": "\(a)", "registry": "\(id)", "kept_for": "\(other)"])
        }
    }
}
