import Foundation
public import GRDB

/// The SQL functions translated ADQL calls, implemented in Swift so nothing depends on
/// SQLite's optional math build, and the pragmas the translation relies on.
public enum ADQLFunctions {
    /// Registers every function translated SQL uses (ADQL LIKE is translated to GLOB or
    /// `adql_like`, so the connection keeps SQLite's case-insensitive LIKE for ILIKE).
    /// Call it on every connection that runs translated SQL.
    public static func prepare(_ db: Database) throws {
        for f in functions { db.add(function: f) }
        for f in GeometryFunctions.functions { db.add(function: f) }
        db.add(function: DatabaseFunction("ivo_string_agg", argumentCount: 2, pure: true, aggregate: StringAgg.self))
    }

    private static let functions: [DatabaseFunction] = [
        unary("adql_ceiling") { Foundation.ceil($0) },
        unary("adql_floor") { Foundation.floor($0) },
        unary("adql_degrees") { $0 * 180 / Double.pi },
        unary("adql_radians") { $0 * Double.pi / 180 },
        unary("adql_exp") { Foundation.exp($0) },
        unary("adql_log") { Foundation.log($0) },
        unary("adql_log10") { Foundation.log10($0) },
        unary("adql_sqrt") { Foundation.sqrt($0) },
        unary("adql_acos") { Foundation.acos($0) },
        unary("adql_asin") { Foundation.asin($0) },
        unary("adql_atan") { Foundation.atan($0) },
        unary("adql_cos") { Foundation.cos($0) },
        unary("adql_cot") { 1 / Foundation.tan($0) },
        unary("adql_sin") { Foundation.sin($0) },
        unary("adql_tan") { Foundation.tan($0) },
        binary("adql_atan2") { Foundation.atan2($0, $1) },
        binary("adql_power") { Foundation.pow($0, $1) },
        DatabaseFunction("adql_pi", argumentCount: 0, pure: true) { _ in Double.pi },
        DatabaseFunction("adql_rand", argumentCount: -1, pure: false) { _ in Double.random(in: 0..<1) },
        DatabaseFunction("adql_mod", argumentCount: 2, pure: true) { v in
            if let a = Int64.fromDatabaseValue(v[0]), let b = Int64.fromDatabaseValue(v[1]),
                v[0].storage.isInteger, v[1].storage.isInteger
            {
                return b == 0 ? nil : a % b
            }
            guard let a = Double.fromDatabaseValue(v[0]), let b = Double.fromDatabaseValue(v[1]) else { return nil }
            return finite(Foundation.fmod(a, b))
        },
        DatabaseFunction("adql_round", argumentCount: 2, pure: true) { v in round(v, truncate: false) },
        DatabaseFunction("adql_truncate", argumentCount: 2, pure: true) { v in round(v, truncate: true) },
        DatabaseFunction("adql_lower", argumentCount: 1, pure: true) { v in String.fromDatabaseValue(v[0])?.lowercased() },
        DatabaseFunction("adql_upper", argumentCount: 1, pure: true) { v in String.fromDatabaseValue(v[0])?.uppercased() },
        DatabaseFunction("adql_like", argumentCount: 2, pure: true) { v in
            guard let s = String.fromDatabaseValue(v[0]), let p = String.fromDatabaseValue(v[1]) else { return nil }
            return likeMatches(Array(s.unicodeScalars), Array(p.unicodeScalars)) ? 1 : 0
        },
        DatabaseFunction("ivo_hasword", argumentCount: 2, pure: true) { v in
            guard let h = String.fromDatabaseValue(v[0]), let n = String.fromDatabaseValue(v[1]) else { return nil }
            return hasWord(h, n) ? 1 : 0
        },
        DatabaseFunction("ivo_hashlist_has", argumentCount: 2, pure: true) { v in
            guard let l = String.fromDatabaseValue(v[0]), let i = String.fromDatabaseValue(v[1]) else { return nil }
            return hashlistHas(l, i) ? 1 : 0
        },
        DatabaseFunction("ivo_interval_overlaps", argumentCount: 4, pure: true) { v in
            let d = v.map { Double.fromDatabaseValue($0) }
            guard let l1 = d[0], let h1 = d[1], let l2 = d[2], let h2 = d[3] else { return nil }
            return intervalsOverlap(l1, h1, l2, h2) ? 1 : 0
        },
    ]

    private static func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }

    /// SQL LIKE with exact case: `%` any run, `_` one character.
    public static func likeMatches(_ s: [Unicode.Scalar], _ p: [Unicode.Scalar]) -> Bool {
        var si = 0, pi = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count, p[pi] == "_" || (p[pi] != "%" && p[pi] == s[si]) {
                si += 1
                pi += 1
            } else if pi < p.count, p[pi] == "%" {
                star = pi
                mark = si
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                si = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "%" { pi += 1 }
        return pi == p.count
    }

    private static func unary(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> DatabaseFunction {
        DatabaseFunction(name, argumentCount: 1, pure: true) { v in
            guard let x = Double.fromDatabaseValue(v[0]) else { return nil }
            return finite(f(x))
        }
    }

    private static func binary(_ name: String, _ f: @escaping @Sendable (Double, Double) -> Double) -> DatabaseFunction {
        DatabaseFunction(name, argumentCount: 2, pure: true) { v in
            guard let x = Double.fromDatabaseValue(v[0]), let y = Double.fromDatabaseValue(v[1]) else { return nil }
            return finite(f(x, y))
        }
    }

    /// ROUND/TRUNCATE(x, n): n decimal places (negative n rounds left of the point); integers stay integers.
    private static func round(_ v: [DatabaseValue], truncate: Bool) -> DatabaseValueConvertible? {
        guard let x = Double.fromDatabaseValue(v[0]) else { return nil }
        let n = Int64.fromDatabaseValue(v[1]) ?? 0
        let scale = Foundation.pow(10.0, Double(n))
        let scaled = x * scale
        let r = (truncate ? scaled.rounded(.towardZero) : scaled.rounded(.toNearestOrAwayFromZero)) / scale
        if v[0].storage.isInteger, let i = Int64(exactly: r) { return i }
        return finite(r)
    }

    // MARK: - RegTAP semantics (also used by tests)

    /// The words of a text as the store's FTS5 tokenizer (unicode61, remove_diacritics 2) sees
    /// them: maximal runs of letters, digits and private-use characters, lower-cased, with
    /// diacritics removed.
    public static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                out.append(fold(String(current)))
                current = String.UnicodeScalarView()
            }
        }
        for s in text.unicodeScalars {
            switch s.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber, .privateUse, .nonspacingMark, .spacingMark,
                .enclosingMark:
                current.append(s)
            default:
                flush()
            }
        }
        flush()
        return out.filter { !$0.isEmpty }
    }

    /// Lower-cases and strips combining marks (é → e).
    static func fold(_ word: String) -> String {
        let decomposed = word.lowercased().decomposedStringWithCanonicalMapping
        var s = String.UnicodeScalarView()
        for u in decomposed.unicodeScalars {
            switch u.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: s.append(u)
            }
        }
        return String(s).precomposedStringWithCanonicalMapping
    }

    /// `ivo_hasword`: whether the words of `needle` occur, consecutively, among the words of
    /// `haystack` (case and diacritics ignored). A needle without words matches nothing.
    public static func hasWord(_ haystack: String, _ needle: String) -> Bool {
        let n = words(needle)
        guard !n.isEmpty else { return false }
        let h = words(haystack)
        guard h.count >= n.count else { return false }
        for start in 0...(h.count - n.count) where h[start] == n[0] {
            if Array(h[start..<(start + n.count)]) == n { return true }
        }
        return false
    }

    /// `ivo_hashlist_has`: whether `item` is, case-insensitively, one of the '#'-separated members.
    public static func hashlistHas(_ list: String, _ item: String) -> Bool {
        let wanted = item.lowercased()
        return list.split(separator: "#", omittingEmptySubsequences: false).contains { $0.lowercased() == wanted }
    }

    /// `ivo_interval_overlaps`: [l1, h1] and [l2, h2] share at least one point.
    public static func intervalsOverlap(_ l1: Double, _ h1: Double, _ l2: Double, _ h2: Double) -> Bool {
        l1 <= h2 && l2 <= h1
    }

    /// The FTS5 query for a word search in one column: a phrase with the needle's words.
    static func ftsPhrase(column: String, needle: String) -> String? {
        let w = words(needle)
        guard !w.isEmpty else { return nil }
        return "{\(column)} : \"" + w.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// `ivo_string_agg(expr, delim)`: non-NULL values joined with the delimiter; "" for an empty group.
struct StringAgg: DatabaseAggregate {
    var parts: [String] = []
    var delimiter = ""

    init() {}

    mutating func step(_ values: [DatabaseValue]) throws {
        guard let s = String.fromDatabaseValue(values[0]) else { return }
        if parts.isEmpty { delimiter = String.fromDatabaseValue(values[1]) ?? "" }
        parts.append(s)
    }

    func finalize() throws -> DatabaseValueConvertible? { parts.joined(separator: delimiter) }
}

extension DatabaseValue.Storage {
    var isInteger: Bool {
        if case .int64 = self { return true }
        return false
    }
}
