import Foundation
public import VOResource

/// A value bound into an rr row.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)

    public var text: String? { if case .text(let s) = self { s } else { nil } }
}

/// The rr rows of one record, per table, in column order.
public struct RegTAPRows: Sendable {
    public var rows: [[[SQLValue]]] = Array(repeating: [], count: RRTable.allCases.count)
    /// The text the full-text index holds for this record.
    public var fullText = FullTextDocument()

    public subscript(_ t: RRTable) -> [[SQLValue]] {
        get { rows[t.rawValue] }
        set { rows[t.rawValue] = newValue }
    }

    mutating func add(_ t: RRTable, _ row: [SQLValue]) { rows[t.rawValue].append(row) }

    /// Total number of rows.
    public var count: Int { rows.reduce(0) { $0 + $1.count } }
}

/// The fields of a record the FTS5 index searches.
public struct FullTextDocument: Sendable, Equatable {
    public var title = ""
    public var shortName = ""
    public var subjects = ""
    public var description = ""
    public var tables = ""
}

/// The RegTAP 1.2 mapping from a VOResource record to rr rows ("Mapping rules", "QNames",
/// and each table's section). Pure: no database involved.
///
/// Rules applied everywhere: strings are whitespace-stripped; empty strings become NULL; the
/// columns the standard lists are lower-cased; 1:n values of content_level, content_type,
/// waveband, query_type, mirror_url and flag are joined with `#`; QNames use the canonical
/// prefixes; indexes (cap, intf, schema, table) count from 1 in document order per resource.
public enum RegTAPMapper {
    /// Maps an active record. (Inactive and deleted records have no rr rows at all.)
    public static func rows(for r: Resource) -> RegTAPRows {
        var out = RegTAPRows()
        let ivoid = SQLValue.text(asciiLowered(r.identifier))
        let coverage = r.coverage
        let firstRights = r.rights.first

        out.add(
            .resource,
            [
                ivoid,
                qname(r.xsiType),
                timestamp(r.created),
                str(r.shortName),
                str(r.title),
                timestamp(r.updated),
                hashList(r.content.contentLevels, lower: true),
                str(r.content.description),
                str(r.content.referenceURL),
                creatorSeq(r.curation.creators),
                hashList(r.content.types, lower: true),
                lower(r.content.source?.format),
                str(r.content.source?.value),
                str(r.curation.version),
                real(coverage?.regionOfRegard),
                hashList(coverage?.wavebands ?? [], lower: true),
                str(firstRights?.value),
                str(firstRights?.rightsURI),
            ])

        // res_role
        let cur = r.curation
        for c in cur.contacts {
            out.add(
                .resRole,
                [
                    ivoid, str(c.name?.name), lower(c.name?.ivoid ?? c.ivoid), str(c.address), str(c.email),
                    str(c.telephone), .null, .text("contact"),
                ])
        }
        if let p = cur.publisher {
            out.add(.resRole, [ivoid, str(p.name), lower(p.ivoid), .null, .null, .null, .null, .text("publisher")])
        }
        for c in cur.creators {
            out.add(
                .resRole,
                [
                    ivoid, str(c.name.name), lower(c.name.ivoid ?? c.ivoid), .null, .null, .null, str(c.logo),
                    .text("creator"),
                ])
        }
        for c in cur.contributors {
            out.add(.resRole, [ivoid, str(c.name), lower(c.ivoid), .null, .null, .null, .null, .text("contributor")])
        }

        for s in r.content.subjects {
            let v = str(s)
            if v != .null { out.add(.resSubject, [ivoid, v]) }
        }

        // capabilities and interfaces
        var intfIndex = 0
        for (ci, cap) in r.capabilities.enumerated() {
            let capIndex = SQLValue.int(Int64(ci + 1))
            out.add(.capability, [ivoid, capIndex, qname(cap.xsiType), str(cap.description), lower(cap.standardID)])
            for v in cap.validationLevels {
                if let row = validationRow(ivoid, v, capIndex) { out.add(.validation, row) }
            }
            for intf in cap.interfaces {
                intfIndex += 1
                let ii = SQLValue.int(Int64(intfIndex))
                let first = intf.accessURLs.first
                let authenticated =
                    intf.securityMethods.isEmpty
                    || intf.securityMethods.contains { ($0?.xmlTrimmed ?? "").isEmpty }
                    ? 0 : 1
                out.add(
                    .interface,
                    [
                        ivoid, capIndex, ii, qname(intf.xsiType), lower(intf.role), lower(intf.version),
                        hashList(intf.queryTypes, lower: true), lower(intf.resultType), str(intf.wsdlURLs.first),
                        lower(first?.use), str(first?.url), hashList(intf.mirrorURLs.map(\.url), lower: false),
                        .int(Int64(authenticated)),
                    ])
                for p in intf.params {
                    out.add(
                        .intfParam,
                        [
                            ivoid, ii, lower(p.name), lower(p.ucd), str(p.unit), lower(p.utype), bool(p.std),
                            lower(p.dataType?.value), str(p.dataType?.extendedSchema),
                            str(p.dataType?.extendedType), str(p.dataType?.arraysize), str(p.dataType?.delim),
                            lower(p.use), str(p.description),
                        ])
                }
            }
        }

        // tables: schema tables first in document order, then any outside a schema
        var tableIndex = 0
        var tableText: [String] = []
        func addTable(_ t: Table, schemaIndex: SQLValue) {
            tableIndex += 1
            let ti = SQLValue.int(Int64(tableIndex))
            out.add(
                .resTable,
                [
                    ivoid, schemaIndex, str(t.description), str(t.name), ti, str(t.title), lower(t.type),
                    lower(t.utype), integer(t.nrows),
                ])
            tableText.append(t.name)
            if let d = t.description { tableText.append(d) }
            for c in t.columns {
                out.add(
                    .tableColumn,
                    [
                        ivoid, ti, lower(c.name), lower(c.ucd), str(c.unit), lower(c.utype), bool(c.std),
                        lower(c.dataType?.value), str(c.dataType?.extendedSchema), str(c.dataType?.extendedType),
                        str(c.dataType?.arraysize), str(c.dataType?.delim), qname(c.dataType?.xsiType),
                        hashList(c.flags, lower: false), str(c.description),
                    ])
            }
        }
        for part in r.parts {
            switch part {
            case .tableset(let ts):
                for (si, s) in ts.schemas.enumerated() {
                    let schemaIndex = SQLValue.int(Int64(si + 1))
                    out.add(
                        .resSchema,
                        [ivoid, schemaIndex, str(s.description), lower(s.name), str(s.title), lower(s.utype)])
                    for t in s.tables { addTable(t, schemaIndex: schemaIndex) }
                }
            case .table(let t):
                addTable(t, schemaIndex: .null)
            default: break
            }
        }

        for rel in r.content.relationships {
            let type = lower(translateRelationship(rel.type))
            for related in rel.related {
                out.add(.relationship, [ivoid, type, lower(related.ivoid), str(related.name)])
            }
        }
        for v in r.validationLevels {
            if let row = validationRow(ivoid, v, .null) { out.add(.validation, row) }
        }
        for d in cur.dates {
            out.add(.resDate, [ivoid, timestamp(d.value), lower(translateDateRole(d.role))])
        }
        for d in r.details {
            out.add(.resDetail, [ivoid, d.capabilityIndex.map { .int(Int64($0)) } ?? .null, .text(d.xpath), .text(d.value)])
        }
        for a in r.altIdentifiers + cur.creators.flatMap(\.altIdentifiers) {
            let v = str(a)
            if v != .null { out.add(.altIdentifier, [ivoid, v]) }
        }
        if let coverage {
            if let moc = str(coverage.spatial).text {
                out.add(.stcSpatial, [ivoid, .text(moc), .null])
            }
            for t in coverage.temporal {
                if let (lo, hi) = interval(t) { out.add(.stcTemporal, [ivoid, .real(lo), .real(hi)]) }
            }
            for s in coverage.spectral {
                if let (lo, hi) = interval(s) { out.add(.stcSpectral, [ivoid, .real(lo), .real(hi)]) }
            }
        }

        out.fullText = FullTextDocument(
            title: r.title,
            shortName: r.shortName ?? "",
            subjects: r.content.subjects.map(trim).filter { !$0.isEmpty }.joined(separator: "; "),
            description: r.content.description,
            tables: tableText.joined(separator: " \n"))
        return out
    }

    // MARK: - Value rules

    /// Whitespace-stripped, empty → NULL.
    @inline(__always)
    static func str(_ s: String?) -> SQLValue {
        guard let s else { return .null }
        let t = trim(s)
        return t.isEmpty ? .null : .text(t)
    }

    /// Whitespace-stripped, lower-cased, empty → NULL.
    @inline(__always)
    static func lower(_ s: String?) -> SQLValue {
        guard let s else { return .null }
        let t = trim(s)
        return t.isEmpty ? .null : .text(asciiLowered(t))
    }

    @inline(__always)
    static func trim(_ s: String) -> String { s.xmlTrimmed }

    /// Lower-cased; returns the string itself (no copy) when it has no upper-case letter.
    /// Full Unicode lower-casing applies to non-ASCII text (RegTAP: at least A-Z, ideally R2).
    @inline(__always)
    static func asciiLowered(_ s: String) -> String {
        for b in s.utf8 where (b >= 65 && b <= 90) || b >= 128 { return s.lowercased() }
        return s
    }

    /// Members joined with `#` (RegTAP's hash-joined lists), NULL when there are none.
    static func hashList(_ values: [String], lower: Bool) -> SQLValue {
        var parts: [String] = []
        for v in values {
            let t = trim(v)
            if !t.isEmpty { parts.append(lower ? asciiLowered(t) : t) }
        }
        return parts.isEmpty ? .null : .text(parts.joined(separator: "#"))
    }

    /// creator names in document order joined with "; ".
    static func creatorSeq(_ creators: [Creator]) -> SQLValue {
        let names = creators.map { trim($0.name.name) }.filter { !$0.isEmpty }
        return names.isEmpty ? .null : .text(names.joined(separator: "; "))
    }

    /// A QName with its canonical prefix, lower-cased.
    static func qname(_ q: QualifiedName?) -> SQLValue {
        guard let q else { return .null }
        return lower(q.canonical)
    }

    /// `true`/`1` → 1, `false`/`0` → 0, else NULL.
    static func bool(_ s: String?) -> SQLValue {
        switch s.map(trim)?.lowercased() {
        case "true", "1": .int(1)
        case "false", "0": .int(0)
        default: .null
        }
    }

    static func integer(_ s: String?) -> SQLValue {
        guard let s, let v = Int64(trim(s)) else { return .null }
        return .int(v)
    }

    static func real(_ s: String?) -> SQLValue {
        guard let s, let v = Double(trim(s)) else { return .null }
        return .real(v)
    }

    static func validationRow(_ ivoid: SQLValue, _ v: Validation, _ capIndex: SQLValue) -> [SQLValue]? {
        guard let level = Int64(trim(v.level)) else { return nil }
        return [ivoid, lower(v.validatedBy), .int(level), capIndex]
    }

    /// Two whitespace-separated numbers, lower then upper limit.
    static func interval(_ s: String) -> (Double, Double)? {
        let parts = s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        guard parts.count == 2, let lo = Double(parts[0]), let hi = Double(parts[1]) else { return nil }
        return (lo, hi)
    }

    /// RegTAP appendix C: old relationship terms → the vocabulary's.
    static func translateRelationship(_ s: String) -> String {
        switch trim(s) {
        case "mirror-of": "IsIdenticalTo"
        case "service-for": "IsServiceFor"
        case "served-by": "IsServedBy"
        case "derived-from": "IsDerivedFrom"
        case let other: other
        }
    }

    /// RegTAP appendix C: old date roles → the vocabulary's. A missing role is the schema
    /// default, `representative`, which translates to `Collected`.
    static func translateDateRole(_ s: String?) -> String {
        switch s.map(trim) ?? "representative" {
        case "representative", "": "Collected"
        case "creation": "Created"
        case "update": "Updated"
        case let other: other
        }
    }

    /// A DALI timestamp `YYYY-MM-DDThh:mm:ss` from an xs:dateTime or xs:date; NULL when the
    /// value is not a date (fractional seconds and zone designators are dropped).
    static func timestamp(_ s: String?) -> SQLValue {
        guard let s else { return .null }
        let t = Array(trim(s).utf8)
        func digits(_ r: Range<Int>) -> Bool { r.upperBound <= t.count && r.allSatisfy { t[$0] >= 48 && t[$0] <= 57 } }
        guard t.count >= 10, digits(0..<4), t[4] == UInt8(ascii: "-"), digits(5..<7), t[7] == UInt8(ascii: "-"),
            digits(8..<10)
        else { return .null }
        let date = String(decoding: t[0..<10], as: UTF8.self)
        if t.count >= 19, t[10] == UInt8(ascii: "T") || t[10] == UInt8(ascii: " "), digits(11..<13),
            t[13] == UInt8(ascii: ":"), digits(14..<16), t[16] == UInt8(ascii: ":"), digits(17..<19)
        {
            return .text(date + "T" + String(decoding: t[11..<19], as: UTF8.self))
        }
        if t.count >= 16, t[10] == UInt8(ascii: "T"), digits(11..<13), t[13] == UInt8(ascii: ":"), digits(14..<16) {
            return .text(date + "T" + String(decoding: t[11..<16], as: UTF8.self) + ":00")
        }
        return .text(date + "T00:00:00")
    }
}
