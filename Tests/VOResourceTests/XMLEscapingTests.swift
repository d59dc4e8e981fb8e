import Testing
import VOResource

/// The one escaper: plain text comes back unchanged, markup and forbidden characters do not.
@Suite struct XMLEscapingTests {
    @Test func plainTextIsReturnedAsIs() {
        #expect(XMLEscaping.escape("ivo://example-dc.org/tap") == "ivo://example-dc.org/tap")
        #expect(XMLEscaping.escape("Gaia DR3 – Sternwarte Zürich") == "Gaia DR3 – Sternwarte Zürich")
        #expect(XMLEscaping.escape("line one\nline\ttwo") == "line one\nline\ttwo")
    }

    @Test func markupAndControlCharactersAreEscaped() {
        #expect(XMLEscaping.escape("a < b & \"c\" > d") == "a &lt; b &amp; &quot;c&quot; &gt; d")
        #expect(XMLEscaping.escape("tab\there\nand\r", attribute: true) == "tab&#9;here&#10;and&#13;")
        #expect(XMLEscaping.escape("bell\u{7}") == "bell\u{FFFD}")
        #expect(XMLEscaping.escape("é\u{FFFE}") == "é\u{FFFD}")  // a non-character, found by the scalar pass
        #expect(XMLEscaping.escape("ü<") == "ü&lt;")
    }
}
