import Foundation

/// A request a harvester sends to an OAI-PMH endpoint (the client side of OAI-PMH 2.0 §3.1:
/// HTTP GET with the arguments in the query string).
public enum OAIHarvestRequest: Sendable, Equatable {
    /// `verb=Identify`.
    case identify
    /// The first `ListRecords` request of a harvest.
    case listRecords(metadataPrefix: String, set: String?, from: String?)
    /// A follow-up `ListRecords` request: only the resumption token (§3.5).
    case resume(token: String)

    /// The request's (name, value) arguments, in order.
    public var arguments: [(name: String, value: String)] {
        switch self {
        case .identify:
            return [("verb", "Identify")]
        case .listRecords(let prefix, let set, let from):
            var a: [(String, String)] = [("verb", "ListRecords"), ("metadataPrefix", prefix)]
            if let set { a.append(("set", set)) }
            if let from { a.append(("from", from)) }
            return a
        case .resume(let token):
            return [("verb", "ListRecords"), ("resumptionToken", token)]
        }
    }

    /// The full request URL on an endpoint whose base URL is `base` (a base URL that already
    /// has a query gets the arguments appended with `&`).
    /// - Parameter base: the endpoint's base URL.
    /// - Returns: the request URL.
    public func url(base: String) -> String {
        let query = arguments.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
        return base + (base.contains("?") ? "&" : "?") + query
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters (so `+`, `/`, `=` and
    /// `&` in resumption tokens arrive intact).
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(UnicodeScalar(hex[Int(b >> 4)])) + String(UnicodeScalar(hex[Int(b & 15)]))
            }
        }
        return out
    }

    /// A `from` argument for a datestamp in seconds: a day when the repository's granularity
    /// is days (rounded down, so nothing is missed), a full UTC datetime otherwise.
    public static func fromArgument(_ seconds: Int64, granularity: OAIDate.Granularity) -> String {
        let full = OAIDate.format(seconds)
        return granularity == .day ? String(full.prefix(10)) : full
    }
}
