import VOResource

/// Escaping and syntax checks for the text the response writer emits.
enum XMLText {
    /// Escapes element content or (with `attribute`) a double-quoted attribute value.
    @inline(__always)
    static func escape(_ s: String, attribute: Bool = false) -> String {
        XMLEscaping.escape(s, attribute: attribute)
    }

    /// A user-supplied value shortened for an error message (escaped later).
    static func printable(_ s: String) -> String {
        s.count > 80 ? String(s.prefix(80)) + "…" : s
    }

    /// The characters of metadataPrefix and of one setSpec segment (OAI-PMH.xsd patterns).
    static func isToken(_ s: String) -> Bool {
        !s.isEmpty
            && s.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    || "-_.!~*'()".utf8.contains(b)
            }
    }

    /// An RFC 3986 URI reference made of unreserved, reserved (but brackets) and %-escaped
    /// characters, with at most one fragment.
    static func isURIReference(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        var hashes = 0
        func hex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }
        while i < b.count {
            let c = b[i]
            if c == 0x25 {
                guard i + 2 < b.count, hex(b[i + 1]), hex(b[i + 2]) else { return false }
                i += 3
                continue
            }
            if c == 0x23 { hashes += 1 }
            let ok =
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || "-._~:/?#@!$&'()*+,;=".utf8.contains(c)
            guard ok else { return false }
            i += 1
        }
        return !b.isEmpty && hashes <= 1
    }
}
