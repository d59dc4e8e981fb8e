/// Stored record XML made ready to sit inside an OAI-PMH response.
enum RecordXML {
    /// The record without an XML declaration and with the default namespace undeclared on its
    /// root (`xmlns=""`) unless the root declares one: otherwise the unprefixed VOResource
    /// children (`title`, `identifier`, ...) would fall into the OAI-PMH default namespace.
    static func embeddable(_ xml: String) -> String {
        let s = stripDeclaration(xml)
        let u = Array(s.utf8)
        guard u.first == UInt8(ascii: "<") else { return s }
        var i = 1
        while i < u.count, !isNameEnd(u[i]) { i += 1 }
        let nameEnd = i
        // Scan the root's start tag (quoted values may contain '>').
        var quote: UInt8? = nil
        var tagEnd = i
        while tagEnd < u.count {
            let c = u[tagEnd]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: ">") {
                break
            }
            tagEnd += 1
        }
        if declaresDefaultNamespace(u[nameEnd..<tagEnd]) { return s }
        return String(decoding: u[..<nameEnd], as: UTF8.self) + " xmlns=\"\""
            + String(decoding: u[nameEnd...], as: UTF8.self)
    }

    /// The XML without a leading XML declaration (and whitespace or BOM before the root).
    static func stripDeclaration(_ xml: String) -> String {
        var s = Substring(xml)
        while let f = s.first, f.isWhitespace || f == "\u{FEFF}" { s = s.dropFirst() }
        if s.hasPrefix("<?xml"), let end = s.firstRange(of: "?>") {
            s = s[end.upperBound...]
            while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        }
        return String(s)
    }

    static func isNameEnd(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: "/") || c == UInt8(ascii: ">")
    }

    /// Whether attribute text holds an `xmlns="..."` (not `xmlns:p=`) declaration.
    static func declaresDefaultNamespace(_ attrs: ArraySlice<UInt8>) -> Bool {
        let a = Array(attrs)
        let key = Array("xmlns".utf8)
        var i = 0
        while i + key.count < a.count {
            if (i == 0 || isNameEnd(a[i - 1])) && Array(a[i..<i + key.count]) == key {
                var j = i + key.count
                while j < a.count, a[j] == 0x20 || a[j] == 0x09 || a[j] == 0x0A || a[j] == 0x0D { j += 1 }
                if j < a.count, a[j] == UInt8(ascii: "=") { return true }
            }
            i += 1
        }
        return false
    }
}
