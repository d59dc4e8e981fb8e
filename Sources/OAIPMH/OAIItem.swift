/// One item as OAI-PMH shows it: a header, and the record XML unless it is deleted.
public struct OAIItem: Sendable, Equatable {
    /// The identifier as the publisher spelled it.
    public var identifier: String
    /// The lower-cased identifier (the paging key).
    public var ivoid: String
    /// Seconds since 1970 UTC.
    public var datestamp: Int64
    /// Whether the item is a tombstone (a header with status="deleted", no metadata).
    public var isDeleted: Bool
    /// Whether the item is in `ivo_managed`.
    public var isManaged: Bool
    /// The stored record XML (nil for deleted records or when not asked for).
    public var xml: String?
    /// The xs:ID values the record declares (only read with the XML).
    public var xmlIDs: [Substring] = []
}

/// Which items a list covers: inclusive datestamp bounds and an optional `ivo_managed` filter.
public struct OAIListFilter: Sendable, Equatable {
    /// Inclusive lower datestamp bound, seconds since 1970.
    public var from: Int64?
    /// Inclusive upper datestamp bound, seconds since 1970.
    public var until: Int64?
    /// Only items in `ivo_managed`.
    public var managedOnly: Bool

    /// Creates a filter.
    public init(from: Int64? = nil, until: Int64? = nil, managedOnly: Bool = false) {
        self.from = from
        self.until = until
        self.managedOnly = managedOnly
    }
}
