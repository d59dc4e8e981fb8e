/// Namespace URIs of the standards the registry reads, and their canonical prefixes.
///
/// RegTAP stores `xsi:type` values with these canonical prefixes whatever prefix a record
/// wrote (records harvested from some registries carry generated ones such as `q1:`).
public enum XMLNamespaces {
    public static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
    public static let oai = "http://www.openarchives.org/OAI/2.0/"
    public static let oaiDC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
    public static let dc = "http://purl.org/dc/elements/1.1/"
    public static let ri = "http://www.ivoa.net/xml/RegistryInterface/v1.0"
    public static let vr = "http://www.ivoa.net/xml/VOResource/v1.0"
    public static let vs = "http://www.ivoa.net/xml/VODataService/v1.1"
    public static let vsOld = "http://www.ivoa.net/xml/VODataService/v1.0"
    public static let vg = "http://www.ivoa.net/xml/VORegistry/v1.0"
    public static let vstd = "http://www.ivoa.net/xml/StandardsRegExt/v1.0"
    public static let tr = "http://www.ivoa.net/xml/TAPRegExt/v1.0"
    public static let cs = "http://www.ivoa.net/xml/ConeSearch/v1.0"
    public static let sia = "http://www.ivoa.net/xml/SIA/v1.1"
    public static let siaOld = "http://www.ivoa.net/xml/SIA/v1.0"
    public static let ssa = "http://www.ivoa.net/xml/SSA/v1.1"
    public static let ssaOld = "http://www.ivoa.net/xml/SSA/v1.0"
    public static let slap = "http://www.ivoa.net/xml/SLAP/v1.0"
    public static let doc = "http://www.ivoa.net/xml/DocRegExt/v1"
    public static let vosiCapabilities = "http://www.ivoa.net/xml/VOSICapabilities/v1.0"
    public static let vosiTables = "http://www.ivoa.net/xml/VOSITables/v1.0"

    /// Canonical prefix → namespace (RegTAP 1.2, table of canonical prefixes; `doc` from DocRegExt).
    /// Note that RegTAP's prefix for SSA is `ssap`.
    public static let canonical: [(prefix: String, uri: String)] = [
        ("ri", ri), ("vr", vr), ("vs", vs), ("vg", vg), ("vstd", vstd), ("tr", tr),
        ("cs", cs), ("sia", sia), ("ssap", ssa), ("slap", slap), ("doc", doc),
    ]

    private static let prefixByURI: [String: String] = {
        var m: [String: String] = [:]
        for (p, u) in canonical { m[u] = p }
        m[vsOld] = "vs"
        m[siaOld] = "sia"
        m[ssaOld] = "ssap"
        m["http://www.ivoa.net/xml/SSA/v0.4"] = "ssap"
        m["http://www.ivoa.net/xml/SSA/v1.02"] = "ssap"
        m["http://www.ivoa.net/xml/SimpleImageAccess/v1.0"] = "sia"
        m["http://www.ivoa.net/xml/DocRegExt/v1.0"] = "doc"
        m["http://www.ivoa.net/xml/StandardsRegExt/v1.1"] = "vstd"
        m["http://www.ivoa.net/xml/TAPRegExt/v1.1"] = "tr"
        return m
    }()

    /// The canonical prefix for a namespace URI, nil for namespaces RegTAP does not name.
    public static func canonicalPrefix(for uri: String) -> String? {
        prefixByURI[uri]
    }
}
