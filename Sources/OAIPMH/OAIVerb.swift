/// The six OAI-PMH 2.0 verbs.
public enum OAIVerb: String, Sendable, CaseIterable {
    case identify = "Identify"
    case listMetadataFormats = "ListMetadataFormats"
    case listSets = "ListSets"
    case getRecord = "GetRecord"
    case listIdentifiers = "ListIdentifiers"
    case listRecords = "ListRecords"
}

extension OAIVerb {
    /// The arguments the verb accepts (besides `verb`).
    var allowedArguments: Set<String> {
        switch self {
        case .identify: []
        case .listMetadataFormats: ["identifier"]
        case .listSets: ["resumptionToken"]
        case .getRecord: ["identifier", "metadataPrefix"]
        case .listIdentifiers, .listRecords: ["metadataPrefix", "set", "from", "until", "resumptionToken"]
        }
    }
}
