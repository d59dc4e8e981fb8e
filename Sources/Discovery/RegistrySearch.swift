import Foundation
import GRDB
public import RegistryStore

/// Ranked search over the store's full-text index, with filters and facets.
///
/// Ranking: an exact identifier match comes first, then an exact short-name match, then the
/// FTS5 `bm25` score over title, short name, subjects, description and table text (weighted
/// by `columnWeights`), scaled up for resources that offer a VO service and, more, for those
/// offering a service type the query names (`tap`, `cone`…). Every query takes
/// `includeInternal`: without it, internal records are neither returned nor counted.
public final class RegistrySearch: @unchecked Sendable {
    public let store: RegistryStore
    /// A connection of its own that only asks `PRAGMA data_version`.
    private let monitor: DatabaseQueue
    private let lock = NSLock()
    private var snapshot: CatalogSnapshot?

    /// bm25 weights of rr_fts's columns: title, short_name, subjects, description, tables.
    public static let columnWeights: [Double] = [10, 8, 3, 1, 2]
    /// Score multiplier for a resource offering any known VO service.
    static let serviceBoost = 1.0
    /// Score multiplier for a resource offering a service type named in the query.
    static let hintBoost = 3.0

    public init(store: RegistryStore) throws {
        self.store = store
        var config = Configuration()
        config.readonly = true
        monitor = try DatabaseQueue(path: store.path, configuration: config)
    }

    /// The catalogue snapshot, rebuilt when the database changed since it was loaded.
    func catalog() throws -> CatalogSnapshot {
        let version = try monitor.read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        if let s = lock.withLock({ snapshot }), s.version == version { return s }
        let fresh = try store.pool.read { db in try CatalogSnapshot.load(db, version: version) }
        lock.withLock { snapshot = fresh }
        return fresh
    }

    /// Runs a search.
    /// - Parameters:
    ///   - request: the validated request.
    ///   - includeInternal: whether internal records may be returned and counted.
    /// - Returns: one page of ranked results, the total and the facets of the whole match set.
    public func search(_ request: SearchRequest, includeInternal: Bool) throws -> SearchResponse {
        let query = SearchQuery(request.q)
        let snap = try catalog()
        let weights = Self.columnWeights.map { String($0) }.joined(separator: ", ")

        // 1. Candidates with their text score (0 when browsing).
        var scores: [Int64: Double] = [:]
        var browse = false
        try store.pool.read { db in
            func fts(_ expr: String, into dict: inout [Int64: Double]) throws {
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT rowid, bm25(rr_fts, \(weights)) FROM rr_fts WHERE rr_fts MATCH ?",
                    arguments: [expr])
                while let row = try rows.next() { dict[row[0]] = row[1] }
            }
            if let expr = query.matchExpression {
                try fts(expr, into: &scores)
            } else if !query.serviceHints.isEmpty {
                if let expr = query.hintExpression { try fts(expr, into: &scores) }
                for e in snap.byRid.values where query.serviceHints.contains(where: e.offers) && scores[e.rid] == nil {
                    scores[e.rid] = 0
                }
            } else {
                browse = true
            }
            if let expr = query.exclusionExpression {
                var excluded: [Int64: Double] = [:]
                try fts(expr, into: &excluded)
                if browse {
                    browse = false
                    for e in snap.byRid.values where excluded[e.rid] == nil { scores[e.rid] = 0 }
                } else {
                    for rid in excluded.keys { scores[rid] = nil }
                }
            }
        }
        let normalized = query.normalizedText
        let exactRid = normalized.isEmpty ? nil : snap.ridByIvoid[normalized]
        if let rid = exactRid, scores[rid] == nil, !browse { scores[rid] = 0 }

        // 2. Visibility, filters and facets.
        struct Hit { var rid: Int64; var tier: Int; var score: Double; var entry: CatalogEntry }
        var hits: [Hit] = []
        var svc: [ServiceType: Int] = [:]
        var bands: [String: Int] = [:]
        var auths: [String: Int] = [:]
        var types: [String: Int] = [:]
        func consider(_ e: CatalogEntry, score: Double) {
            guard includeInternal || e.isPublic else { return }
            if let t = request.serviceType, !e.offers(t) { return }
            if let w = request.waveband, !e.wavebands.contains(w) { return }
            if let a = request.authority, e.authority != a { return }
            if let t = request.type, (e.resType ?? "") != t { return }
            for t in ServiceType.allCases where e.offers(t) { svc[t, default: 0] += 1 }
            for w in e.wavebands { bands[w, default: 0] += 1 }
            auths[e.authority, default: 0] += 1
            types[e.resType ?? "(none)", default: 0] += 1
            let tier = e.rid == exactRid ? 0 : (e.shortName != nil && e.shortName == normalized ? 1 : 2)
            var factor = 1.0
            if e.isService { factor += Self.serviceBoost }
            if query.serviceHints.contains(where: e.offers) { factor += Self.hintBoost }
            hits.append(Hit(rid: e.rid, tier: tier, score: score * factor, entry: e))
        }
        if browse {
            for rid in snap.browseOrder { if let e = snap.byRid[rid] { consider(e, score: 0) } }
        } else {
            for (rid, score) in scores { if let e = snap.byRid[rid] { consider(e, score: score) } }
        }

        // 3. Order and page.
        if !browse {
            hits.sort { a, b in
                if a.tier != b.tier { return a.tier < b.tier }
                if a.score != b.score { return a.score < b.score }  // bm25: lower is better
                return a.entry.browseRank < b.entry.browseRank
            }
        }
        let total = hits.count
        let start = min((request.page - 1) * request.pageSize, total)
        let pageHits = hits[start..<min(start + request.pageSize, total)]
        let results = try store.pool.read { db in try Self.summaries(db, ivoids: pageHits.map(\.entry.ivoid)) }

        var filters: [String: String] = [:]
        if let t = request.serviceType { filters["servicetype"] = t.rawValue }
        if let w = request.waveband { filters["waveband"] = w }
        if let a = request.authority { filters["authority"] = a }
        if let t = request.type { filters["type"] = t }
        func sorted(_ d: [String: Int], label: (String) -> String = { $0 }) -> [FacetValue] {
            d.map { FacetValue(value: $0.key, label: label($0.key), count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
        }
        var facets = Facets()
        facets.servicetype = svc.map { FacetValue(value: $0.key.rawValue, label: $0.key.label, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
        facets.waveband = sorted(bands)
        facets.authority = Array(sorted(auths).prefix(50))
        facets.type = sorted(types)
        return SearchResponse(
            q: request.q, filters: filters, total: total, page: request.page, pageSize: request.pageSize,
            pages: total == 0 ? 0 : (total + request.pageSize - 1) / request.pageSize,
            results: results, facets: facets)
    }

    /// Result summaries of these resources, in this order.
    static func summaries(_ db: Database, ivoids: [String]) throws -> [SearchResult] {
        guard !ivoids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ivoids.count).joined(separator: ", ")
        let args = StatementArguments(ivoids)
        var byId: [String: SearchResult] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT ivoid, res_title, short_name, res_type, res_description, waveband
                FROM rr_resource WHERE ivoid IN (\(marks))
                """, arguments: args)
        {
            let ivoid: String = row[0]
            let bands: String? = row[5]
            byId[ivoid] = SearchResult(
                ivoid: ivoid, title: row[1] ?? ivoid, shortName: row[2], type: row[3],
                description: Self.shortDescription(row[4] ?? ""), publisher: nil,
                wavebands: bands.map { $0.split(separator: "#").map(String.init) } ?? [], capabilities: [])
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT ivoid, role_name FROM rr_res_role
                WHERE base_role = 'publisher' AND ivoid IN (\(marks)) ORDER BY rowid
                """, arguments: args)
        {
            let ivoid: String = row[0]
            if byId[ivoid]?.publisher == nil { byId[ivoid]?.publisher = row[1] }
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT c.ivoid, c.cap_index, c.standard_id, i.intf_type, i.intf_role, i.access_url
                FROM rr_capability AS c
                LEFT JOIN rr_interface AS i ON i.ivoid = c.ivoid AND i.cap_index = c.cap_index
                WHERE c.ivoid IN (\(marks)) ORDER BY c.ivoid, c.cap_index, i.intf_index
                """, arguments: args)
        {
            let ivoid: String = row[0]
            guard var r = byId[ivoid] else { continue }
            let capIndex: Int = row[1]
            let standard: String? = row[2]
            if r.capabilities.count < capIndex {
                r.capabilities.append(
                    CapabilitySummary(
                        standardId: standard, serviceType: ServiceType(standardID: standard)?.rawValue, interfaces: []))
            }
            if let url: String = row[5] {
                r.capabilities[r.capabilities.count - 1].interfaces.append(
                    InterfaceSummary(type: row[3], role: row[4], accessURL: url))
            }
            byId[ivoid] = r
        }
        return ivoids.compactMap { byId[$0] }
    }

    /// The first sentences of a description, at most about 300 characters, cut at a word.
    static func shortDescription(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard flat.count > 300 else { return flat }
        let cut = flat.prefix(300)
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return String(cut[..<end]) + " …"
    }
}
