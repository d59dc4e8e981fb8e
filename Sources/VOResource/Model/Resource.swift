/// A VOResource record (VOResource 1.0/1.1/1.2 with its registry extensions).
///
/// The typed fields cover what the RegTAP mapping and the publisher need. Anything the model
/// does not know (elements of unknown extension schemas, elements of future versions) is kept
/// as ``RawElement``s in document order, so nothing a record says is ever dropped, and
/// ``VOResourceWriter`` writes it back where it stood.
public struct Resource: Sendable, Equatable {
    /// The IVOA identifier (`ivo://authority/path`), whitespace-stripped.
    public var identifier: String
    /// The resource's `xsi:type`, e.g. `vs:CatalogService`.
    public var xsiType: QualifiedName?
    public var created: String?
    public var updated: String?
    /// `active`, `inactive` or `deleted`.
    public var status: String?
    /// The `version` attribute (VOResource version the record follows), if any.
    public var version: String?

    public var validationLevels: [Validation] = []
    public var title: String = ""
    public var shortName: String?
    public var altIdentifiers: [String] = []
    public var curation = Curation()
    public var content = Content()
    /// The elements after `content` (what the resource's extension type adds), in document order.
    public var parts: [ResourcePart] = []
    /// Namespace declarations in scope at the record's root (prefix → URI), used to write
    /// raw elements and `xsi:type` values back with the prefixes they were written with.
    public var namespaces: [NamespaceDeclaration] = []
    /// RegTAP `res_detail` pairs (resource-level and per capability), read at parse time.
    public var details: [Detail] = []

    public init(identifier: String) { self.identifier = identifier }

    /// The capabilities, in document order.
    public var capabilities: [Capability] {
        parts.compactMap { if case .capability(let c) = $0 { c } else { nil } }
    }
    /// The tableset, if the resource has one.
    public var tableset: Tableset? {
        for p in parts { if case .tableset(let t) = p { return t } }
        return nil
    }
    /// The coverage, if the resource has one.
    public var coverage: Coverage? {
        for p in parts { if case .coverage(let c) = p { return c } }
        return nil
    }
    /// The rights statements.
    public var rights: [Rights] {
        parts.compactMap { if case .rights(let r) = $0 { r } else { nil } }
    }
}

/// One element of a resource after its `content`: typed where the registry needs it, raw otherwise.
public enum ResourcePart: Sendable, Equatable {
    case capability(Capability)
    case tableset(Tableset)
    case coverage(Coverage)
    case rights(Rights)
    /// A `table` directly below the resource (VODataService 1.0 style, outside any schema).
    case table(Table)
    case other(RawElement)
}

/// An element kept exactly as read: its local name and its serialisation.
public struct RawElement: Sendable, Equatable {
    public var name: String
    public var xml: String
    public init(name: String, xml: String) {
        self.name = name
        self.xml = xml
    }
}

/// A namespace declaration.
public struct NamespaceDeclaration: Sendable, Equatable {
    public var prefix: String?
    public var uri: String
    public init(prefix: String?, uri: String) {
        self.prefix = prefix
        self.uri = uri
    }
}

/// A `res_detail` pair: a RegTAP xpath and its value, for the resource or one capability.
public struct Detail: Sendable, Equatable {
    /// 1-based capability index, nil for resource-level details.
    public var capabilityIndex: Int?
    public var xpath: String
    public var value: String
    public init(capabilityIndex: Int?, xpath: String, value: String) {
        self.capabilityIndex = capabilityIndex
        self.xpath = xpath
        self.value = value
    }
}

/// `vr:Validation`: a validation level and who gave it.
public struct Validation: Sendable, Equatable {
    public var level: String
    public var validatedBy: String?
    public init(level: String, validatedBy: String?) {
        self.level = level
        self.validatedBy = validatedBy
    }
}

/// `vr:ResourceName`: a name with an optional IVOA identifier.
public struct ResourceName: Sendable, Equatable {
    public var name: String
    public var ivoid: String?
    public init(name: String, ivoid: String? = nil) {
        self.name = name
        self.ivoid = ivoid
    }
}

/// `vr:Curation`.
public struct Curation: Sendable, Equatable {
    public var publisher: ResourceName?
    public var creators: [Creator] = []
    public var contributors: [ResourceName] = []
    public var dates: [DateValue] = []
    public var version: String?
    public var contacts: [Contact] = []
    public var extensions: [RawElement] = []
    public init() {}
}

/// `vr:Creator`.
public struct Creator: Sendable, Equatable {
    public var name: ResourceName
    public var logo: String?
    public var ivoid: String?
    public var altIdentifiers: [String] = []
    public init(name: ResourceName, logo: String? = nil) {
        self.name = name
        self.logo = logo
    }
}

/// `vr:Contact`.
public struct Contact: Sendable, Equatable {
    public var name: ResourceName?
    public var address: String?
    public var email: String?
    public var telephone: String?
    public var ivoid: String?
    public var altIdentifiers: [String] = []
    public init() {}
}

/// `vr:Date` with its role.
public struct DateValue: Sendable, Equatable {
    public var value: String
    public var role: String?
    public init(value: String, role: String?) {
        self.value = value
        self.role = role
    }
}

/// `vr:Content`.
public struct Content: Sendable, Equatable {
    public var subjects: [String] = []
    public var description: String = ""
    public var source: Source?
    public var referenceURL: String?
    public var types: [String] = []
    public var contentLevels: [String] = []
    public var relationships: [Relationship] = []
    public var extensions: [RawElement] = []
    public init() {}
}

/// `vr:Source`: a bibliographic reference with its format.
public struct Source: Sendable, Equatable {
    public var value: String
    public var format: String?
    public init(value: String, format: String?) {
        self.value = value
        self.format = format
    }
}

/// `vr:Relationship`.
public struct Relationship: Sendable, Equatable {
    public var type: String
    public var related: [ResourceName]
    public init(type: String, related: [ResourceName]) {
        self.type = type
        self.related = related
    }
}

/// `vr:Rights`.
public struct Rights: Sendable, Equatable {
    public var value: String
    public var rightsURI: String?
    public init(value: String, rightsURI: String?) {
        self.value = value
        self.rightsURI = rightsURI
    }
}
