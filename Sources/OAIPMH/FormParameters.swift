import Foundation

/// Decoding of `application/x-www-form-urlencoded` text (query strings and POST bodies) into
/// (name, value) pairs, in order, repeats kept (OAI-PMH must see them to answer badArgument).
public enum FormParameters {
    public static func parse(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func decode(_ s: Substring) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }
}
