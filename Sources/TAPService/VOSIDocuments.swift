public import ADQL
import Foundation
import VOResource

/// The VOSI and DALI documents of the TAP service: capabilities (with TAPRegExt), availability,
/// tables, examples.
extension TAPService {
    static func e(_ s: String) -> String { XMLEscaping.escape(s) }
    static func a(_ s: String) -> String { XMLEscaping.escape(s, attribute: true) }

    /// The RegTAP user-defined functions, as TAPRegExt declares them.
    static let udfs: [(form: String, description: String)] = [
        ("ivo_hasword(haystack TEXT, needle TEXT) -> INTEGER",
         "1 if needle is a word (or a phrase of words) in haystack, case-insensitively, else 0 (RegTAP 1.2)."),
        ("ivo_hashlist_has(hashlist TEXT, item TEXT) -> INTEGER",
         "1 if item is one of the #-separated items of hashlist, case-insensitively, else 0 (RegTAP 1.2)."),
        ("ivo_nocasematch(value TEXT, pattern TEXT) -> INTEGER",
         "1 if value matches the SQL LIKE pattern case-insensitively, else 0 (RegTAP 1.2)."),
        ("ivo_string_agg(expr TEXT, delim TEXT) -> TEXT",
         "Aggregate: the non-NULL values of expr joined by delim; the empty string for an empty group (RegTAP 1.2)."),
        ("ivo_interval_overlaps(l1 NUMERIC, h1 NUMERIC, l2 NUMERIC, h2 NUMERIC) -> INTEGER",
         "1 if the closed intervals [l1, h1] and [l2, h2] overlap, else 0 (RegTAP 1.2)."),
    ]

    /// Optional ADQL 2.1 features this service supports, by TAPRegExt feature type.
    static let adqlFeatures: [(type: String, forms: [String])] = [
        ("ivo://ivoa.net/std/TAPRegExt#features-adql-sets", ["UNION", "EXCEPT", "INTERSECT"]),
        ("ivo://ivoa.net/std/TAPRegExt#features-adql-common-table", ["WITH"]),
        ("ivo://ivoa.net/std/TAPRegExt#features-adql-string", ["LOWER", "UPPER", "ILIKE"]),
        ("ivo://ivoa.net/std/TAPRegExt#features-adql-offset", ["OFFSET"]),
        ("ivo://ivoa.net/std/TAPRegExt#features-adql-type", ["CAST"]),
        // ADQL 2.1 geometry as RegTAP 1.2 uses it on rr.stc_spatial.coverage
        ("ivo://ivoa.net/std/TAPRegExt#features-adqlgeo", ["POINT", "CIRCLE", "POLYGON", "CONTAINS", "INTERSECTS"]),
        // MOC(order, geometry) and MOC('ascii moc'): the key pyvo's registry.Spatial looks for
        ("ivo://org.gavo.dc/std/exts#extra-adql-keywords", ["MOC"]),
    ]

    static let outputFormats: [(id: String, mime: String, alias: String)] = [
        ("ivo://ivoa.net/std/TAPRegExt#output-votable-td", "application/x-votable+xml", "votable"),
        ("ivo://ivoa.net/std/TAPRegExt#output-votable-binary2",
         "application/x-votable+xml;serialization=BINARY2", "votable/b2"),
        // CSV and TSV have no standard TAPRegExt key.
        ("", "text/csv;header=present", "csv"),
        ("", "text/tab-separated-values", "tsv"),
    ]

    /// The VOSI capabilities document (TAP 1.1 section 2.4, TAPRegExt 1.0).
    public func capabilitiesDocument() -> String {
        let b = configuration.baseURL
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0" \
            xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" \
            xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">
            <interface xsi:type="vs:ParamHTTP" role="std" version="1.1"><accessURL use="base">\(Self.e(b))</accessURL></interface>
            <dataModel ivo-id="ivo://ivoa.net/std/RegTAP#1.0">Registry 1.0</dataModel>
            <dataModel ivo-id="ivo://ivoa.net/std/RegTAP#1.2">Registry 1.2</dataModel>
            <language><name>ADQL</name>
            <version ivo-id="ivo://ivoa.net/std/ADQL#v2.0">2.0</version>
            <version ivo-id="ivo://ivoa.net/std/ADQL#v2.1">2.1</version>
            <description>ADQL 2.1 (and 2.0) translated to SQLite; the RegTAP functions below are available.</description>
            <languageFeatures type="ivo://ivoa.net/std/TAPRegExt#features-udf">

            """
        for f in Self.udfs {
            s += "<feature><form>\(Self.e(f.form))</form><description>\(Self.e(f.description))</description></feature>\n"
        }
        s += "</languageFeatures>\n"
        for lf in Self.adqlFeatures {
            s += "<languageFeatures type=\"\(lf.type)\">"
            for f in lf.forms { s += "<feature><form>\(f)</form></feature>" }
            s += "</languageFeatures>\n"
        }
        s += "</language>\n"
        for o in Self.outputFormats {
            s += "<outputFormat\(o.id.isEmpty ? "" : " ivo-id=\"\(o.id)\"")><mime>\(Self.e(o.mime))</mime><alias>\(o.alias)</alias></outputFormat>\n"
        }
        s += """
            <uploadMethod ivo-id="ivo://ivoa.net/std/TAPRegExt#upload-inline"/>
            <uploadMethod ivo-id="ivo://ivoa.net/std/TAPRegExt#upload-http"/>
            <retentionPeriod><default>\(configuration.retention)</default><hard>\(configuration.retention)</hard></retentionPeriod>
            <executionDuration><default>\(configuration.asyncDefaultDuration)</default><hard>\(configuration.asyncMaxDuration)</hard></executionDuration>
            <outputLimit><default unit="row">\(configuration.defaultMaxrec)</default><hard unit="row">\(configuration.hardMaxrec)</hard></outputLimit>
            <uploadLimit><hard unit="byte">\(configuration.maxUploadBytes)</hard></uploadLimit>
            </capability>
            <capability standardID="ivo://ivoa.net/std/VOSI#capabilities">
            <interface xsi:type="vs:ParamHTTP"><accessURL use="full">\(Self.e(b))/capabilities</accessURL></interface>
            </capability>
            <capability standardID="ivo://ivoa.net/std/VOSI#availability">
            <interface xsi:type="vs:ParamHTTP"><accessURL use="full">\(Self.e(b))/availability</accessURL></interface>
            </capability>
            <capability standardID="ivo://ivoa.net/std/VOSI#tables-1.1">
            <interface xsi:type="vs:ParamHTTP" version="1.1"><accessURL use="full">\(Self.e(b))/tables</accessURL></interface>
            </capability>
            <capability standardID="ivo://ivoa.net/std/DALI#examples">
            <interface xsi:type="vr:WebBrowser"><accessURL use="full">\(Self.e(b))/examples</accessURL></interface>
            </capability>
            </vosi:capabilities>

            """
        return s
    }

    /// VOSI availability: the service answers when the store can be read.
    public func availabilityDocument(since: Date) -> String {
        let ok = (try? readers.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tap_schema_schemas") }) != nil
        let f = ISO8601DateFormatter()
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <avl:availability xmlns:avl="http://www.ivoa.net/xml/VOSIAvailability/v1.0">
            <avl:available>\(ok)</avl:available>
            <avl:upSince>\(f.string(from: since))</avl:upSince>
            <avl:note>\(ok ? "The registry accepts queries." : "The registry's store cannot be read.")</avl:note>
            </avl:availability>

            """
    }

    /// VOSI tables 1.1. `detail=min` leaves out columns; a path names one table.
    public func tablesDocument(audience: TAPAudience, detail: String?, table: String? = nil) -> String? {
        let catalog = catalog(for: audience)
        let withColumns = detail?.lowercased() != "min"
        if let table {
            guard let t = catalog.table(qualifiedName: table) else { return nil }
            return """
                <?xml version="1.0" encoding="UTF-8"?>
                <vosi:table xmlns:vosi="http://www.ivoa.net/xml/VOSITables/v1.0" \
                xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
                type="\(t.name == "tap_table" ? "view" : "table")">
                \(Self.tableBody(t, columns: true))</vosi:table>

                """
        }
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <vosi:tableset xmlns:vosi="http://www.ivoa.net/xml/VOSITables/v1.0" \
            xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">

            """
        for schema in catalog.schemas {
            s += "<schema><name>\(Self.e(schema))</name>\n"
            for t in catalog.tables where t.schema == schema {
                s += "<table type=\"\(t.name == "tap_table" ? "view" : "table")\">\(Self.tableBody(t, columns: withColumns))</table>\n"
            }
            s += "</schema>\n"
        }
        return s + "</vosi:tableset>\n"
    }

    static func tableBody(_ t: ADQLTable, columns: Bool) -> String {
        var s = "<name>\(e(t.qualifiedName))</name>"
        if let d = t.description { s += "<description>\(e(d))</description>" }
        if let u = t.utype { s += "<utype>\(e(u))</utype>" }
        guard columns else { return s }
        for c in t.columns {
            let v = c.type.votable
            s += "<column><name>\(e(TAPSchema.columnName(c.name)))</name>"
            if let d = c.description { s += "<description>\(e(d))</description>" }
            if let u = c.unit, !u.isEmpty { s += "<unit>\(e(u))</unit>" }
            if let u = c.ucd, !u.isEmpty { s += "<ucd>\(e(u))</ucd>" }
            if let u = c.utype, !u.isEmpty { s += "<utype>\(e(u))</utype>" }
            s += "<dataType xsi:type=\"vs:VOTableType\""
            if let n = v.arraysize { s += " arraysize=\"\(n)\"" }
            if let x = c.xtype ?? v.xtype { s += " extendedType=\"\(a(x))\"" }
            s += ">\(v.datatype)</dataType>"
            if c.indexed { s += "<flag>indexed</flag>" }
            if c.principal { s += "<flag>primary</flag>" }
            if c.std { s += "<flag>std</flag>" }
            s += "</column>"
        }
        for k in TAPSchema.keys where k.from == t.qualifiedName {
            s += "<foreignKey><targetTable>\(e(k.target))</targetTable>"
            for (f, tc) in k.columns {
                s += "<fkColumn><fromColumn>\(e(f))</fromColumn><targetColumn>\(e(tc))</targetColumn></fkColumn>"
            }
            s += "</foreignKey>"
        }
        return s
    }

    /// Example queries (DALI 1.1 examples: XHTML with RDFa).
    public static let examples: [(name: String, query: String, text: String)] = [
        ("Find TAP services by a word",
         "SELECT ivoid, res_title, access_url FROM rr.resource NATURAL JOIN rr.capability NATURAL JOIN rr.interface WHERE standard_id LIKE 'ivo://ivoa.net/std/tap%' AND intf_role = 'std' AND 1 = ivo_hasword(res_description, 'quasar')",
         "TAP services whose description has the word quasar, with their access URLs."),
        ("Services with a column of a given UCD",
         "SELECT DISTINCT ivoid, table_index, name FROM rr.table_column WHERE ucd LIKE 'src.redshift%'",
         "Tables with redshift columns (a UCD prefix match)."),
        ("Records by type",
         "SELECT res_type, COUNT(*) AS n FROM rr.resource GROUP BY res_type ORDER BY n DESC",
         "How many records of each type this registry holds."),
        ("Capabilities of one resource",
         "SELECT cap_index, standard_id, intf_type, access_url FROM rr.capability NATURAL JOIN rr.interface WHERE ivoid = 'ivo://example-dc.org/tap'",
         "Every capability and interface of a resource, by its (lower-case) identifier."),
        ("Contacts of a publisher",
         "SELECT ivoid, role_name, email FROM rr.res_role WHERE base_role = 'contact' AND ivo_nocasematch(role_name, '%data centre%') = 1",
         "Contact entries whose name contains 'data centre', case-insensitively."),
    ]

    public func examplesDocument() -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><title>Example queries of the VORegistry RegTAP service</title></head>
            <body vocab="http://www.ivoa.net/rdf/examples#">
            <h1>Example queries of the VORegistry RegTAP service</h1>

            """
        for (i, ex) in Self.examples.enumerated() {
            s += """
                <div typeof="example" id="example-\(i + 1)" resource="#example-\(i + 1)">
                <h2 property="name">\(Self.e(ex.name))</h2>
                <p>\(Self.e(ex.text))</p>
                <pre property="query">\(Self.e(ex.query))</pre>
                </div>

                """
        }
        return s + "</body></html>\n"
    }
}
