import AsyncHTTPClient
public import Foundation
import GRDB
public import RegistryStore
import VOResource

/// Builds a record from a running service's VOSI documents: its capabilities (VOSI 1.1
/// `/capabilities`) and, when one of them is VOSI tables, its tableset (`/tables`); a
/// service with tables becomes a vs:CatalogService.
public struct VOSISource: Sendable, Equatable, Codable {
    /// The service's base URL (the VOSI endpoints are `<url>/capabilities`, `<url>/tables`),
    /// or the capabilities URL itself.
    public var url: String
    public var ivoid: String
    public var title: String?
    public var visibility: String

    public init(url: String, ivoid: String, title: String?, visibility: Visibility) {
        self.url = url
        self.ivoid = ivoid
        self.title = title
        self.visibility = visibility.rawValue
    }

    public var capabilitiesURL: String {
        url.hasSuffix("/capabilities") ? url : (url.hasSuffix("/") ? url + "capabilities" : url + "/capabilities")
    }

    public var baseURL: String {
        url.hasSuffix("/capabilities") ? String(url.dropLast("/capabilities".count)) : url
    }
}

public enum VOSIReader {
    static let capabilitiesStandard = "ivo://ivoa.net/std/vosi#capabilities"
    static let tablesStandard = "ivo://ivoa.net/std/vosi#tables"

    /// Fetches a document (10 s connect, 30 s total, 16 MiB at most).
    public static func fetch(_ url: String) async throws(PublishError) -> Data {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "voreg-vosi")
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            guard response.status.code == 200 else {
                throw PublishError(502, "\(url) answered HTTP \(response.status.code)")
            }
            let body = try await response.body.collect(upTo: 16 << 20)
            return Data(body.readableBytesView)
        } catch let e as PublishError {
            throw e
        } catch {
            throw PublishError(502, "\(url) cannot be read: \(error)")
        }
    }

    /// The record for a source, without created/updated (the publisher sets them).
    public static func buildRecord(_ source: VOSISource) async throws(PublishError) -> String {
        let capsData = try await fetch(source.capabilitiesURL)
        let capsDoc: XMLDocument
        do { capsDoc = try XMLDocument(data: capsData, url: source.capabilitiesURL) } catch {
            throw PublishError(502, "the VOSI capabilities are not well-formed XML: \(error)")
        }
        guard let root = capsDoc.root, root.name == "capabilities" else {
            throw PublishError(502, "\(source.capabilitiesURL) is not a VOSI capabilities document")
        }
        var capabilities: [String] = []
        var standards: [String] = []
        var tablesURL: String?
        root.forEachChild { c in
            guard c.name == "capability" else { return }
            let sid = c.attribute("standardID") ?? ""
            standards.append(sid.lowercased())
            if sid.lowercased().hasPrefix(tablesStandard) {
                tablesURL = c.children(named: "interface").first?.children(named: "accessURL").first?.text
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            capabilities.append(c.serializedStandalone())
        }
        guard !capabilities.isEmpty else { throw PublishError(502, "the VOSI capabilities list no capability") }
        var tableset: String?
        // The tables: at <base>/tables (where TAP and most VOSI services put them), else where
        // the tables capability says.
        let hasTables = tablesURL != nil || standards.contains { $0.hasPrefix("ivo://ivoa.net/std/tap") }
        var candidates = hasTables ? [source.baseURL + "/tables"] : []
        if let t = tablesURL, !candidates.contains(t) { candidates.append(t) }
        for url in candidates where tableset == nil {
            if let data = try? await fetch(url), let doc = try? XMLDocument(data: data, url: url),
                let t = doc.root, t.name == "tableset"
            {
                var schemas = ""
                t.forEachChild { s in if s.name == "schema" { schemas += s.serializedStandalone() + "\n" } }
                if !schemas.isEmpty { tableset = "  <tableset>\n" + schemas + "  </tableset>\n" }
            }
        }
        let prefixes = ["ivo://ivoa.net/std/tap", "ivo://ivoa.net/std/sia", "ivo://ivoa.net/std/ssa", "ivo://ivoa.net/std/conesearch"]
        let isData = standards.contains { sid in prefixes.contains { sid.hasPrefix($0) } }
        let type = tableset != nil ? "vs:CatalogService" : isData ? "vs:DataService" : "vr:Service"
        func h(_ s: String) -> String { XMLEscaping.escape(s, attribute: true) }
        let auth = PublisherAccount.authority(of: source.ivoid) ?? "unknown"
        var x = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ri:Resource xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0" \
            xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="\(type)" status="active">
              <title>\(h(source.title ?? "Service at \(source.baseURL)"))</title>
              <identifier>\(h(source.ivoid))</identifier>
              <curation><publisher>\(h(auth))</publisher><contact><name>\(h(auth))</name></contact></curation>
              <content>
                <subject>Virtual observatory</subject>
                <description>\(h("The service at \(source.baseURL), described from its VOSI capabilities\(tableset == nil ? "" : " and tables")."))</description>
                <referenceURL>\(h(source.baseURL))</referenceURL>
              </content>

            """
        for c in capabilities { x += "  " + c + "\n" }
        if let tableset { x += tableset }
        x += "</ri:Resource>\n"
        return x
    }
}

/// The VOSI sources kept fresh by `voreg serve` (table `publisher_vosi_sources`).
public struct VOSISources: Sendable {
    public let store: RegistryStore

    public init(store: RegistryStore) { self.store = store }

    public struct Entry: Sendable, Codable, Equatable {
        public var source: VOSISource
        public var lastCheck: Int64?
        public var available: Bool?
        public var lastError: String?
    }

    public func save(_ s: VOSISource) throws {
        try store.pool.write { db in
            try db.execute(sql: "DELETE FROM publisher_vosi_sources WHERE lower(ivoid) = ?", arguments: [s.ivoid.lowercased()])
            try db.execute(
                sql: """
                    INSERT INTO publisher_vosi_sources (ivoid, url, title, visibility) VALUES (?, ?, ?, ?)
                    ON CONFLICT (ivoid) DO UPDATE SET url = excluded.url, title = excluded.title,
                      visibility = excluded.visibility
                    """, arguments: [s.ivoid, s.url, s.title, s.visibility])
        }
    }

    public func list() throws -> [Entry] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM publisher_vosi_sources ORDER BY ivoid").map { r in
                Entry(
                    source: VOSISource(
                        url: r["url"], ivoid: r["ivoid"], title: r["title"],
                        visibility: Visibility(rawValue: r["visibility"]) ?? .public),
                    lastCheck: r["last_check"], available: (r["last_available"] as Int64?).map { $0 != 0 },
                    lastError: r["last_error"])
            }
        }
    }

    public func record(ivoid: String, available: Bool, error: String?, now: Int64 = RegistryStore.now()) throws {
        try store.pool.write { db in
            try db.execute(
                sql: "UPDATE publisher_vosi_sources SET last_check = ?, last_available = ?, last_error = ? WHERE lower(ivoid) = ?",
                arguments: [now, available ? 1 : 0, error, ivoid.lowercased()])
        }
    }

    /// Re-reads every source and republishes its record (the datestamp moves only when the
    /// capabilities or tables changed). Returns the outcome per identifier.
    public func refresh(publisher: RecordPublisher) async -> [(String, Result<PublishOutcome, PublishError>)] {
        let entries = (try? list()) ?? []
        var out: [(String, Result<PublishOutcome, PublishError>)] = []
        for e in entries {
            let result: Result<PublishOutcome, PublishError>
            do {
                let xml = try await VOSIReader.buildRecord(e.source)
                let vis = Visibility(rawValue: e.source.visibility) ?? .public
                result = .success(try publisher.publish(Data(xml.utf8), visibility: vis, account: nil))
            } catch let error as PublishError {
                result = .failure(error)
            } catch {
                result = .failure(PublishError(500, "\(error)"))
            }
            let ok: Bool
            if case .success = result { ok = true } else { ok = false }
            let message: String?
            if case .failure(let f) = result { message = f.description } else { message = nil }
            try? record(ivoid: e.source.ivoid, available: ok, error: message)
            out.append((e.source.ivoid, result))
        }
        return out
    }
}
