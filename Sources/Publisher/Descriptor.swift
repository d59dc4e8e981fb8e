public import Foundation
import VOResource
import Yams

/// A short service descriptor (YAML or JSON) that `voreg publish` expands into a complete,
/// schema-valid VOResource record:
///
/// ```yaml
/// identifier: ivo://example.org/tap
/// title: Example TAP service
/// description: Tables of the example survey.
/// publisher: Example Data Center
/// contact: {name: User support, email: support@example.org}
/// subjects: [Sky surveys]
/// visibility: public            # or internal
/// capabilities:
///   - {standard: tap, url: "https://example.org/tap", description: "the TAP endpoint"}
/// ```
public struct ServiceDescriptor: Codable, Sendable, Equatable {
    public var identifier: String
    public var title: String
    public var shortName: String?
    public var description: String
    public var publisher: String
    public var contact: Contact?
    public var subjects: [String]?
    public var visibility: String?
    public var referenceURL: String?
    public var created: String?
    public var capabilities: [CapabilityEntry]

    public struct Contact: Codable, Sendable, Equatable {
        public var name: String?
        public var email: String?
        public var telephone: String?

        public init(name: String?, email: String?, telephone: String? = nil) {
            self.name = name
            self.email = email
            self.telephone = telephone
        }

        /// A plain string is an email address when it holds `@`, a name otherwise.
        public init(from decoder: any Decoder) throws {
            if let s = try? decoder.singleValueContainer().decode(String.self) {
                if s.contains("@") { email = s } else { name = s }
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            email = try c.decodeIfPresent(String.self, forKey: .email)
            telephone = try c.decodeIfPresent(String.self, forKey: .telephone)
        }
    }

    public struct CapabilityEntry: Codable, Sendable, Equatable {
        /// tap, sia, sia2, ssa, scs, uws, vospace, or a standardID URI.
        public var standard: String
        public var url: String
        public var description: String?
        /// Service limits for the typed capabilities (defaults are stated in the README).
        public var maxRecords: Int?
        public var maxSR: Double?
    }

    /// Reads a descriptor from YAML or JSON text (JSON is YAML).
    public static func parse(_ text: String) throws(PublishError) -> ServiceDescriptor {
        do {
            return try YAMLDecoder().decode(ServiceDescriptor.self, from: text)
        } catch let e as DecodingError {
            throw PublishError(400, "the descriptor is not valid: \(Self.describe(e))")
        } catch {
            throw PublishError(400, "the descriptor cannot be read: \(error)")
        }
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ c: [any CodingKey]) -> String { c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch e {
        case .keyNotFound(let k, let ctx): return "missing key \(path(ctx.codingPath + [k]))"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            return "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "\(e)"
        }
    }

    /// Whether a path names a descriptor (by its extension) rather than an XML record.
    public static func isDescriptorPath(_ path: String) -> Bool {
        ["yaml", "yml", "json"].contains((path as NSString).pathExtension.lowercased())
    }
}

/// The standards a descriptor names by keyword: standardID, capability xsi:type, interface
/// version.
enum KnownStandard: String, CaseIterable {
    case tap, sia, sia2, ssa, scs, uws, vospace

    var standardID: String {
        switch self {
        case .tap: "ivo://ivoa.net/std/TAP"
        case .sia: "ivo://ivoa.net/std/SIA"
        case .sia2: "ivo://ivoa.net/std/SIA#query-2.0"
        case .ssa: "ivo://ivoa.net/std/SSA"
        case .scs: "ivo://ivoa.net/std/ConeSearch"
        case .uws: "ivo://ivoa.net/std/UWS"
        case .vospace: "ivo://ivoa.net/std/VOSpace/v2.0"
        }
    }

    var interfaceVersion: String? {
        switch self {
        case .tap: "1.1"
        case .sia: "1.0"
        case .sia2: "2.0"
        case .ssa: "1.1"
        case .scs: "1.03"
        case .uws: "1.1"
        case .vospace: "2.0"
        }
    }

    /// A data service (its resource is at least a vs:DataService).
    var isDataAccess: Bool { [.tap, .sia, .sia2, .ssa, .scs].contains(self) }
}

extension ServiceDescriptor {
    /// The complete record. Without `dates`, `created`/`updated` are left out (unless the
    /// descriptor gives `created`) for the publisher to set: then publishing the same
    /// descriptor again changes nothing.
    public func expand(now: Date = Date(), dates: Bool = true) throws(PublishError) -> String {
        func h(_ s: String) -> String { XMLEscaping.escape(s, attribute: true) }
        let id = identifier.trimmingCharacters(in: .whitespaces)
        guard PublisherAccount.authority(of: id) != nil else {
            throw PublishError(400, "identifier \(id) is not an IVOA identifier (ivo://authority/path)")
        }
        // The record must carry exactly this identifier: a character XML cannot hold would be
        // written as U+FFFD (another identifier), and whitespace is stripped by readers.
        if let bad = id.unicodeScalars.first(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace || $0.value == 0xFFFE || $0.value == 0xFFFF }) {
            throw PublishError(
                400, "identifier \(id.debugDescription) contains U+\(String(bad.value, radix: 16, uppercase: true)), which an IVOA identifier cannot hold")
        }
        guard !capabilities.isEmpty else { throw PublishError(400, "the descriptor lists no capabilities") }
        if let v = visibility, v != "public", v != "internal" {
            throw PublishError(400, "visibility must be public or internal, not \(v)")
        }
        var known: [KnownStandard?] = []
        for c in capabilities {
            let key = c.standard.trimmingCharacters(in: .whitespaces)
            if let k = KnownStandard(rawValue: key.lowercased()) {
                known.append(k)
            } else if key.contains("://") {
                known.append(nil)
            } else {
                throw PublishError(
                    400,
                    "capability standard \(key) is not one of \(KnownStandard.allCases.map(\.rawValue).joined(separator: ", ")) or a standardID URI")
            }
            guard let u = URL(string: c.url), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
                throw PublishError(400, "capability url \(c.url) is not an http(s) URL")
            }
        }
        let kinds = known.compactMap { $0 }
        let resType =
            kinds.contains(.tap) ? "vs:CatalogService" : kinds.contains(where: \.isDataAccess) ? "vs:DataService" : "vr:Service"
        let stamp = RecordPublisher.timestamp(now)
        var dateAttributes = ""
        if let created { dateAttributes += " created=\"\(h(created))\"" } else if dates { dateAttributes += " created=\"\(stamp)\"" }
        if dates { dateAttributes += " updated=\"\(stamp)\"" }
        var x = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ri:Resource xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0" \
            xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" \
            xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0" xmlns:sia="http://www.ivoa.net/xml/SIA/v1.1" \
            xmlns:ssa="http://www.ivoa.net/xml/SSA/v1.1" xmlns:cs="http://www.ivoa.net/xml/ConeSearch/v1.0" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="\(resType)"\(dateAttributes) status="active">
              <title>\(h(title))</title>

            """
        if let s = shortName { x += "  <shortName>\(h(s))</shortName>\n" }
        x += "  <identifier>\(h(id))</identifier>\n  <curation>\n    <publisher>\(h(publisher))</publisher>\n"
        // VOResource requires a contact with a name: the publisher's when none is given.
        let c = contact ?? Contact(name: nil, email: nil)
        x += "    <contact>\n      <name>\(h(c.name ?? publisher))</name>\n"
        if let e = c.email { x += "      <email>\(h(e))</email>\n" }
        if let t = c.telephone { x += "      <telephone>\(h(t))</telephone>\n" }
        x += "    </contact>\n"
        x += "  </curation>\n  <content>\n"
        let subs = subjects ?? []
        for s in subs { x += "    <subject>\(h(s))</subject>\n" }
        if subs.isEmpty { x += "    <subject>Virtual observatory</subject>\n" }
        x += "    <description>\(h(description))</description>\n"
        x += "    <referenceURL>\(h(referenceURL ?? capabilities[0].url))</referenceURL>\n  </content>\n"
        for (c, k) in zip(capabilities, known) {
            x += capabilityXML(c, k, h)
        }
        x += "</ri:Resource>\n"
        return x
    }

    func capabilityXML(_ c: CapabilityEntry, _ k: KnownStandard?, _ h: (String) -> String) -> String {
        let sid = k?.standardID ?? c.standard.trimmingCharacters(in: .whitespaces)
        let type: String? =
            switch k {
            case .tap: "tr:TableAccess"
            case .sia: "sia:SimpleImageAccess"
            case .ssa: "ssa:SimpleSpectralAccess"
            case .scs: "cs:ConeSearch"
            default: nil
            }
        var x = "  <capability standardID=\"\(h(sid))\"\(type.map { " xsi:type=\"\($0)\"" } ?? "")>\n"
        if let d = c.description { x += "    <description>\(h(d))</description>\n" }
        let version = k?.interfaceVersion.map { " version=\"\($0)\"" } ?? ""
        let role = k == nil ? "" : " role=\"std\""
        x += "    <interface xsi:type=\"vs:ParamHTTP\"\(role)\(version)>\n"
        x += "      <accessURL use=\"base\">\(h(c.url))</accessURL>\n"
        if let k, [.sia, .ssa, .scs, .sia2].contains(k) {
            x += "      <queryType>GET</queryType>\n      <resultType>application/x-votable+xml</resultType>\n"
        }
        x += "    </interface>\n"
        let maxRecords = max(1, c.maxRecords ?? 10000)
        switch k {
        case .tap:
            x += """
                    <language>
                      <name>ADQL</name>
                      <version ivo-id="ivo://ivoa.net/std/ADQL#v2.0">2.0</version>
                    </language>
                    <outputFormat ivo-id="ivo://ivoa.net/std/TAPRegExt#output-votable-td">
                      <mime>application/x-votable+xml</mime>
                      <alias>votable</alias>
                    </outputFormat>

                """
        case .sia:
            x += """
                    <imageServiceType>Pointed</imageServiceType>
                    <maxQueryRegionSize><long>360</long><lat>180</lat></maxQueryRegionSize>
                    <maxImageExtent><long>360</long><lat>180</lat></maxImageExtent>
                    <maxImageSize>100000</maxImageSize>
                    <maxFileSize>2000000000</maxFileSize>
                    <maxRecords>\(maxRecords)</maxRecords>

                """
        case .ssa:
            x += """
                    <complianceLevel>query</complianceLevel>
                    <dataSource>pointed</dataSource>
                    <creationType>archival</creationType>
                    <supportedFrame>ICRS</supportedFrame>
                    <maxSearchRadius>180</maxSearchRadius>
                    <maxRecords>\(maxRecords)</maxRecords>
                    <defaultMaxRecords>\(min(1000, maxRecords))</defaultMaxRecords>
                    <maxAperture>180</maxAperture>
                    <maxFileSize>2000000000</maxFileSize>

                """
        case .scs:
            x += """
                    <maxSR>\(c.maxSR ?? 180)</maxSR>
                    <maxRecords>\(maxRecords)</maxRecords>
                    <verbosity>false</verbosity>

                """
        default: break
        }
        x += "  </capability>\n"
        return x
    }
}
