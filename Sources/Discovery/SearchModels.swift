import Foundation

/// A search as the API and the web page receive it, validated.
public struct SearchRequest: Sendable, Equatable {
    public var q: String = ""
    public var serviceType: ServiceType?
    public var waveband: String?
    public var authority: String?
    public var type: String?
    public var page: Int = 1
    public var pageSize: Int = 20

    public static let maxPageSize = 100
    public static let maxPage = 10_000

    public init() {}

    /// Reads request parameters (`q`, `servicetype`, `waveband`, `authority`, `type`, `page`,
    /// `pagesize`); empty values mean "not given".
    /// - Throws: `DiscoveryError.badRequest` with a message a person can act on.
    public init(parameters: [(name: String, value: String)]) throws {
        for (name, raw) in parameters {
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            switch name {
            case "q":
                guard value.count <= SearchQuery.maxLength else {
                    throw DiscoveryError.badRequest("q is longer than \(SearchQuery.maxLength) characters")
                }
                q = value
            case "servicetype":
                if value.isEmpty { continue }
                guard let t = ServiceType(rawValue: value.lowercased()) else {
                    throw DiscoveryError.badRequest(
                        "unknown servicetype '\(value.prefix(40))'; use one of "
                            + ServiceType.allCases.map(\.rawValue).joined(separator: ", "))
                }
                serviceType = t
            case "waveband": waveband = value.isEmpty ? nil : value.lowercased()
            case "authority":
                authority = value.isEmpty ? nil : CatalogEntry.authority(of: value.lowercased())
            case "type": type = value.isEmpty ? nil : value.lowercased()
            case "page":
                if value.isEmpty { continue }
                guard let n = Int(value), n >= 1, n <= Self.maxPage else {
                    throw DiscoveryError.badRequest("page must be a whole number from 1 to \(Self.maxPage)")
                }
                page = n
            case "pagesize":
                if value.isEmpty { continue }
                guard let n = Int(value), n >= 1, n <= Self.maxPageSize else {
                    throw DiscoveryError.badRequest("pagesize must be a whole number from 1 to \(Self.maxPageSize)")
                }
                pageSize = n
            default: continue  // unknown parameters are ignored, as browsers add their own
            }
        }
    }
}

/// A refusal of the client's request (HTTP 400) or a missing resource (404).
public enum DiscoveryError: Error, Equatable, Sendable {
    case badRequest(String)
    case notFound(String)

    public var message: String {
        switch self {
        case .badRequest(let m), .notFound(let m): m
        }
    }
}

/// One interface of a capability: where a client connects.
public struct InterfaceSummary: Codable, Sendable, Equatable {
    public var type: String?
    public var role: String?
    public var accessURL: String?
}

/// One capability of a result.
public struct CapabilitySummary: Codable, Sendable, Equatable {
    public var standardId: String?
    public var serviceType: String?
    public var interfaces: [InterfaceSummary]
}

/// One result of a search.
public struct SearchResult: Codable, Sendable, Equatable {
    public var ivoid: String
    public var title: String
    public var shortName: String?
    public var type: String?
    public var description: String
    public var publisher: String?
    public var wavebands: [String]
    public var capabilities: [CapabilitySummary]
}

/// One value of a facet with the number of matching resources.
public struct FacetValue: Codable, Sendable, Equatable {
    public var value: String
    public var label: String
    public var count: Int
}

/// Facet counts over the whole match set (filters applied).
public struct Facets: Codable, Sendable, Equatable {
    public var servicetype: [FacetValue] = []
    public var waveband: [FacetValue] = []
    public var authority: [FacetValue] = []
    public var type: [FacetValue] = []

    public init() {}
}

/// A page of ranked results with the facets and totals of the whole match set.
public struct SearchResponse: Codable, Sendable, Equatable {
    public var q: String
    public var filters: [String: String]
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public var pages: Int
    public var results: [SearchResult]
    public var facets: Facets
}
