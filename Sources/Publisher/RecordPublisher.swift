public import Foundation
import GRDB
public import RegistryStore
public import VOResource

/// One problem in a record, at a line (0 when unknown).
public struct PublishIssue: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
    public var description: String { "line \(line): \(message)" }
}

/// Why a record was not published: an HTTP status, a message, and schema errors with lines.
public struct PublishError: Error, CustomStringConvertible, Sendable, Equatable {
    public var status: Int
    public var message: String
    public var issues: [PublishIssue]

    public init(_ status: Int, _ message: String, issues: [PublishIssue] = []) {
        self.status = status
        self.message = message
        self.issues = issues
    }

    public var description: String {
        ([message] + issues.map(\.description)).joined(separator: "\n")
    }
}

/// What publishing did.
public struct PublishOutcome: Sendable, Equatable, Codable {
    public var identifier: String
    /// `stored` (new or changed: the OAI datestamp moved), `unchanged`, or `deleted`.
    public var outcome: String
    public var visibility: String
    public var created: String?
    public var updated: String?
}

/// The publishing rules, shared by `PUT /api/records/{ivoid}`, `voreg publish` and the VOSI
/// publisher: one bare VOResource record, schema-valid, its identifier under an authority the
/// account owns, `created`/`updated` set when missing and checked when present; written
/// through `RegistryStore.ingest` with origin local, so the datestamp moves only when the
/// content changes.
public struct RecordPublisher: Sendable {
    public let store: RegistryStore
    public let validator: SchemaValidator?
    public static let maxBytes = 4 << 20

    public init(store: RegistryStore, validator: SchemaValidator?) {
        self.store = store
        self.validator = validator
    }

    /// Publishes a record document.
    /// - Parameters:
    ///   - account: the publishing account (nil: the local operator, who may publish anything).
    ///   - expectedIdentifier: the identifier named in the URL, which the record must carry.
    public func publish(
        _ data: Data, visibility: Visibility = .public, account: PublisherAccount?, expectedIdentifier: String? = nil,
        now: Date = Date()
    ) throws(PublishError) -> PublishOutcome {
        guard let validator else { throw PublishError(503, "the schemas are not available: cannot validate records") }
        guard data.count <= Self.maxBytes else { throw PublishError(413, "the record is over \(Self.maxBytes) bytes") }
        // The bytes as sent go to the hardened parser first (it refuses bytes that are not
        // UTF-8, naming the line); only then is the text taken, and only as strict UTF-8.
        let first = try Self.parse(data, validator: nil)
        guard var text = String(data: data, encoding: .utf8) else {
            throw PublishError(400, "the record is not UTF-8 encoded; publish records in UTF-8")
        }
        let resource = first.resource
        let id = resource.identifier.trimmingCharacters(in: .whitespacesAndNewlines)
        guard PublisherAccount.authority(of: id) != nil else {
            throw PublishError(400, "the record's identifier \(id) is not an IVOA identifier (ivo://authority/path)")
        }
        if let expectedIdentifier, expectedIdentifier.lowercased() != id.lowercased() {
            throw PublishError(400, "the record's identifier \(id) is not the one in the URL, \(expectedIdentifier)")
        }
        if let account, !account.owns(id) {
            throw PublishError(
                403, "account \(account.name) may not publish \(id): its authorities are \(account.authorities.joined(separator: ", "))")
        }
        let existing: StoredRecord?
        do { existing = try store.record(identifier: id) } catch { throw PublishError(500, "store error: \(error)") }
        if let existing, existing.origin != .local {
            throw PublishError(409, "\(id) is a record harvested from \(existing.origin.storedValue); it cannot be published here")
        }
        if let existing, existing.status != .deleted, existing.visibility == .public, visibility == .internal {
            // OAI-PMH would drop it without a deleted header, and harvesters would keep a copy.
            throw PublishError(
                409,
                "\(id) is public: DELETE it first (harvesters then see it deleted), then publish it as internal")
        }
        let stamp = Self.timestamp(now)
        let old = existing.flatMap { $0.status == .deleted ? nil : $0 }
        let oldCreated = old.flatMap { $0.xml }.flatMap { try? Self.parse(Data($0.utf8), validator: nil).resource.created }
        let oldUpdated = old.flatMap { $0.xml }.flatMap { try? Self.parse(Data($0.utf8), validator: nil).resource.updated }
        var added: [(String, String)] = []
        if resource.created?.isEmpty ?? true { added.append(("created", oldCreated ?? stamp)) }
        let missingUpdated = resource.updated?.isEmpty ?? true
        var parsed: ParsedRecord
        if missingUpdated, let oldUpdated {
            // Without an `updated`, the stored one is kept when nothing else changed.
            let candidate = Self.addAttributes(text, added + [("updated", oldUpdated)])
            let p = try Self.parse(Data(candidate.utf8), validator: validator)
            if PreparedRecord(p, origin: .local, visibility: visibility).contentHash == old?.contentHash {
                text = candidate
                parsed = p
            } else {
                text = Self.addAttributes(text, added + [("updated", stamp)])
                parsed = try Self.parse(Data(text.utf8), validator: validator)
            }
        } else {
            if missingUpdated { added.append(("updated", stamp)) }
            if !added.isEmpty { text = Self.addAttributes(text, added) }
            parsed = try Self.parse(Data(text.utf8), validator: validator)
        }
        try Self.checkDates(parsed.resource, now: now)
        if let issues = parsed.schemaIssues, !issues.isEmpty {
            throw PublishError(
                422, "the record is not valid against the VOResource schemas",
                issues: issues.map { PublishIssue(line: $0.line, message: $0.message) })
        }
        let outcome: [IngestOutcome]
        do {
            outcome = try store.ingest([.record(PreparedRecord(parsed, origin: .local, visibility: visibility))])
        } catch { throw PublishError(500, "store error: \(error)") }
        let word: String
        switch outcome.first {
        case .stored?: word = "stored"
        case .deleted?: word = "deleted"
        case .rejected(let why)?: throw PublishError(500, why)
        default: word = "unchanged"
        }
        return PublishOutcome(
            identifier: id, outcome: word, visibility: visibility.rawValue, created: parsed.resource.created,
            updated: parsed.resource.updated)
    }

    /// Deletes a local record: it becomes a tombstone that OAI-PMH serves as deleted.
    public func delete(identifier id: String, account: PublisherAccount?) throws(PublishError) -> PublishOutcome {
        if let account, !account.owns(id) {
            throw PublishError(403, "account \(account.name) may not delete \(id): it is not under its authorities")
        }
        let existing: StoredRecord?
        do { existing = try store.record(identifier: id) } catch { throw PublishError(500, "store error: \(error)") }
        guard let existing, existing.status != .deleted else { throw PublishError(404, "no record \(id)") }
        guard existing.origin == .local else {
            throw PublishError(409, "\(id) is a record harvested from \(existing.origin.storedValue); it cannot be deleted here")
        }
        do {
            _ = try store.ingest([.deleted(identifier: existing.identifier, origin: .local)])
            // A record built from VOSI documents is no longer kept fresh once deleted.
            try store.pool.write { db in
                try db.execute(sql: "DELETE FROM publisher_vosi_sources WHERE lower(ivoid) = ?", arguments: [id.lowercased()])
            }
        } catch { throw PublishError(500, "store error: \(error)") }
        return PublishOutcome(
            identifier: existing.identifier, outcome: "deleted", visibility: existing.visibility.rawValue, created: nil,
            updated: nil)
    }

    /// A stored record for `GET`: nil when absent or not visible to the caller.
    public func record(identifier id: String, includeInternal: Bool) throws -> StoredRecord? {
        guard let r = try store.record(identifier: id) else { return nil }
        if r.visibility == .internal && !includeInternal { return nil }
        return r
    }

    static func parse(_ data: Data, validator: SchemaValidator?) throws(PublishError) -> ParsedRecord {
        let doc: RecordDocument
        do {
            doc = try RecordReader.read(data: data, name: "record", validator: validator)
        } catch {
            throw PublishError(400, "the document cannot be read", issues: [PublishIssue(line: error.line ?? 0, message: error.message)])
        }
        guard doc.kind == .resource, doc.entries.count == 1 else {
            throw PublishError(400, "publish one bare VOResource record (root element ri:Resource)")
        }
        switch doc.entries[0] {
        case .resource(let p): return p
        case .rejected(_, _, let error): throw PublishError(400, "the record cannot be read: \(error)")
        case .deleted: throw PublishError(400, "publish one bare VOResource record (root element ri:Resource)")
        }
    }

    static func checkDates(_ r: Resource, now: Date) throws(PublishError) {
        guard let created = r.created.flatMap(parseDate) else {
            throw PublishError(422, "created (\(r.created ?? "")) is not a UTC date-time such as 2026-01-31T12:00:00Z")
        }
        guard let updated = r.updated.flatMap(parseDate) else {
            throw PublishError(422, "updated (\(r.updated ?? "")) is not a UTC date-time such as 2026-01-31T12:00:00Z")
        }
        if created > now.addingTimeInterval(86400) { throw PublishError(422, "created (\(r.created!)) lies in the future") }
        if updated < created { throw PublishError(422, "updated (\(r.updated!)) is before created (\(r.created!))") }
    }

    static func parseDate(_ s: String) -> Date? {
        let t = s.trimmingCharacters(in: .whitespaces)
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        for options in [ISO8601DateFormatter.Options.withInternetDateTime, [.withInternetDateTime, .withFractionalSeconds]] {
            f.formatOptions = options
            if let d = f.date(from: t) ?? f.date(from: t + "Z") { return d }
        }
        f.formatOptions = [.withFullDate]
        return f.date(from: t)
    }

    public static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }

    /// Adds attributes to the root element's start tag (after its name); attributes already
    /// present but empty are replaced.
    static func addAttributes(_ xml: String, _ attrs: [(String, String)]) -> String {
        var s = Substring(xml)
        var prefix = ""
        while true {
            let trimmed = s.drop { $0.isWhitespace }
            prefix += s[s.startIndex..<trimmed.startIndex]
            s = trimmed
            if s.hasPrefix("<?"), let end = s.range(of: "?>") {
                prefix += s[s.startIndex..<end.upperBound]
                s = s[end.upperBound...]
            } else if s.hasPrefix("<!--"), let end = s.range(of: "-->") {
                prefix += s[s.startIndex..<end.upperBound]
                s = s[end.upperBound...]
            } else {
                break
            }
        }
        guard s.hasPrefix("<") else { return xml }
        let nameEnd = s.dropFirst().firstIndex { $0.isWhitespace || $0 == ">" || $0 == "/" } ?? s.endIndex
        var insert = ""
        var rest = String(s[nameEnd...])
        for (name, value) in attrs {
            // An empty attribute of that name would be a duplicate: drop it first.
            for q in ["\"", "'"] { rest = rest.replacingOccurrences(of: " \(name)=\(q)\(q)", with: "") }
            insert += " \(name)=\"\(XMLEscaping.escape(value, attribute: true))\""
        }
        return prefix + String(s[s.startIndex..<nameEnd]) + insert + rest
    }
}
