import Foundation

/// What a person types into the search box, parsed into terms, and turned into a safe FTS5
/// `MATCH` expression.
///
/// Syntax: words (all required), `"quoted phrases"`, `-word` and `-"phrase"` (excluded),
/// `word*` (prefix). Everything else is punctuation and separates words, exactly as FTS5's
/// `unicode61` tokenizer does, so the expression built here only ever holds quoted runs of
/// letters and digits: no user text reaches `MATCH` unquoted, and no input is a syntax error.
public struct SearchQuery: Sendable, Equatable {
    /// One term: a word or a phrase, as its tokens (lower-cased letters and digits).
    public struct Term: Sendable, Equatable {
        public var tokens: [String]
        public var prefix: Bool
        public var negated: Bool
    }

    /// The text as typed, trimmed.
    public let text: String
    /// Required terms (after dropping filler words).
    public let required: [Term]
    /// Excluded terms.
    public let excluded: [Term]
    /// Service-type words of the query (`tap`, `cone`…): they rank resources offering that
    /// service first instead of being required words.
    public let serviceHints: [ServiceType]
    /// The service words as typed (searched as text too when nothing else is required).
    let hintTerms: [Term]

    /// Longest query accepted (characters).
    public static let maxLength = 1000
    /// At most this many terms are used; the rest are ignored.
    public static let maxTerms = 32

    /// Words that carry no meaning in a question such as "where can I query Gaia DR3 with TAP?".
    /// They are dropped when the query has other words.
    static let fillerWords: Set<String> = [
        "a", "an", "the", "of", "in", "on", "at", "for", "with", "and", "or", "to", "by", "from",
        "where", "what", "which", "how", "can", "could", "i", "me", "my", "we", "is", "are", "be",
        "do", "does", "query", "find", "search", "get", "want", "there", "any", "some", "service",
        "services",
    ]

    public init(_ raw: String) {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        self.text = text
        var terms: [Term] = []
        var chars = Array(text)
        if chars.count > Self.maxLength { chars = Array(chars.prefix(Self.maxLength)) }
        var i = 0
        while i < chars.count && terms.count < Self.maxTerms {
            while i < chars.count && chars[i].isWhitespace { i += 1 }
            guard i < chars.count else { break }
            var negated = false
            if chars[i] == "-" && i + 1 < chars.count && !chars[i + 1].isWhitespace {
                negated = true
                i += 1
            }
            var raw = ""
            var quoted = false
            if chars[i] == "\"" {
                quoted = true
                i += 1
                while i < chars.count && chars[i] != "\"" { raw.append(chars[i]); i += 1 }
                if i < chars.count { i += 1 }  // the closing quote; an unclosed one runs to the end
            } else {
                while i < chars.count && !chars[i].isWhitespace { raw.append(chars[i]); i += 1 }
            }
            var prefix = false
            if !quoted, raw.hasSuffix("*") {
                prefix = true
                while raw.hasSuffix("*") { raw.removeLast() }
            }
            let tokens = Self.tokens(raw)
            if tokens.isEmpty { continue }
            terms.append(Term(tokens: tokens, prefix: prefix && tokens.count == 1, negated: negated))
        }
        let positive = terms.filter { !$0.negated }
        // Service words become ranking hints; filler words are dropped when others remain.
        var hints: [ServiceType] = []
        var others: [Term] = []
        for t in positive {
            if t.tokens.count == 1, !t.prefix, let s = ServiceType.fromQueryWord(t.tokens[0]) {
                if !hints.contains(s) { hints.append(s) }
            } else {
                others.append(t)
            }
        }
        let meaningful = others.filter { !($0.tokens.count == 1 && !$0.prefix && Self.fillerWords.contains($0.tokens[0])) }
        var rest: [Term]
        if !meaningful.isEmpty {
            rest = meaningful
        } else if !hints.isEmpty {
            rest = []  // only service words (and filler): the services of that type, and mentions
        } else {
            rest = others
        }
        required = rest
        hintTerms = positive.filter { $0.tokens.count == 1 && !$0.prefix && ServiceType.fromQueryWord($0.tokens[0]) != nil }
        excluded = terms.filter(\.negated)
        serviceHints = hints
    }

    /// Splits text into lower-cased runs of letters, digits and combining marks (the
    /// unicode61 tokenizer's notion of a token character).
    static func tokens(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        for ch in s.lowercased() {
            if ch.isLetter || ch.isNumber {
                cur.append(ch)
            } else if !cur.isEmpty {
                out.append(cur)
                cur = ""
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// True when nothing is asked for: the whole registry is browsed.
    public var isBrowse: Bool { required.isEmpty && serviceHints.isEmpty }

    /// The text normalised for identity comparisons (lower-cased, inner whitespace collapsed).
    public var normalizedText: String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func phrase(_ t: Term) -> String {
        // Tokens hold letters and digits only, so quoting cannot be escaped from.
        "\"" + t.tokens.joined(separator: " ") + "\"" + (t.prefix ? "*" : "")
    }

    /// The FTS5 expression of the required terms, or nil when there are none.
    public var matchExpression: String? {
        guard !required.isEmpty else { return nil }
        return required.map(Self.phrase).joined(separator: " AND ")
    }

    /// The FTS5 expression matching any service word (used when only service words were typed).
    var hintExpression: String? {
        guard !hintTerms.isEmpty else { return nil }
        return hintTerms.map(Self.phrase).joined(separator: " OR ")
    }

    /// The FTS5 expression matching any excluded term, or nil when there are none.
    public var exclusionExpression: String? {
        guard !excluded.isEmpty else { return nil }
        return excluded.map(Self.phrase).joined(separator: " OR ")
    }
}
