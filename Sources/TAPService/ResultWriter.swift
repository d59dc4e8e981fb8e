import ADQL
import Foundation
import VOResource

/// Output formats of query results (TAP 1.1 section 2.9, TAPRegExt output formats).
public enum ResultFormat: Sendable, Equatable {
    case votableTabledata, votableBinary2, csv, tsv

    /// Parses RESPONSEFORMAT / FORMAT values (MIME types with parameters, or short names).
    public init?(_ value: String?) {
        guard let v = value?.xmlTrimmed.lowercased(), !v.isEmpty else {
            self = .votableTabledata
            return
        }
        let compact = v.replacingOccurrences(of: " ", with: "")
        switch compact {
        case "votable", "votable/td", "text/xml", "application/x-votable+xml", "application/votable+xml",
            "application/x-votable+xml;serialization=tabledata", "application/votable+xml;serialization=tabledata":
            self = .votableTabledata
        case "votable/b2", "votableb2", "binary2", "application/x-votable+xml;serialization=binary2",
            "application/votable+xml;serialization=binary2":
            self = .votableBinary2
        case "csv", "text/csv", "text/csv;header=present": self = .csv
        case "tsv", "text/tab-separated-values": self = .tsv
        default: return nil
        }
    }

    public var mimeType: String {
        switch self {
        case .votableTabledata: "application/x-votable+xml"
        case .votableBinary2: "application/x-votable+xml;serialization=BINARY2"
        case .csv: "text/csv;header=present"
        case .tsv: "text/tab-separated-values"
        }
    }
}

/// One result cell as read from SQLite.
enum Cell {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
}

/// Writes a result table in a format, row by row, to a text sink.
protocol ResultWriter {
    mutating func begin(columns: [ADQLResultColumn], query: String)
    mutating func row(_ cells: [Cell])
    /// Ends the table; `overflow` when MAXREC cut it, `error` when the query failed mid-way.
    mutating func end(overflow: Bool, error: String?)
}

enum VOTable {
    static let namespace = "http://www.ivoa.net/xml/VOTable/v1.3"

    static func header(_ extra: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <VOTABLE version="1.4" xmlns="\(namespace)" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        \(extra)
        """
    }

    /// A DALI error document: a RESOURCE with QUERY_STATUS ERROR and the message.
    static func error(_ message: String) -> String {
        header()
            + """
            <RESOURCE type="results">
            <INFO name="QUERY_STATUS" value="ERROR">\(XMLEscaping.escape(message))</INFO>
            </RESOURCE>
            </VOTABLE>

            """
    }

    static func attr(_ s: String) -> String { XMLEscaping.escape(s, attribute: true) }

    /// The FIELD elements; names made unique and ID-safe.
    static func fields(_ columns: [ADQLResultColumn]) -> String {
        var out = ""
        for c in columns {
            let v = c.type.votable
            var a = "name=\"\(attr(c.name))\" datatype=\"\(v.datatype)\""
            if let s = v.arraysize { a += " arraysize=\"\(s)\"" }
            if let x = c.xtype ?? v.xtype { a += " xtype=\"\(attr(x))\"" }
            if let u = c.unit, !u.isEmpty { a += " unit=\"\(attr(u))\"" }
            if let u = c.ucd, !u.isEmpty { a += " ucd=\"\(attr(u))\"" }
            if let u = c.utype, !u.isEmpty { a += " utype=\"\(attr(u))\"" }
            if let d = c.description, !d.isEmpty {
                out += "<FIELD \(a)><DESCRIPTION>\(XMLEscaping.escape(d))</DESCRIPTION></FIELD>\n"
            } else {
                out += "<FIELD \(a)/>\n"
            }
        }
        return out
    }

    static func format(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        return "\(d)"
    }
}

/// VOTable 1.4 with TABLEDATA or BINARY2 serialization, streamed.
struct VOTableWriter: ResultWriter {
    let binary2: Bool
    let sink: (String) -> Void
    var columns: [ADQLResultColumn] = []
    var kinds: [Binary2.Kind] = []
    var encoder = Base64Stream()
    var buffer = ""

    init(binary2: Bool, sink: @escaping (String) -> Void) {
        self.binary2 = binary2
        self.sink = sink
    }

    mutating func begin(columns: [ADQLResultColumn], query: String) {
        self.columns = columns
        kinds = columns.map { Binary2.Kind($0.type) }
        sink(
            VOTable.header()
                + """
                <RESOURCE type="results">
                <INFO name="QUERY_STATUS" value="OK"/>
                <INFO name="QUERY" value="\(VOTable.attr(query))"/>
                <TABLE>
                \(VOTable.fields(columns))<DATA>\(binary2 ? "<BINARY2><STREAM encoding=\"base64\">" : "<TABLEDATA>\n")
                """)
    }

    mutating func row(_ cells: [Cell]) {
        if binary2 {
            var bytes: [UInt8] = []
            Binary2.encode(cells, kinds: kinds, into: &bytes)
            buffer += encoder.feed(bytes)
        } else {
            buffer += "<TR>"
            for (i, c) in cells.enumerated() {
                switch c {
                case .null: buffer += "<TD/>"
                case .int(let v):
                    buffer += kinds[i] == .boolean ? (v != 0 ? "<TD>T</TD>" : "<TD>F</TD>") : "<TD>\(v)</TD>"
                case .real(let v):
                    buffer += kinds[i].isInteger ? "<TD>\(Int64(exactly: v.rounded(.towardZero)) ?? 0)</TD>" : "<TD>\(VOTable.format(v))</TD>"
                case .text(let s):
                    if kinds[i].isNumeric {
                        buffer += "<TD/>"  // a non-number in a numeric column (SQLite is loosely typed)
                    } else {
                        buffer += "<TD>\(XMLEscaping.escape(s))</TD>"
                    }
                }
            }
            buffer += "</TR>\n"
        }
        if buffer.utf8.count >= 32_768 {
            sink(buffer)
            buffer = ""
        }
    }

    mutating func end(overflow: Bool, error: String?) {
        if binary2 {
            buffer += encoder.finish() + "</STREAM></BINARY2></DATA>\n</TABLE>\n"
        } else {
            buffer += "</TABLEDATA></DATA>\n</TABLE>\n"
        }
        if let error {
            buffer += "<INFO name=\"QUERY_STATUS\" value=\"ERROR\">\(XMLEscaping.escape(error))</INFO>\n"
        } else if overflow {
            buffer += "<INFO name=\"QUERY_STATUS\" value=\"OVERFLOW\"/>\n"
        }
        buffer += "</RESOURCE>\n</VOTABLE>\n"
        sink(buffer)
        buffer = ""
    }
}

/// CSV (RFC 4180, header line) or TSV.
struct DelimitedWriter: ResultWriter {
    let tab: Bool
    let sink: (String) -> Void
    var buffer = ""
    var kinds: [Binary2.Kind] = []

    mutating func begin(columns: [ADQLResultColumn], query: String) {
        kinds = columns.map { Binary2.Kind($0.type) }
        buffer = columns.map { quote($0.name) }.joined(separator: tab ? "\t" : ",") + "\r\n"
    }

    func quote(_ s: String) -> String {
        if tab {
            return s.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: "\r", with: " ")
        }
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    mutating func row(_ cells: [Cell]) {
        var parts: [String] = []
        parts.reserveCapacity(cells.count)
        for (i, c) in cells.enumerated() {
            switch c {
            case .null: parts.append("")
            case .int(let v): parts.append(kinds[i] == .boolean ? (v != 0 ? "T" : "F") : "\(v)")
            case .real(let v): parts.append(VOTable.format(v))
            case .text(let s): parts.append(quote(s))
            }
        }
        buffer += parts.joined(separator: tab ? "\t" : ",") + "\r\n"
        if buffer.utf8.count >= 32_768 {
            sink(buffer)
            buffer = ""
        }
    }

    mutating func end(overflow: Bool, error: String?) {
        sink(buffer)
        buffer = ""
    }
}

/// BINARY2 rows (VOTable 1.4 section 5.5): a null-flag bitmap, then each field big-endian.
enum Binary2 {
    enum Kind: Equatable {
        case boolean, short, int, long, float, double
        case fixedChar(Int)
        case varChar

        init(_ t: ADQLType) {
            switch t {
            case .boolean: self = .boolean
            case .smallint: self = .short
            case .integer: self = .int
            case .bigint: self = .long
            case .real: self = .float
            case .double: self = .double
            case .char(let n): self = .fixedChar(n ?? 1)
            default: self = .varChar
            }
        }

        var isInteger: Bool { self == .short || self == .int || self == .long }
        var isNumeric: Bool { isInteger || self == .float || self == .double }
    }

    static func encode(_ cells: [Cell], kinds: [Kind], into out: inout [UInt8]) {
        let flagsStart = out.count
        out.append(contentsOf: repeatElement(0, count: (cells.count + 7) / 8))
        for (i, c) in cells.enumerated() {
            let k = kinds[i]
            var isNull = false
            switch c {
            case .null: isNull = true
            case .text where k.isNumeric: isNull = true
            default: break
            }
            if isNull { out[flagsStart + i / 8] |= 0x80 >> UInt8(i % 8) }
            switch k {
            case .boolean:
                if case .int(let v) = c { out.append(v != 0 ? UInt8(ascii: "T") : UInt8(ascii: "F")) } else { out.append(0) }
            case .short: append(Int16(truncatingIfNeeded: integer(c) ?? 0).bigEndian, &out)
            case .int: append(Int32(truncatingIfNeeded: integer(c) ?? 0).bigEndian, &out)
            case .long: append((integer(c) ?? 0).bigEndian, &out)
            case .float: append(Float(real(c) ?? .nan).bitPattern.bigEndian, &out)
            case .double: append((real(c) ?? .nan).bitPattern.bigEndian, &out)
            case .fixedChar(let n):
                var bytes = Array(text(c).utf8.prefix(n))
                bytes += repeatElement(0, count: n - bytes.count)
                out += bytes
            case .varChar:
                let bytes = Array(text(c).utf8)
                append(UInt32(bytes.count).bigEndian, &out)
                out += bytes
            }
        }
    }

    static func integer(_ c: Cell) -> Int64? {
        switch c {
        case .int(let v): v
        case .real(let v): Int64(exactly: v.rounded(.towardZero))
        default: nil
        }
    }

    static func real(_ c: Cell) -> Double? {
        switch c {
        case .int(let v): Double(v)
        case .real(let v): v
        default: nil
        }
    }

    static func text(_ c: Cell) -> String {
        switch c {
        case .null: ""
        case .int(let v): "\(v)"
        case .real(let v): VOTable.format(v)
        case .text(let s): s
        }
    }

    static func append<T: FixedWidthInteger>(_ v: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v) { out.append(contentsOf: $0) }
    }
}

/// Base64 encoding of a byte stream fed in pieces.
struct Base64Stream {
    var pending: [UInt8] = []

    mutating func feed(_ bytes: [UInt8]) -> String {
        pending += bytes
        let usable = pending.count - pending.count % 3
        guard usable > 0 else { return "" }
        let out = Data(pending[0..<usable]).base64EncodedString()
        pending.removeFirst(usable)
        return out
    }

    mutating func finish() -> String {
        defer { pending = [] }
        return pending.isEmpty ? "" : Data(pending).base64EncodedString()
    }
}
