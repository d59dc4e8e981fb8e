import Foundation
import RegistryStore
import VOResource

/// This registry's own records, generated from the configuration: its `vg:Registry` record
/// and one `vg:Authority` record per managed authority.
public struct RegistryIdentity: Sendable {
    public let configuration: ServerConfiguration

    public init(configuration: ServerConfiguration) {
        self.configuration = configuration
    }

    /// A generated record: its identifier and a function of its (created, updated) dates.
    public struct GeneratedRecord: Sendable {
        public var identifier: String
        let render: @Sendable (_ created: String, _ updated: String) -> String

        /// The record's XML with the given `created` and `updated` attributes.
        public func xml(created: String, updated: String) -> String { render(created, updated) }
    }

    /// The registry record first, then the authority records.
    public var records: [GeneratedRecord] {
        let c = configuration
        var out = [GeneratedRecord(identifier: c.registryIvoid) { Self.registryXML(c, created: $0, updated: $1) }]
        for a in c.managedAuthorities {
            out.append(GeneratedRecord(identifier: "ivo://" + a) { Self.authorityXML(c, authority: a, created: $0, updated: $1) })
        }
        return out
    }

    static let rootNamespaces = """
        xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0" \
        xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" \
        xmlns:vg="http://www.ivoa.net/xml/VORegistry/v1.0" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
        """

    static func curation(_ c: ServerConfiguration, publisherIvoid: String?) -> String {
        let ivoAttr = publisherIvoid.map { " ivo-id=\"\(esc($0))\"" } ?? ""
        return """
              <curation>
                <publisher\(ivoAttr)>\(esc(c.publisher))</publisher>
                <contact>
                  <name>\(esc(c.contactName))</name>
                  <email>\(esc(c.contactEmail))</email>
                </contact>
              </curation>
            """
    }

    /// The `vg:Registry` record: a full registry (it serves harvested records too) with an
    /// OAI-PMH harvesting capability at `<baseURL>/oai`.
    public static func registryXML(_ c: ServerConfiguration, created: String, updated: String) -> String {
        let managed = c.managedAuthorities.map { "  <managedAuthority>\(esc($0))</managedAuthority>\n" }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <ri:Resource \(rootNamespaces) xsi:type="vg:Registry" created="\(created)" updated="\(updated)" status="active">
              <title>\(esc(c.title))</title>
              <identifier>\(esc(c.registryIvoid))</identifier>
            \(curation(c, publisherIvoid: nil))
              <content>
                <subject>Virtual observatories</subject>
                <description>\(esc(c.description))</description>
                <referenceURL>\(esc(c.referenceURL))</referenceURL>
                <type>Registry</type>
              </content>
              <capability xsi:type="vg:Harvest" standardID="ivo://ivoa.net/std/Registry">
                <interface xsi:type="vg:OAIHTTP" role="std">
                  <accessURL use="base">\(esc(c.oaiURL))</accessURL>
                </interface>
                <maxRecords>\(c.pageSize)</maxRecords>
              </capability>
              <full>true</full>
            \(managed)</ri:Resource>

            """
    }

    /// The `vg:Authority` record of a managed authority; its managing organisation is the publisher.
    public static func authorityXML(_ c: ServerConfiguration, authority: String, created: String, updated: String)
        -> String
    {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ri:Resource \(rootNamespaces) xsi:type="vg:Authority" created="\(created)" updated="\(updated)" status="active">
          <title>The \(esc(authority)) naming authority</title>
          <identifier>ivo://\(esc(authority))</identifier>
        \(curation(c, publisherIvoid: c.registryIvoid))
          <content>
            <subject>Virtual observatories</subject>
            <description>The naming authority \(esc(authority)): records with identifiers under ivo://\(esc(authority)) are published by the registry \(esc(c.registryIvoid)).</description>
            <referenceURL>\(esc(c.referenceURL))</referenceURL>
          </content>
          <managingOrg>\(esc(c.publisher))</managingOrg>
        </ri:Resource>

        """
    }

    /// Escapes text for element content and double-quoted attributes.
    static func esc(_ s: String) -> String { XMLEscaping.escape(s, attribute: true) }

    /// What publishing the generated records did.
    public struct PublishResult: Sendable {
        /// The registry record as stored (for Identify's description).
        public var registryXML: String
        /// Outcome per generated record, in `records` order.
        public var outcomes: [(identifier: String, outcome: IngestOutcome)]
    }

    /// Upserts the generated records (origin local, public). A record whose content is
    /// unchanged keeps its `created`/`updated` dates and its OAI datestamp; a changed one keeps
    /// `created` and gets `updated` = now.
    public func publish(to store: RegistryStore, now: Int64 = RegistryStore.now()) throws -> PublishResult {
        let nowText = Self.isoDate(now)
        var items: [IngestItem] = []
        var registryXML = ""
        for g in records {
            let old = try store.record(identifier: g.identifier)
            let oldDates = old.flatMap { $0.xml }.flatMap(Self.dates(ofRecordXML:))
            let created = oldDates?.created ?? nowText
            var prepared = try Self.prepare(g.xml(created: created, updated: oldDates?.updated ?? nowText))
            let same =
                old.map {
                    $0.xml == prepared.xml && $0.origin == .local && $0.visibility == .public && $0.status == .active
                } ?? false
            if !same && old != nil {
                prepared = try Self.prepare(g.xml(created: created, updated: nowText))
            }
            if g.identifier == configuration.registryIvoid { registryXML = prepared.xml }
            items.append(.record(prepared))
        }
        let outcomes = try store.ingest(items, datestamp: now)
        for (g, o) in zip(records, outcomes) {
            if case .rejected(let why) = o {
                throw ConfigurationError("the generated record \(g.identifier) was rejected by the store: \(why)")
            }
        }
        return PublishResult(registryXML: registryXML, outcomes: zip(records, outcomes).map { ($0.identifier, $1) })
    }

    static func prepare(_ xml: String) throws -> PreparedRecord {
        let doc = try RecordReader.read(data: Data(xml.utf8))
        guard doc.entries.count == 1, case .resource(let parsed) = doc.entries[0] else {
            throw ConfigurationError("a generated record could not be read back (check the configured texts)")
        }
        return PreparedRecord(parsed, origin: .local, visibility: .public)
    }

    /// The `created` and `updated` attributes of a stored record.
    static func dates(ofRecordXML xml: String) -> (created: String, updated: String)? {
        guard let doc = try? RecordReader.read(data: Data(xml.utf8)), doc.entries.count == 1,
            case .resource(let parsed) = doc.entries[0], let c = parsed.resource.created, let u = parsed.resource.updated
        else { return nil }
        return (c, u)
    }

    /// `YYYY-MM-DDThh:mm:ssZ`.
    static func isoDate(_ seconds: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
