/// What the OAI-PMH layer needs to know about this registry.
public struct OAIConfiguration: Sendable {
    /// The URL the protocol is served at (echoed in every response).
    public var baseURL: String
    /// `Identify`'s repositoryName.
    public var repositoryName: String
    /// `Identify`'s adminEmail values (at least one).
    public var adminEmails: [String]
    /// Authorities whose records form the `ivo_managed` set (compared lower-cased).
    /// When empty the repository has no set hierarchy.
    public var managedAuthorities: [String]
    /// The registry's own `vg:Registry` record, sent in Identify's description.
    public var registryRecordXML: String?
    /// Records or headers per list page.
    public var pageSize: Int
    /// How long a resumption token stays valid, in seconds.
    public var tokenLifetime: Int64

    /// Creates a configuration.
    public init(
        baseURL: String, repositoryName: String, adminEmails: [String], managedAuthorities: [String],
        registryRecordXML: String? = nil, pageSize: Int = 500, tokenLifetime: Int64 = 86_400
    ) {
        self.baseURL = baseURL
        self.repositoryName = repositoryName
        self.adminEmails = adminEmails
        self.managedAuthorities = managedAuthorities.map { $0.lowercased() }
        self.registryRecordXML = registryRecordXML
        self.pageSize = max(1, pageSize)
        self.tokenLifetime = tokenLifetime
    }
}
