public import ADQL
import Foundation
import GRDB
public import VOResource

/// A table uploaded with a query (TAP 1.1 section 2.5.6), read from a VOTable.
public struct UploadedTable: Sendable {
    /// The name the query uses: `TAP_UPLOAD.<name>`.
    public var name: String
    public var columns: [ADQLColumn]
    var rows: [[Cell]]

    /// The SQLite table it lives in for the query's duration (a TEMP table on the query's connection).
    var sqlName: String { "tap_upload_" + name.lowercased() }

    var adqlTable: ADQLTable {
        ADQLTable(schema: "TAP_UPLOAD", name: name, sqlName: sqlName, description: "uploaded table", columns: columns)
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads `UPLOAD=name,uri;...` and the VOTables it names.
public enum UploadReader {
    /// Reads an upload URL, for loopback hosts only (the service must not fetch from elsewhere
    /// on a client's behalf).
    public static func fetchLoopback(_ text: String, maxBytes: Int) throws -> Data {
        guard let url = URL(string: text), let host = url.host?.lowercased(),
            ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        else { throw TAPError.usage("upload URLs must point to this machine (127.0.0.1 or localhost)") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Data, any Error> = .failure(TAPError.usage("no answer"))
        var request = URLRequest(url: url)
        request.timeoutInterval = 20
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                result = .failure(error)
            } else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                result = .failure(TAPError.usage("HTTP \(http.statusCode)"))
            } else {
                result = .success(data ?? Data())
            }
            done.signal()
        }.resume()
        done.wait()
        let data = try result.get()
        guard data.count <= maxBytes else { throw TAPError.usage("the upload is over \(maxBytes) bytes") }
        return data
    }

    /// Resolves the UPLOAD parameter. `parts` are multipart form parts by name; `fetch` reads
    /// an http(s) URL (the caller allows loopback only).
    public static func read(
        parameter: String, parts: [String: [UInt8]], maxBytes: Int, fetch: (String) throws -> Data
    ) throws(TAPError) -> [UploadedTable] {
        var tables: [UploadedTable] = []
        for item in parameter.split(separator: ";") {
            let pair = item.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty else {
                throw TAPError.usage("UPLOAD must be name,URI pairs separated by ';' (got '\(item)')")
            }
            let name = pair[0]
            guard name.range(of: "^[A-Za-z][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                throw TAPError.usage("upload table name '\(name)' must be a regular ADQL identifier")
            }
            let data: Data
            if pair[1].hasPrefix("param:") {
                guard let bytes = parts[String(pair[1].dropFirst(6))] else {
                    throw TAPError.usage("UPLOAD \(name) refers to \(pair[1]), but the request has no such part")
                }
                data = Data(bytes)
            } else if pair[1].hasPrefix("http://") || pair[1].hasPrefix("https://") {
                do { data = try fetch(pair[1]) } catch {
                    throw TAPError.usage("cannot read the upload \(pair[1]): \(error)")
                }
            } else {
                throw TAPError.usage("UPLOAD URI must be param:NAME or an http(s) URL (got '\(pair[1])')")
            }
            guard data.count <= maxBytes else {
                throw TAPError.usage("upload \(name) is \(data.count) bytes, over the limit of \(maxBytes)")
            }
            tables.append(try votable(name: name, data: data, maxBytes: maxBytes))
        }
        return tables
    }

    /// Reads the first TABLE of a VOTable (TABLEDATA serialization) with the hardened parser.
    static func votable(name: String, data: Data, maxBytes: Int) throws(TAPError) -> UploadedTable {
        var limits = XMLLimits.default
        limits.maxDocumentBytes = maxBytes
        let doc: XMLDocument
        do { doc = try XMLDocument(data: data, url: name, limits: limits) } catch {
            throw TAPError.usage("upload \(name) is not a readable VOTable: \(error)")
        }
        guard let root = doc.root, root.name == "VOTABLE" else {
            throw TAPError.usage("upload \(name) is not a VOTable")
        }
        // VOTable 1.1–1.5 use the IVOA namespaces; very old VOTables none or VizieR's.
        if let ns = root.namespace, !ns.hasPrefix("http://www.ivoa.net/xml/VOTable/"),
            !ns.hasPrefix("http://vizier.u-strasbg.fr/")
        {
            throw TAPError.usage("upload \(name) is not a VOTable: its root is in the namespace \(ns)")
        }
        var table: XMLElement?
        func find(_ e: XMLElement) {
            for c in e.children where table == nil {
                if c.name == "TABLE" { table = c } else if c.name == "RESOURCE" { find(c) }
            }
        }
        find(root)
        guard let table else { throw TAPError.usage("upload \(name) has no TABLE") }
        var columns: [ADQLColumn] = []
        var fieldTypes: [(datatype: String, arraysize: String?)] = []
        var nullValues: [String?] = []
        var seen = Set<String>()
        for f in table.children(named: "FIELD") {
            let fname = f.attribute("name") ?? "col\(columns.count + 1)"
            var colName = fname.lowercased()
            if colName.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil {
                colName = "col\(columns.count + 1)"
            }
            while seen.contains(colName) { colName += "_" }
            seen.insert(colName)
            let type = adqlType(datatype: f.attribute("datatype") ?? "char", arraysize: f.attribute("arraysize"))
            nullValues.append(f.child(named: "VALUES")?.attribute("null"))
            fieldTypes.append((f.attribute("datatype") ?? "char", f.attribute("arraysize")))
            columns.append(
                ADQLColumn(
                    name: colName, sqlName: colName, type: type, unit: f.attribute("unit"), ucd: f.attribute("ucd"),
                    utype: f.attribute("utype"), description: f.child(named: "DESCRIPTION")?.text.xmlTrimmed,
                    xtype: f.attribute("xtype")))
        }
        guard !columns.isEmpty else { throw TAPError.usage("upload \(name) has no FIELD") }
        guard let dataEl = table.child(named: "DATA") else {
            return UploadedTable(name: name, columns: columns, rows: [])
        }
        if let bin = dataEl.child(named: "BINARY2") ?? dataEl.child(named: "BINARY") {
            guard let stream = bin.child(named: "STREAM"), stream.attribute("href") == nil,
                let bytes = Data(base64Encoded: stream.text.filter { !$0.isWhitespace })
            else {
                throw TAPError.usage("upload \(name): a \(bin.name) table needs an inline base64 STREAM")
            }
            let rows = try BinaryStream.decode(
                [UInt8](bytes), fields: fieldTypes, flags: bin.name == "BINARY2", name: name
            ).map { raw in
                raw.enumerated().map { i, text -> Cell in
                    guard let text else { return .null }
                    if let n = nullValues[i], text == n { return .null }
                    return cell(text, columns[i].type)
                }
            }
            return UploadedTable(name: name, columns: columns, rows: rows)
        }
        guard let td = dataEl.child(named: "TABLEDATA") else {
            throw TAPError.usage("upload \(name): DATA must hold TABLEDATA, BINARY or BINARY2 (FITS is not accepted)")
        }
        var rows: [[Cell]] = []
        for tr in td.children(named: "TR") {
            let cells = tr.children(named: "TD")
            var row: [Cell] = []
            for (i, c) in columns.enumerated() {
                let text = i < cells.count ? cells[i].text : ""
                if let n = nullValues[i], text.xmlTrimmed == n {
                    row.append(.null)
                } else {
                    row.append(cell(text, c.type))
                }
            }
            rows.append(row)
        }
        return UploadedTable(name: name, columns: columns, rows: rows)
    }

    static func adqlType(datatype: String, arraysize: String?) -> ADQLType {
        switch datatype {
        case "boolean": return .boolean
        case "short", "unsignedByte": return .smallint
        case "int": return .integer
        case "long": return .bigint
        case "float": return arraysize == nil ? .real : .varchar(nil)
        case "double": return arraysize == nil ? .double : .varchar(nil)
        default: return .varchar(nil)
        }
    }

    static func cell(_ text: String, _ type: ADQLType) -> Cell {
        let t = text.xmlTrimmed
        switch type {
        case .boolean:
            if t.isEmpty || t == "?" { return .null }
            return .int(["t", "true", "1"].contains(t.lowercased()) ? 1 : 0)
        case .smallint, .integer, .bigint:
            return Int64(t).map(Cell.int) ?? .null
        case .real, .double:
            return Double(t).map(Cell.real) ?? .null
        default:
            return text.isEmpty ? .null : .text(text)
        }
    }
}

extension TAPService {
    /// The catalog of an audience plus uploaded tables.
    func catalog(for audience: TAPAudience, uploads: [UploadedTable]) -> ADQLCatalog {
        var c = catalog(for: audience)
        c.tables += uploads.map(\.adqlTable)
        return c
    }

    /// Creates the uploads as TEMP tables on the query's connection.
    static func install(_ uploads: [UploadedTable], in db: Database) throws {
        for u in uploads {
            try db.execute(sql: "DROP TABLE IF EXISTS temp.\"\(u.sqlName)\"")
            let cols = u.columns.map { "\"\($0.sqlName)\"" }.joined(separator: ", ")
            try db.execute(sql: "CREATE TEMP TABLE \"\(u.sqlName)\" (\(cols))")
            let insert = try db.makeStatement(
                sql: "INSERT INTO temp.\"\(u.sqlName)\" VALUES (\(u.columns.map { _ in "?" }.joined(separator: ", ")))")
            for row in u.rows {
                let values: [(any DatabaseValueConvertible)?] = row.map {
                    switch $0 {
                    case .null: nil
                    case .int(let v): v
                    case .real(let v): v
                    case .text(let s): s
                    }
                }
                try insert.execute(arguments: StatementArguments(values))
            }
        }
    }

    static func drop(_ uploads: [UploadedTable], in db: Database) {
        for u in uploads { try? db.execute(sql: "DROP TABLE IF EXISTS temp.\"\(u.sqlName)\"") }
    }
}

/// Decodes VOTable BINARY / BINARY2 streams (VOTable 1.4 section 5.4, 5.5) into text cells
/// (nil for NULL), which are then typed like TABLEDATA cells.
enum BinaryStream {
    static func width(_ datatype: String) -> Int? {
        switch datatype {
        case "boolean", "unsignedByte", "char": 1
        case "short", "unicodeChar": 2
        case "int", "float": 4
        case "long", "double", "floatComplex": 8
        case "doubleComplex": 16
        default: nil
        }
    }

    static func decode(
        _ b: [UInt8], fields: [(datatype: String, arraysize: String?)], flags: Bool, name: String
    ) throws(TAPError) -> [[String?]] {
        var rows: [[String?]] = []
        var i = 0
        func need(_ n: Int) throws(TAPError) {
            if n < 0 || i + n > b.count { throw TAPError.usage("upload \(name): the binary stream ends inside a row") }
        }
        func u32() throws(TAPError) -> Int {
            try need(4)
            defer { i += 4 }
            return Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
        }
        func bits(_ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<n { v = v << 8 | UInt64(b[i + k]) }
            return v
        }
        while i < b.count {
            let rowStart = i
            var nulls = [Bool](repeating: false, count: fields.count)
            if flags {
                let n = (fields.count + 7) / 8
                try need(n)
                for k in 0..<fields.count { nulls[k] = b[i + k / 8] & (0x80 >> UInt8(k % 8)) != 0 }
                i += n
            }
            var row: [String?] = []
            for (k, f) in fields.enumerated() {
                guard let w = width(f.datatype) else {
                    throw TAPError.usage("upload \(name): datatype \(f.datatype) is not supported in binary uploads")
                }
                var count = 1
                if let a = f.arraysize {
                    if a.hasSuffix("*") {
                        count = try u32()
                    } else {
                        count = try fixedCount(a, name: name)
                    }
                }
                guard count >= 0, count <= 1 << 24 else { throw TAPError.usage("upload \(name): bad array size") }
                try need(count * w)
                var text: String
                switch f.datatype {
                case "char":
                    text = String(decoding: b[i..<(i + count)].prefix { $0 != 0 }, as: UTF8.self)
                case "unicodeChar":
                    var units: [UInt16] = []
                    for k in 0..<count { units.append(UInt16(b[i + 2 * k]) << 8 | UInt16(b[i + 2 * k + 1])) }
                    text = String(decoding: units.prefix { $0 != 0 }, as: UTF16.self)
                default:
                    var parts: [String] = []
                    for k in 0..<count {
                        let save = i
                        i += k * w
                        let v = bits(w)
                        i = save
                        switch f.datatype {
                        case "boolean":
                            let c = UInt8(v)
                            parts.append(c == UInt8(ascii: "T") || c == UInt8(ascii: "t") || c == UInt8(ascii: "1") ? "T" : (c == UInt8(ascii: "F") || c == UInt8(ascii: "f") || c == UInt8(ascii: "0") ? "F" : ""))
                        case "unsignedByte": parts.append("\(v)")
                        case "short": parts.append("\(Int16(truncatingIfNeeded: v))")
                        case "int": parts.append("\(Int32(truncatingIfNeeded: v))")
                        case "long": parts.append("\(Int64(bitPattern: v))")
                        case "float":
                            let d = Float(bitPattern: UInt32(truncatingIfNeeded: v))
                            parts.append(d.isNaN ? "" : "\(d)")
                        case "double":
                            let d = Double(bitPattern: v)
                            parts.append(d.isNaN ? "" : "\(d)")
                        default: parts.append("")
                        }
                    }
                    text = parts.joined(separator: " ")
                }
                i += count * w
                row.append(nulls[k] || (f.datatype != "char" && f.datatype != "unicodeChar" && text.isEmpty) ? nil : text)
            }
            // A row of fixed zero-length arrays takes no bytes: the stream would never end.
            guard i > rowStart else {
                throw TAPError.usage("upload \(name): a BINARY row has no bytes (every FIELD has arraysize 0)")
            }
            rows.append(row)
        }
        return rows
    }

    /// The element count of a fixed `arraysize` such as `8` or `2x3` (at most 2^24).
    static func fixedCount(_ arraysize: String, name: String) throws(TAPError) -> Int {
        var count = 1
        for part in arraysize.split(separator: "x", omittingEmptySubsequences: false) {
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw TAPError.usage("upload \(name): bad arraysize '\(arraysize)'")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow, product <= 1 << 24 else { throw TAPError.usage("upload \(name): bad array size") }
            count = product
        }
        return count
    }
}
