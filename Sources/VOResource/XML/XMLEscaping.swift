/// Escaping of text the project writes as XML (records, OAI-PMH responses, generated records).
public enum XMLEscaping {
    /// Escapes text for element content or a double-quoted attribute value, replacing
    /// characters XML 1.0 does not allow with U+FFFD. In attribute values tabs and newlines
    /// are written as character references, so parsers do not normalise them to spaces.
    public static func escape(_ s: String, attribute: Bool = false) -> String {
        if !needsEscaping(s, attribute: attribute) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            case "\t": out += attribute ? "&#9;" : "\t"
            case "\n": out += attribute ? "&#10;" : "\n"
            default: out.unicodeScalars.append(allowed(u) ? u : "\u{FFFD}")
            }
        }
        return out
    }

    /// Whether `s` has anything to escape: a byte-wise scan, with the per-scalar check only
    /// for text that is not ASCII (most of what a registry writes is ASCII).
    static func needsEscaping(_ s: String, attribute: Bool) -> Bool {
        var ascii = true
        var found = false
        var copy = s
        copy.withUTF8 { buf in
            for b in buf {
                if b >= 0x80 {
                    ascii = false
                } else if b < 0x20 {
                    if b == 0x0A || b == 0x09 {
                        if attribute { found = true; return }
                    } else {
                        found = true
                        return
                    }
                } else if b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "\"") {
                    found = true
                    return
                }
            }
        }
        if found { return true }
        if ascii { return false }
        for u in s.unicodeScalars where !plain(u) || (attribute && (u == "\n" || u == "\t")) { return true }
        return false
    }

    @inline(__always) static func plain(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v >= 0x20 && v < 0xD800 { return u != "&" && u != "<" && u != ">" && u != "\"" }
        return v == 0x0A || v == 0x09 ? true : false
    }

    static func allowed(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
            || (0x10000...0x10FFFF).contains(v)
    }
}
