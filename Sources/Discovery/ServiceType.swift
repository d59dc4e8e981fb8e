/// The kinds of service a person filters by, named as the VO names them, each recognised by
/// the `standardID` prefixes of its capabilities (compared lower-cased, as RegTAP stores them).
public enum ServiceType: String, Sendable, CaseIterable, Codable {
    case tap, sia, ssa, scs, slap, datalink, soda, hips, vospace, uws, registry

    /// Lower-cased standardID prefixes of the capabilities that offer this service.
    public var standardPrefixes: [String] {
        switch self {
        case .tap: ["ivo://ivoa.net/std/tap"]
        case .sia: ["ivo://ivoa.net/std/sia"]
        case .ssa: ["ivo://ivoa.net/std/ssa"]
        case .scs: ["ivo://ivoa.net/std/conesearch"]
        case .slap: ["ivo://ivoa.net/std/slap"]
        case .datalink: ["ivo://ivoa.net/std/datalink"]
        case .soda: ["ivo://ivoa.net/std/soda"]
        case .hips: ["ivo://ivoa.net/std/hips"]
        case .vospace: ["ivo://ivoa.net/std/vospace"]
        case .uws: ["ivo://ivoa.net/std/uws"]
        case .registry: ["ivo://ivoa.net/std/registry"]
        }
    }

    /// A person's label for the type.
    public var label: String {
        switch self {
        case .tap: "TAP (table access)"
        case .sia: "SIA (images)"
        case .ssa: "SSA (spectra)"
        case .scs: "Cone search"
        case .slap: "SLAP (spectral lines)"
        case .datalink: "DataLink"
        case .soda: "SODA (cutouts)"
        case .hips: "HiPS"
        case .vospace: "VOSpace"
        case .uws: "UWS (jobs)"
        case .registry: "Registry (OAI-PMH)"
        }
    }

    /// The service type of a capability's standardID, if it is one of these.
    public init?(standardID: String?) {
        guard let s = standardID?.lowercased(), !s.isEmpty else { return nil }
        guard let t = Self.allCases.first(where: { t in t.standardPrefixes.contains { s.hasPrefix($0) } }) else {
            return nil
        }
        self = t
    }

    /// A word typed in a query that names a service type (`tap`, `cone`, `siap`, `ssap`…).
    public static func fromQueryWord(_ w: String) -> ServiceType? {
        switch w {
        case "tap", "adql": .tap
        case "sia", "siap", "sia2": .sia
        case "ssa", "ssap": .ssa
        case "scs", "cone", "conesearch": .scs
        case "slap": .slap
        case "datalink": .datalink
        case "soda": .soda
        case "hips": .hips
        case "vospace": .vospace
        default: nil
        }
    }
}
