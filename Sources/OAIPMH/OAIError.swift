/// An OAI-PMH 2.0 error condition (protocol section 3.6), with the message sent to the harvester.
///
/// Every error is reported with HTTP 200 in an `<error code="...">` element; the code is the
/// case name.
public enum OAIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The verb is missing, repeated or not one of the six.
    case badVerb(String)
    /// An illegal, missing, repeated or malformed argument.
    case badArgument(String)
    /// The metadata format is not supported (for this item or the repository).
    case cannotDisseminateFormat(String)
    /// The identifier is unknown (or not visible) in this repository.
    case idDoesNotExist(String)
    /// The resumption token is invalid, tampered with or expired.
    case badResumptionToken(String)
    /// The combination of arguments selects an empty list.
    case noRecordsMatch(String)
    /// There are no metadata formats for the item.
    case noMetadataFormats(String)
    /// The repository does not support sets.
    case noSetHierarchy(String)

    /// The protocol's error code (the `code` attribute).
    public var code: String {
        switch self {
        case .badVerb: "badVerb"
        case .badArgument: "badArgument"
        case .cannotDisseminateFormat: "cannotDisseminateFormat"
        case .idDoesNotExist: "idDoesNotExist"
        case .badResumptionToken: "badResumptionToken"
        case .noRecordsMatch: "noRecordsMatch"
        case .noMetadataFormats: "noMetadataFormats"
        case .noSetHierarchy: "noSetHierarchy"
        }
    }

    /// The human-readable message (the element's text).
    public var message: String {
        switch self {
        case .badVerb(let m), .badArgument(let m), .cannotDisseminateFormat(let m), .idDoesNotExist(let m),
            .badResumptionToken(let m), .noRecordsMatch(let m), .noMetadataFormats(let m), .noSetHierarchy(let m):
            m
        }
    }

    /// Whether the request element must omit its attributes (protocol 3.2: only the base URL
    /// is echoed after badVerb or badArgument).
    public var suppressesRequestArguments: Bool {
        switch self {
        case .badVerb, .badArgument: true
        default: false
        }
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
