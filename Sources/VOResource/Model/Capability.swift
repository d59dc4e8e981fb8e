/// `vr:Capability` and its extensions (TAPRegExt, SimpleDALRegExt, VORegistry, ...).
///
/// The base content is typed; what an extension type adds after the interfaces is kept raw
/// (its values reach RegTAP through ``Resource/details``).
public struct Capability: Sendable, Equatable {
    public var xsiType: QualifiedName?
    public var standardID: String?
    public var validationLevels: [Validation] = []
    public var description: String?
    public var interfaces: [Interface] = []
    /// The extension type's own elements, in document order.
    public var extensions: [RawElement] = []

    public init(standardID: String?, xsiType: QualifiedName? = nil) {
        self.standardID = standardID
        self.xsiType = xsiType
    }
}

/// `vr:Interface` and its extensions (`vs:ParamHTTP`, `vr:WebBrowser`, `vr:WebService`, `vg:OAIHTTP`, ...).
public struct Interface: Sendable, Equatable {
    public var xsiType: QualifiedName?
    public var role: String?
    public var version: String?
    public var accessURLs: [AccessURL] = []
    public var mirrorURLs: [MirrorURL] = []
    /// `securityMethod/@standardID` values (nil for a securityMethod without one: anonymous).
    public var securityMethods: [String?] = []
    public var testQueryString: String?
    /// `vr:WebService` WSDL URLs.
    public var wsdlURLs: [String] = []
    /// `vs:ParamHTTP` content.
    public var queryTypes: [String] = []
    public var resultType: String?
    public var params: [Param] = []
    public var testQueries: [RawElement] = []
    /// Elements of unknown interface types, in document order.
    public var extensions: [RawElement] = []

    public init(xsiType: QualifiedName?, role: String? = nil) {
        self.xsiType = xsiType
        self.role = role
    }
}

/// `vr:AccessURL`.
public struct AccessURL: Sendable, Equatable {
    public var url: String
    public var use: String?
    public init(url: String, use: String?) {
        self.url = url
        self.use = use
    }
}

/// `vr:MirrorURL`.
public struct MirrorURL: Sendable, Equatable {
    public var url: String
    public var title: String?
    public init(url: String, title: String?) {
        self.url = url
        self.title = title
    }
}
