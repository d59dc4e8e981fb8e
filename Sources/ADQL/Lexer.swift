/// ADQL tokens.
enum TokenKind: Equatable, Sendable {
    /// A regular identifier or keyword (`name` as written).
    case word(String)
    /// A delimited identifier `"..."` (content with `""` undoubled).
    case quoted(String)
    /// A numeric literal: the text as written (decimal, exponent or 0x hex).
    case number(String)
    /// A string literal (content with `''` undoubled; adjacent literals are not joined).
    case string(String)
    /// Punctuation and operators: ( ) , . * + - / || = <> != < > <= >= & | ^ ~ ;
    case symbol(String)
    case end
}

struct Token: Equatable, Sendable {
    var kind: TokenKind
    var position: SourcePosition

    /// The upper-cased word, for keyword tests (nil for other tokens).
    var keyword: String? {
        if case .word(let w) = kind { return w.uppercased() }
        return nil
    }

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .word(let w): "'\(w)'"
        case .quoted(let q): "\"\(q)\""
        case .number(let n): "'\(n)'"
        case .string(let s): "string '\(s.count > 30 ? String(s.prefix(30)) + "..." : s)'"
        case .symbol(let s): "'\(s)'"
        case .end: "end of query"
        }
    }
}

/// Splits ADQL text into tokens; skips whitespace and `--` comments.
struct Lexer {
    private let chars: [Character]
    private var i = 0
    private var line = 1
    private var column = 1

    init(_ text: String) { chars = Array(text) }

    static func tokenize(_ text: String) throws(ADQLError) -> [Token] {
        var lx = Lexer(text)
        var out: [Token] = []
        while true {
            let t = try lx.next()
            out.append(t)
            if t.kind == .end { return out }
        }
    }

    private var here: SourcePosition { SourcePosition(line: line, column: column) }
    private func peek(_ k: Int = 0) -> Character? { i + k < chars.count ? chars[i + k] : nil }

    private mutating func advance() {
        if chars[i] == "\n" || chars[i] == "\r\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        i += 1
    }

    private static func isLetter(_ c: Character) -> Bool { c.isASCII && c.isLetter }
    private static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
    private static func isHex(_ c: Character) -> Bool { c.isHexDigit && c.isASCII }

    mutating func next() throws(ADQLError) -> Token {
        // whitespace and comments
        while let c = peek() {
            if c.isWhitespace || c.isNewline {
                advance()
            } else if c == "-" && peek(1) == "-" {
                while let d = peek(), !(d.isNewline) { _ = d; advance() }
            } else {
                break
            }
        }
        let start = here
        guard let c = peek() else { return Token(kind: .end, position: start) }

        if Self.isLetter(c) {
            var s = ""
            while let d = peek(), Self.isLetter(d) || Self.isDigit(d) || d == "_" {
                s.append(d)
                advance()
            }
            return Token(kind: .word(s), position: start)
        }
        if Self.isDigit(c) || (c == "." && peek(1).map(Self.isDigit) == true) {
            return Token(kind: .number(try number()), position: start)
        }
        if c == "'" {
            advance()
            var s = ""
            while true {
                guard let d = peek() else { throw .syntax("unterminated string literal", at: start) }
                advance()
                if d == "'" {
                    if peek() == "'" {
                        s.append("'")
                        advance()
                    } else {
                        break
                    }
                } else {
                    s.append(d)
                }
            }
            if s.contains("\u{0}") { throw .syntax("string literal contains a NUL character", at: start) }
            return Token(kind: .string(s), position: start)
        }
        if c == "\"" {
            advance()
            var s = ""
            while true {
                guard let d = peek() else { throw .syntax("unterminated delimited identifier", at: start) }
                advance()
                if d == "\"" {
                    if peek() == "\"" {
                        s.append("\"")
                        advance()
                    } else {
                        break
                    }
                } else {
                    s.append(d)
                }
            }
            if s.isEmpty { throw .syntax("empty delimited identifier", at: start) }
            if s.contains("\u{0}") { throw .syntax("delimited identifier contains a NUL character", at: start) }
            return Token(kind: .quoted(s), position: start)
        }
        let two = peek(1).map { String(c) + String($0) }
        if let two, ["||", "<>", "!=", "<=", ">="].contains(two) {
            advance()
            advance()
            return Token(kind: .symbol(two), position: start)
        }
        if "(),.*+-/=<>&|^~;".contains(c) {
            advance()
            return Token(kind: .symbol(String(c)), position: start)
        }
        throw .syntax("unexpected character '\(c)'", at: start)
    }

    /// unsigned_decimal [. [digits]] [E [sign] digits] | . digits [...] | 0x hex
    private mutating func number() throws(ADQLError) -> String {
        let start = here
        var s = ""
        if peek() == "0", let x = peek(1), x == "x" || x == "X", peek(2).map(Self.isHex) == true {
            advance()
            advance()
            s = "0x"
            while let d = peek(), Self.isHex(d) {
                s.append(d)
                advance()
            }
            if let d = peek(), Self.isLetter(d) || d == "_" {
                throw .syntax("malformed hexadecimal literal", at: start)
            }
            return s
        }
        while let d = peek(), Self.isDigit(d) {
            s.append(d)
            advance()
        }
        if peek() == "." {
            s.append(".")
            advance()
            while let d = peek(), Self.isDigit(d) {
                s.append(d)
                advance()
            }
        }
        if let e = peek(), e == "e" || e == "E" {
            var k = 1
            if let sign = peek(1), sign == "+" || sign == "-" { k = 2 }
            if peek(k).map(Self.isDigit) == true {
                for _ in 0..<k {
                    s.append(peek()!)
                    advance()
                }
                while let d = peek(), Self.isDigit(d) {
                    s.append(d)
                    advance()
                }
            } else {
                throw .syntax("malformed exponent in numeric literal", at: here)
            }
        }
        if let d = peek(), Self.isLetter(d) || d == "_" {
            throw .syntax("malformed numeric literal '\(s)\(d)'", at: start)
        }
        return s
    }
}
