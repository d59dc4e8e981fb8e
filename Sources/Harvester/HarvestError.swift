import Foundation

/// Why a harvest (or one request of it) failed.
public enum HarvestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The peer answered with an HTTP status the harvester does not retry (or retries ran out).
    case http(status: Int, url: String)
    /// Network errors until the retries ran out.
    case network(String, url: String)
    /// A page larger than the limit.
    case pageTooLarge(limit: Int, url: String)
    /// A response that is not a well-formed OAI-PMH document.
    case malformed(String, url: String)
    /// An OAI-PMH error other than noRecordsMatch.
    case oai(code: String, message: String)
    /// A resumption token the peer had already sent.
    case repeatedToken(String)
    /// More pages than the limit.
    case endlessList(pages: Int)
    /// The whole harvest took longer than the limit.
    case timedOut(seconds: Double)
    /// Another harvest of the same peer is running.
    case busy(String)
    /// The harvest was cancelled (shutdown).
    case cancelled
    /// The store failed.
    case store(String)

    public var description: String {
        switch self {
        case .http(let s, let url): "HTTP \(s) from \(url)"
        case .network(let e, let url): "network error on \(url): \(e)"
        case .pageTooLarge(let limit, let url): "page larger than \(limit) bytes: \(url)"
        case .malformed(let e, let url): "malformed response from \(url): \(e)"
        case .oai(let code, let message): "OAI-PMH error \(code): \(message)"
        case .repeatedToken(let t): "the peer sent the resumption token \"\(t.prefix(80))\" twice (a loop)"
        case .endlessList(let n): "the list did not end after \(n) pages"
        case .timedOut(let s): "harvest took longer than \(Int(s)) s"
        case .busy(let url): "a harvest of \(url) is already running"
        case .cancelled: "cancelled"
        case .store(let e): "store error: \(e)"
        }
    }
}
