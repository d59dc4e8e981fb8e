import Foundation
import GRDB

/// A record as JSON: everything a person or program needs to use the resource, taken from
/// the RegTAP rows of the record (plus its OAI state from `records`).
public struct ResourceDetail: Codable, Sendable, Equatable {
    public struct Contact: Codable, Sendable, Equatable {
        public var role: String
        public var name: String?
        public var ivoid: String?
        public var email: String?
        public var telephone: String?
        public var address: String?
    }
    public struct DateEntry: Codable, Sendable, Equatable {
        public var date: String
        public var role: String?
    }
    public struct Interface: Codable, Sendable, Equatable {
        public var type: String?
        public var role: String?
        public var version: String?
        public var accessURL: String?
        public var use: String?
        public var mirrorURLs: [String]
        public var queryTypes: [String]
        public var resultType: String?
        public var authenticatedOnly: Bool
    }
    public struct Capability: Codable, Sendable, Equatable {
        public var index: Int
        public var standardId: String?
        public var serviceType: String?
        public var type: String?
        public var description: String?
        public var interfaces: [Interface]
    }
    public struct Column: Codable, Sendable, Equatable {
        public var name: String
        public var description: String?
        public var unit: String?
        public var ucd: String?
        public var datatype: String?
        public var flags: [String]
    }
    public struct Table: Codable, Sendable, Equatable {
        public var schema: String?
        public var name: String?
        public var title: String?
        public var description: String?
        public var type: String?
        public var nrows: Int?
        public var columns: [Column]
    }
    public struct Relationship: Codable, Sendable, Equatable {
        public var type: String
        public var relatedId: String?
        public var relatedName: String?
    }

    public var ivoid: String
    public var identifier: String
    public var title: String
    public var shortName: String?
    public var type: String?
    public var status: String
    public var description: String?
    public var referenceURL: String?
    public var version: String?
    public var subjects: [String]
    public var wavebands: [String]
    public var contentLevels: [String]
    public var contentTypes: [String]
    public var creators: [String]
    public var publisher: String?
    public var rights: String?
    public var rightsURI: String?
    public var created: String?
    public var updated: String?
    /// The OAI-PMH datestamp (when this registry last saw the record change), ISO 8601.
    public var datestamp: String
    public var dates: [DateEntry]
    public var contacts: [Contact]
    public var capabilities: [Capability]
    public var tables: [Table]
    public var relationships: [Relationship]
    /// Where the record's VOResource XML is served (relative to the server).
    public var xmlURL: String

    static func split(_ s: String?) -> [String] { s.map { $0.split(separator: "#").map(String.init) } ?? [] }
}

extension RegistrySearch {
    /// The record with this identifier, if it is active and visible.
    /// - Throws: `DiscoveryError.notFound` otherwise (internal records look exactly like
    ///   missing ones to public callers).
    public func resource(_ identifier: String, includeInternal: Bool) throws -> ResourceDetail {
        let ivoid = identifier.lowercased()
        return try store.pool.read { db in
            guard
                let rec = try Row.fetchOne(
                    db, sql: "SELECT identifier, status, visibility, datestamp FROM records WHERE ivoid = ?",
                    arguments: [ivoid]),
                includeInternal || (rec["visibility"] as String) == "public",
                (rec["status"] as String) != "deleted",
                let res = try Row.fetchOne(db, sql: "SELECT * FROM rr_resource WHERE ivoid = ?", arguments: [ivoid])
            else {
                throw DiscoveryError.notFound("no resource \(identifier.prefix(200)) in this registry")
            }
            let stamp: Int64 = rec["datestamp"]
            var d = ResourceDetail(
                ivoid: ivoid, identifier: rec["identifier"], title: res["res_title"] ?? ivoid,
                shortName: res["short_name"], type: res["res_type"], status: rec["status"],
                description: res["res_description"], referenceURL: res["reference_url"], version: res["res_version"],
                subjects: try String.fetchAll(
                    db, sql: "SELECT res_subject FROM rr_res_subject WHERE ivoid = ? ORDER BY rowid", arguments: [ivoid]),
                wavebands: ResourceDetail.split(res["waveband"]), contentLevels: ResourceDetail.split(res["content_level"]),
                contentTypes: ResourceDetail.split(res["content_type"]),
                creators: (res["creator_seq"] as String?).map { $0.components(separatedBy: "; ") } ?? [],
                publisher: nil, rights: res["rights"], rightsURI: res["rights_uri"], created: res["created"],
                updated: res["updated"],
                datestamp: ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(stamp))),
                dates: [], contacts: [], capabilities: [], tables: [], relationships: [],
                xmlURL: "/api/resources/" + Self.pathEncode(rec["identifier"]) + "?format=xml")
            for r in try Row.fetchAll(
                db, sql: "SELECT date_value, value_role FROM rr_res_date WHERE ivoid = ? ORDER BY rowid", arguments: [ivoid])
            {
                d.dates.append(.init(date: r[0] ?? "", role: r[1]))
            }
            for r in try Row.fetchAll(
                db, sql: "SELECT * FROM rr_res_role WHERE ivoid = ? ORDER BY rowid", arguments: [ivoid])
            {
                let role: String = r["base_role"] ?? ""
                if role == "publisher", d.publisher == nil { d.publisher = r["role_name"] }
                if role == "contact" || role == "publisher" {
                    d.contacts.append(
                        .init(
                            role: role, name: r["role_name"], ivoid: r["role_ivoid"], email: r["email"],
                            telephone: r["telephone"], address: r["street_address"]))
                }
            }
            for r in try Row.fetchAll(
                db, sql: "SELECT * FROM rr_capability WHERE ivoid = ? ORDER BY cap_index", arguments: [ivoid])
            {
                let std: String? = r["standard_id"]
                d.capabilities.append(
                    .init(
                        index: r["cap_index"], standardId: std, serviceType: ServiceType(standardID: std)?.rawValue,
                        type: r["cap_type"], description: r["cap_description"], interfaces: []))
            }
            for r in try Row.fetchAll(
                db, sql: "SELECT * FROM rr_interface WHERE ivoid = ? ORDER BY intf_index", arguments: [ivoid])
            {
                let cap: Int? = r["cap_index"]
                guard let i = d.capabilities.firstIndex(where: { $0.index == cap }) else { continue }
                d.capabilities[i].interfaces.append(
                    .init(
                        type: r["intf_type"], role: r["intf_role"], version: r["std_version"], accessURL: r["access_url"],
                        use: r["url_use"], mirrorURLs: ResourceDetail.split(r["mirror_url"]),
                        queryTypes: ResourceDetail.split(r["query_type"]), resultType: r["result_type"],
                        authenticatedOnly: (r["authenticated_only"] as Int?) == 1))
            }
            var tableAt: [Int: Int] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT t.*, s.schema_name FROM rr_res_table AS t
                    LEFT JOIN rr_res_schema AS s ON s.ivoid = t.ivoid AND s.schema_index = t.schema_index
                    WHERE t.ivoid = ? ORDER BY t.table_index
                    """, arguments: [ivoid])
            {
                tableAt[r["table_index"]] = d.tables.count
                d.tables.append(
                    .init(
                        schema: r["schema_name"], name: r["table_name"], title: r["table_title"],
                        description: r["table_description"], type: r["table_type"], nrows: r["nrows"], columns: []))
            }
            for r in try Row.fetchAll(
                db, sql: "SELECT * FROM rr_table_column WHERE ivoid = ? ORDER BY table_index, rowid", arguments: [ivoid])
            {
                guard let ti: Int = r["table_index"], let i = tableAt[ti] else { continue }
                d.tables[i].columns.append(
                    .init(
                        name: r["name"] ?? "", description: r["column_description"], unit: r["unit"], ucd: r["ucd"],
                        datatype: r["datatype"], flags: ResourceDetail.split(r["flag"])))
            }
            for r in try Row.fetchAll(
                db, sql: "SELECT * FROM rr_relationship WHERE ivoid = ? ORDER BY rowid", arguments: [ivoid])
            {
                d.relationships.append(
                    .init(type: r["relationship_type"] ?? "", relatedId: r["related_id"], relatedName: r["related_name"]))
            }
            return d
        }
    }

    /// The stored XML of a visible record (any status but deleted).
    public func resourceXML(_ identifier: String, includeInternal: Bool) throws -> String {
        try store.pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT xml, visibility, status FROM records WHERE ivoid = ?",
                    arguments: [identifier.lowercased()]),
                includeInternal || (row["visibility"] as String) == "public",
                (row["status"] as String) != "deleted", let xml: String = row["xml"]
            else { throw DiscoveryError.notFound("no resource \(identifier.prefix(200)) in this registry") }
            return xml
        }
    }

    /// An identifier as one URL path segment (`/`, `?`, `#`, `%` and the rest percent-encoded).
    public static func pathEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
