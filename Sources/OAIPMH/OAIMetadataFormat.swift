/// The metadata formats this repository disseminates.
public enum OAIMetadataFormat: String, Sendable, CaseIterable {
    /// VOResource records as stored (Registry Interfaces 1.1).
    case ivoVOR = "ivo_vor"
    /// Unqualified Dublin Core derived from the record (required by OAI-PMH).
    case oaiDC = "oai_dc"

    /// The XML schema of the format.
    public var schema: String {
        switch self {
        case .ivoVOR: "http://www.ivoa.net/xml/RegistryInterface/RegistryInterface-v1.0.xsd"
        case .oaiDC: "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
        }
    }

    /// The namespace of the format's root element.
    public var namespace: String {
        switch self {
        case .ivoVOR: "http://www.ivoa.net/xml/RegistryInterface/v1.0"
        case .oaiDC: "http://www.openarchives.org/OAI/2.0/oai_dc/"
        }
    }
}

/// The set of records whose authority this registry manages (Registry Interfaces 1.1).
public enum OAISets {
    /// The setSpec.
    public static let managed = "ivo_managed"
    /// The setName ListSets gives it.
    public static let managedName = "Resources whose authority is managed by this registry"
}
