/// Finds the values of `id` and `xml:id` attributes in serialized XML, without parsing it.
///
/// Records from older registries carry STC coordinate systems with `id` attributes of type
/// xs:ID; two records with the same ID cannot share one OAI-PMH page. The scan is textual: an
/// attribute is ` id=` or `:id=` followed by a quoted value, outside of text content in
/// practice (element text with `id="` in it would be escaped only by accident; a false
/// positive only makes a page end one record early).
enum XMLIDScan {
    static func ids(in xml: String) -> String? {
        var found: [String] = []
        var xml = xml
        xml.withUTF8 { buf in
            let n = buf.count
            var i = 0
            // Looking for `id=` preceded by a space, tab, newline or ':' (xml:id).
            while i + 4 < n {
                if buf[i] == UInt8(ascii: "i"), buf[i + 1] == UInt8(ascii: "d"), buf[i + 2] == UInt8(ascii: "="), i > 0 {
                    let before = buf[i - 1]
                    let quote = buf[i + 3]
                    if before == 0x20 || before == 0x09 || before == 0x0A || before == 0x0D || before == UInt8(ascii: ":"),
                        quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'")
                    {
                        var j = i + 4
                        while j < n, buf[j] != quote { j += 1 }
                        if j < n {
                            found.append(String(decoding: UnsafeBufferPointer(rebasing: buf[(i + 4)..<j]), as: UTF8.self))
                        }
                        i = j
                        continue
                    }
                }
                i += 1
            }
        }
        return found.isEmpty ? nil : found.joined(separator: " ")
    }
}
