import Foundation

/// The state of a ListIdentifiers/ListRecords harvest between pages, sent to the harvester as
/// an opaque string.
///
/// Paging is by keyset: the next page starts after the last `(datestamp, ivoid)` sent, so a
/// record that changes during the harvest moves to the end of the list (it is sent again
/// in its new version) without shifting, skipping or repeating any other record.
///
/// Encoding: version byte, verb, flags, the list arguments, the key, cursor, complete list
/// size and issue time, then a 32-bit FNV-1a checksum of all that, in base64url without padding.
/// The checksum catches corruption and casual edits (not a signature: a token grants nothing
/// a harvester could not ask for directly).
public struct ResumptionToken: Sendable, Equatable {
    /// Which list the token continues (ListIdentifiers or ListRecords).
    public var verb: OAIVerb
    /// The list's metadata format.
    public var metadataPrefix: String
    /// The list's set, if any.
    public var set: String?
    /// Inclusive lower bound on datestamps, seconds since 1970.
    public var from: Int64?
    /// Inclusive upper bound on datestamps, seconds since 1970.
    public var until: Int64?
    /// Datestamp of the last record sent.
    public var lastDatestamp: Int64
    /// Lower-cased identifier of the last record sent.
    public var lastIvoid: String
    /// Number of records sent before the page this token asks for.
    public var cursor: Int
    /// The size of the whole list when the harvest started.
    public var completeListSize: Int
    /// When the token was issued, seconds since 1970.
    public var issued: Int64

    static let version: UInt8 = 1

    /// Creates a token.
    public init(
        verb: OAIVerb, metadataPrefix: String, set: String?, from: Int64?, until: Int64?, lastDatestamp: Int64,
        lastIvoid: String, cursor: Int, completeListSize: Int, issued: Int64
    ) {
        self.verb = verb
        self.metadataPrefix = metadataPrefix
        self.set = set
        self.from = from
        self.until = until
        self.lastDatestamp = lastDatestamp
        self.lastIvoid = lastIvoid
        self.cursor = cursor
        self.completeListSize = completeListSize
        self.issued = issued
    }

    /// The instant the token stops being accepted.
    /// (A token's `issued` is whatever the client sent, once the checksum matches: the sum
    /// saturates instead of overflowing.)
    public func expirationDate(lifetime: Int64) -> Int64 {
        let (sum, overflow) = issued.addingReportingOverflow(lifetime)
        return overflow ? (lifetime > 0 ? .max : .min) : sum
    }

    /// The opaque string form.
    public func encoded() -> String {
        var b: [UInt8] = [Self.version, verb == .listRecords ? 1 : 0]
        b.append((set != nil ? 1 : 0) | (from != nil ? 2 : 0) | (until != nil ? 4 : 0))
        func int(_ v: Int64) { withUnsafeBytes(of: v.bigEndian) { b += $0 } }
        func str(_ s: String) {
            let u = Array(s.utf8)
            b += [UInt8(u.count >> 8 & 0xFF), UInt8(u.count & 0xFF)]
            b += u
        }
        str(metadataPrefix)
        if let set { str(set) }
        if let from { int(from) }
        if let until { int(until) }
        int(lastDatestamp)
        str(lastIvoid)
        int(Int64(cursor))
        int(Int64(completeListSize))
        int(issued)
        withUnsafeBytes(of: Self.checksum(b).bigEndian) { b += $0 }
        return Data(b).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a token, rejecting anything malformed, altered or expired.
    /// - Parameters:
    ///   - now: the current time (seconds since 1970).
    ///   - lifetime: how long a token stays valid after it was issued, in seconds.
    public static func decode(_ text: String, now: Int64, lifetime: Int64) throws(OAIError) -> ResumptionToken {
        let bad = OAIError.badResumptionToken("the resumption token is invalid")
        guard text.utf8.count <= 8192, text.utf8.allSatisfy({ isBase64URL($0) }) else { throw bad }
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        s += String(repeating: "=", count: (4 - s.count % 4) % 4)
        guard let data = Data(base64Encoded: s), data.count > 4 else { throw bad }
        let bytes = [UInt8](data)
        let body = Array(bytes.dropLast(4))
        let sum = bytes.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard sum == checksum(body), body.first == version else { throw bad }
        var r = ByteReader(bytes: body, at: 1)
        guard let v = r.byte(), v <= 1, let flags = r.byte(), flags & ~7 == 0, let prefix = r.string() else { throw bad }
        var t = ResumptionToken(
            verb: v == 1 ? .listRecords : .listIdentifiers, metadataPrefix: prefix, set: nil, from: nil, until: nil,
            lastDatestamp: 0, lastIvoid: "", cursor: 0, completeListSize: 0, issued: 0)
        if flags & 1 != 0 { guard let x = r.string() else { throw bad }; t.set = x }
        if flags & 2 != 0 { guard let x = r.int() else { throw bad }; t.from = x }
        if flags & 4 != 0 { guard let x = r.int() else { throw bad }; t.until = x }
        guard let ds = r.int(), let ivoid = r.string(), let cursor = r.int(), let size = r.int(), let issued = r.int(),
            r.atEnd, cursor > 0, size > 0, XMLText.isToken(prefix),
            // The provider adds the page to both: a forged value near Int64.max would overflow.
            cursor <= maxCount, size <= maxCount
        else { throw bad }
        (t.lastDatestamp, t.lastIvoid, t.cursor, t.completeListSize, t.issued) = (ds, ivoid, Int(cursor), Int(size), issued)
        guard now <= t.expirationDate(lifetime: lifetime) else {
            throw .badResumptionToken("the resumption token has expired")
        }
        return t
    }

    /// The largest cursor or list size a token may carry (far above any registry's size).
    static let maxCount = Int64(Int32.max)

    static func isBase64URL(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
    }

    /// FNV-1a, 32 bits, seeded with a tag so that other FNV-checked blobs do not pass.
    static func checksum(_ b: [UInt8]) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for c in "voreg-oai-token".utf8 + b {
            h = (h ^ UInt32(c)) &* 0x0100_0193
        }
        return h
    }
}

/// Reads the token's fields; every read returns nil past the end.
private struct ByteReader {
    let bytes: [UInt8]
    var at: Int
    var atEnd: Bool { at == bytes.count }

    mutating func byte() -> UInt8? {
        guard at < bytes.count else { return nil }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func int() -> Int64? {
        guard at + 8 <= bytes.count else { return nil }
        defer { at += 8 }
        return bytes[at..<at + 8].reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }

    mutating func string() -> String? {
        guard let hi = byte(), let lo = byte() else { return nil }
        let n = Int(hi) << 8 | Int(lo)
        guard at + n <= bytes.count else { return nil }
        defer { at += n }
        return String(validating: bytes[at..<at + n], as: UTF8.self)
    }
}
