/// The selective-harvesting arguments of a first ListIdentifiers/ListRecords request.
public struct OAIListArguments: Sendable, Equatable {
    /// The requested metadata format.
    public var metadataPrefix: String
    /// The requested setSpec, if any.
    public var set: String?
    /// The inclusive lower datestamp bound, if any.
    public var from: OAIDate?
    /// The inclusive upper datestamp bound, if any.
    public var until: OAIDate?
}

/// A ListIdentifiers/ListRecords request: a first request, or one that resumes a list.
public enum OAIListRequest: Sendable, Equatable {
    /// A first request with its selective-harvesting arguments.
    case initial(OAIListArguments)
    /// A request that resumes a list (the token not yet decoded).
    case resume(token: String)
}
