import Foundation
import VOResource

/// A ListRecords response page as a harvester sees it (OAI-PMH 2.0 §3.6, §4.5).
public enum OAIHarvestResponse: Sendable {
    /// Records (and deleted headers) with the resumption token: nil or empty on the last page.
    case records([RecordEntry], resumptionToken: String?)
    /// `noRecordsMatch`: a normal, empty answer.
    case noRecordsMatch
    /// Any other OAI-PMH error.
    case error(code: String, message: String)

    /// Classifies a response body.
    /// - Parameters:
    ///   - data: the body as received (after content decoding).
    ///   - name: used in messages (the request URL).
    ///   - limits: XML safety limits; a page over `maxDocumentBytes` is refused.
    /// - Throws: ``XMLError`` when the body is not a well-formed OAI-PMH response.
    ///   - validator: when given, every record is validated against the schemas too (invalid
    ///     ones are stored but not re-exported over OAI-PMH).
    public static func classify(
        _ data: Data, name: String, limits: XMLLimits = .default, validator: SchemaValidator? = nil
    ) throws(XMLError) -> OAIHarvestResponse {
        let doc = try RecordReader.read(data: data, name: name, limits: limits, validator: validator)
        guard doc.kind == .oaiPMH else { throw XMLError("\(name): not an OAI-PMH response (\(doc.kind.rawValue))") }
        if let e = doc.oaiError {
            return e.code == "noRecordsMatch" ? .noRecordsMatch : .error(code: e.code, message: e.message.xmlTrimmed)
        }
        let token = doc.resumptionToken.flatMap { $0.isEmpty ? nil : $0 }
        return .records(doc.entries, resumptionToken: token)
    }
}

/// What an Identify response says that a harvester needs.
public struct OAIIdentifyInfo: Sendable, Equatable {
    /// The datestamp granularity the repository supports.
    public var granularity: OAIDate.Granularity
    /// The IVOA identifier of the registry (from the vg:Registry record in `description`).
    public var registryIvoid: String?
    /// The authorities that registry manages (its `managedAuthority` elements).
    public var managedAuthorities: [String]

    public init(granularity: OAIDate.Granularity, registryIvoid: String?, managedAuthorities: [String]) {
        self.granularity = granularity
        self.registryIvoid = registryIvoid
        self.managedAuthorities = managedAuthorities
    }

    /// Reads an Identify response (Registry Interfaces 1.1 §3.1.2: its `description` carries
    /// the registry's vg:Registry record).
    /// - Throws: ``XMLError`` when the body is not a well-formed Identify response.
    public static func parse(_ data: Data, name: String, limits: XMLLimits = .default) throws(XMLError)
        -> OAIIdentifyInfo
    {
        let doc = try XMLDocument(data: data, url: name, limits: limits)
        guard let root = doc.root, root.name == "OAI-PMH", root.namespace == XMLNamespaces.oai else {
            throw XMLError("\(name): not an OAI-PMH response")
        }
        if let e = root.child(named: "error") {
            throw XMLError("\(name): Identify answered \(e.attribute("code") ?? "?"): \(e.text.xmlTrimmed)")
        }
        guard let identify = root.child(named: "Identify") else { throw XMLError("\(name): no Identify element") }
        let g = identify.child(named: "granularity")?.text.xmlTrimmed ?? ""
        var info = OAIIdentifyInfo(
            granularity: g.count > 10 ? .seconds : .day, registryIvoid: nil, managedAuthorities: [])
        for description in identify.children(named: "description") {
            for payload in description.children where payload.name == "Resource" {
                guard let r = try? VOResourceReader.read(payload) else { continue }
                guard r.xsiType?.local == "Registry" else { continue }
                info.registryIvoid = r.identifier.xmlTrimmed
                info.managedAuthorities = r.details.filter { $0.xpath == "/managedAuthority" }.map {
                    $0.value.xmlTrimmed
                }
                return info
            }
        }
        return info
    }
}
