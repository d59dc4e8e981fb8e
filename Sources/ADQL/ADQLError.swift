/// A position in the ADQL text: 1-based line and column (columns count characters).
public struct SourcePosition: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column)" }
}

/// Why an ADQL query was refused, with the position of the offending text.
///
/// `.syntax` errors come from the lexer and parser (the text is not ADQL);
/// `.semantic` errors from the translator (valid ADQL this service cannot run:
/// an unknown table, column or function, an unsupported feature).
public struct ADQLError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case syntax
        case semantic
    }

    public var kind: Kind
    public var message: String
    public var line: Int
    public var column: Int

    public init(_ kind: Kind, _ message: String, at position: SourcePosition) {
        self.kind = kind
        self.message = message
        self.line = position.line
        self.column = position.column
    }

    /// `line L, column C: message`.
    public var description: String { "line \(line), column \(column): \(message)" }

    static func syntax(_ message: String, at p: SourcePosition) -> ADQLError { ADQLError(.syntax, message, at: p) }
    static func semantic(_ message: String, at p: SourcePosition) -> ADQLError { ADQLError(.semantic, message, at: p) }
}
