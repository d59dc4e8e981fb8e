import Foundation
import GRDB

/// What the search needs to know about every active record, held in memory so filters,
/// facets and ranking boosts cost a dictionary look-up per match instead of SQL joins.
///
/// A snapshot is rebuilt when the database changed (SQLite's `PRAGMA data_version` on a
/// connection of its own, which sees commits from any connection or process).
struct CatalogEntry: Sendable {
    var rid: Int64
    var ivoid: String
    var isPublic: Bool
    var resType: String?
    var wavebands: [String]
    /// Bit set of `ServiceType` (bit = index in `allCases`).
    var services: UInt32
    var authority: String
    var shortName: String?
    var titleKey: String
    /// Position in the browse order.
    var browseRank: Int = 0

    func offers(_ t: ServiceType) -> Bool { services & Self.bit(t) != 0 }
    var isService: Bool { services != 0 }

    static func bit(_ t: ServiceType) -> UInt32 { 1 << UInt32(ServiceType.allCases.firstIndex(of: t)!) }

    /// The authority part of an IVOA identifier (`ivo://AUTH/path` → `auth`).
    static func authority(of ivoid: String) -> String {
        var s = Substring(ivoid)
        if s.hasPrefix("ivo://") { s = s.dropFirst(6) }
        let end = s.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? s.endIndex
        return String(s[..<end]).lowercased()
    }
}

struct CatalogSnapshot: Sendable {
    var version: Int64
    var byRid: [Int64: CatalogEntry] = [:]
    var ridByIvoid: [String: Int64] = [:]
    /// rids in browse order: resources offering a service first, then by title.
    var browseOrder: [Int64] = []

    static func load(_ db: Database, version: Int64) throws -> CatalogSnapshot {
        var snap = CatalogSnapshot(version: version)
        var services: [String: UInt32] = [:]
        let caps = try Row.fetchCursor(
            db, sql: "SELECT ivoid, standard_id FROM rr_capability WHERE standard_id IS NOT NULL")
        while let row = try caps.next() {
            if let t = ServiceType(standardID: row[1]) {
                let ivoid: String = row[0]
                services[ivoid, default: 0] |= CatalogEntry.bit(t)
            }
        }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT r.rid, r.ivoid, r.visibility, r.res_type, rs.waveband, rs.short_name, rs.res_title
                FROM records AS r JOIN rr_resource AS rs ON rs.ivoid = r.ivoid
                WHERE r.status = 'active'
                """)
        var entries: [CatalogEntry] = []
        while let row = try rows.next() {
            let ivoid: String = row[1]
            let bands: String? = row[4]
            let title: String? = row[6]
            entries.append(
                CatalogEntry(
                    rid: row[0], ivoid: ivoid, isPublic: (row[2] as String?) != "internal",
                    resType: row[3], wavebands: bands.map { $0.split(separator: "#").map(String.init) } ?? [],
                    services: services[ivoid] ?? 0, authority: CatalogEntry.authority(of: ivoid),
                    shortName: (row[5] as String?)?.lowercased(),
                    titleKey: (title ?? ivoid).lowercased()))
        }
        entries.sort { a, b in
            if a.isService != b.isService { return a.isService }
            if a.titleKey != b.titleKey { return a.titleKey < b.titleKey }
            return a.ivoid < b.ivoid
        }
        snap.byRid.reserveCapacity(entries.count)
        for (i, var e) in entries.enumerated() {
            e.browseRank = i
            snap.byRid[e.rid] = e
            snap.ridByIvoid[e.ivoid] = e.rid
            snap.browseOrder.append(e.rid)
        }
        return snap
    }
}
