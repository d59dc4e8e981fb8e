/// The RegTAP 1.2 `rr` schema: tables and columns in the standard's order.
///
/// This is the single definition the store's DDL, its insert statements and (later) the
/// TAP_SCHEMA description are generated from. In SQLite the tables are named `rr_<name>`
/// (one database file holds everything, so the `rr` schema becomes a name prefix).
public enum RRTable: Int, CaseIterable, Sendable {
    case resource, resRole, resSubject, capability, resSchema, resTable, tableColumn, interface
    case intfParam, relationship, validation, resDate, resDetail, altIdentifier
    case stcSpatial, stcTemporal, stcSpectral

    /// The RegTAP name (`resource`, `res_role`, ...).
    public var name: String {
        switch self {
        case .resource: "resource"
        case .resRole: "res_role"
        case .resSubject: "res_subject"
        case .capability: "capability"
        case .resSchema: "res_schema"
        case .resTable: "res_table"
        case .tableColumn: "table_column"
        case .interface: "interface"
        case .intfParam: "intf_param"
        case .relationship: "relationship"
        case .validation: "validation"
        case .resDate: "res_date"
        case .resDetail: "res_detail"
        case .altIdentifier: "alt_identifier"
        case .stcSpatial: "stc_spatial"
        case .stcTemporal: "stc_temporal"
        case .stcSpectral: "stc_spectral"
        }
    }

    /// The qualified name clients use: `rr.resource`.
    public var qualifiedName: String { "rr." + name }
    /// The SQLite table name: `rr_resource`.
    public var sqlName: String { "rr_" + name }

    /// Columns in the standard's order (`nrows` on res_table is the one operator addition,
    /// from VODataService 1.2).
    public var columns: [RRColumn] {
        switch self {
        case .resource:
            [
                .text("ivoid"), .text("res_type"), .text("created"), .text("short_name"), .text("res_title"),
                .text("updated"), .text("content_level"), .text("res_description"), .text("reference_url"),
                .text("creator_seq"), .text("content_type"), .text("source_format"), .text("source_value"),
                .text("res_version"), .real("region_of_regard"), .text("waveband"), .text("rights"),
                .text("rights_uri"),
            ]
        case .resRole:
            [
                .text("ivoid"), .text("role_name"), .text("role_ivoid"), .text("street_address"), .text("email"),
                .text("telephone"), .text("logo"), .text("base_role"),
            ]
        case .resSubject: [.text("ivoid"), .text("res_subject")]
        case .capability:
            [.text("ivoid"), .int("cap_index"), .text("cap_type"), .text("cap_description"), .text("standard_id")]
        case .resSchema:
            [
                .text("ivoid"), .int("schema_index"), .text("schema_description"), .text("schema_name"),
                .text("schema_title"), .text("schema_utype"),
            ]
        case .resTable:
            [
                .text("ivoid"), .int("schema_index"), .text("table_description"), .text("table_name"),
                .int("table_index"), .text("table_title"), .text("table_type"), .text("table_utype"), .int("nrows"),
            ]
        case .tableColumn:
            [
                .text("ivoid"), .int("table_index"), .text("name"), .text("ucd"), .text("unit"), .text("utype"),
                .int("std"), .text("datatype"), .text("extended_schema"), .text("extended_type"), .text("arraysize"),
                .text("delim"), .text("type_system"), .text("flag"), .text("column_description"),
            ]
        case .interface:
            [
                .text("ivoid"), .int("cap_index"), .int("intf_index"), .text("intf_type"), .text("intf_role"),
                .text("std_version"), .text("query_type"), .text("result_type"), .text("wsdl_url"), .text("url_use"),
                .text("access_url"), .text("mirror_url"), .int("authenticated_only"),
            ]
        case .intfParam:
            [
                .text("ivoid"), .int("intf_index"), .text("name"), .text("ucd"), .text("unit"), .text("utype"),
                .int("std"), .text("datatype"), .text("extended_schema"), .text("extended_type"), .text("arraysize"),
                .text("delim"), .text("param_use"), .text("param_description"),
            ]
        case .relationship: [.text("ivoid"), .text("relationship_type"), .text("related_id"), .text("related_name")]
        case .validation: [.text("ivoid"), .text("validated_by"), .int("val_level"), .int("cap_index")]
        case .resDate: [.text("ivoid"), .text("date_value"), .text("value_role")]
        case .resDetail: [.text("ivoid"), .int("cap_index"), .text("detail_xpath"), .text("detail_value")]
        case .altIdentifier: [.text("ivoid"), .text("alt_identifier")]
        case .stcSpatial: [.text("ivoid"), .text("coverage"), .text("ref_system_name")]
        case .stcTemporal: [.text("ivoid"), .real("time_start"), .real("time_end")]
        case .stcSpectral: [.text("ivoid"), .real("spectral_start"), .real("spectral_end")]
        }
    }

    /// Secondary indexes (RegTAP section "indexes", plus what the mapping's own deletes need).
    var indexedColumns: [[String]] {
        switch self {
        case .resource: []
        case .resRole: [["ivoid"], ["role_name"]]
        case .resSubject: [["ivoid"], ["res_subject"]]
        case .capability: [["cap_type"], ["standard_id"]]
        case .resSchema: []
        case .resTable: [["table_name"]]
        case .tableColumn: [["ivoid", "table_index"], ["name"], ["ucd"]]
        case .interface: [["intf_type"], ["ivoid", "cap_index"]]
        case .intfParam: [["ivoid", "intf_index"]]
        case .relationship: [["ivoid"], ["related_id"]]
        case .validation: [["ivoid"]]
        case .resDate: [["ivoid"]]
        case .resDetail: [["ivoid"], ["detail_xpath", "detail_value"]]
        case .altIdentifier: [["ivoid"], ["alt_identifier"]]
        case .stcSpatial, .stcTemporal, .stcSpectral: [["ivoid"]]
        }
    }

    /// Primary key, where RegTAP recommends one.
    var primaryKey: [String]? {
        switch self {
        case .resource: ["ivoid"]
        case .capability: ["ivoid", "cap_index"]
        case .resSchema: ["ivoid", "schema_index"]
        case .resTable: ["ivoid", "table_index"]
        case .interface: ["ivoid", "intf_index"]
        default: nil
        }
    }

    /// `CREATE TABLE` and `CREATE INDEX` statements.
    var ddl: [String] {
        var cols = columns.map { "\($0.name) \($0.sqlType)" }
        if let pk = primaryKey { cols.append("PRIMARY KEY (\(pk.joined(separator: ", ")))") }
        return ["CREATE TABLE \(sqlName) (\(cols.joined(separator: ", ")))"] + indexes.map(\.create)
    }

    /// The secondary indexes with their names.
    var indexes: [(name: String, create: String, deferrable: Bool)] {
        indexedColumns.map { idx in
            let name = "\(sqlName)_\(idx.joined(separator: "_"))"
            // Indexes led by ivoid serve the writer's own deletes and must stay during imports;
            // the others only serve queries and can be rebuilt after a bulk load.
            return (name, "CREATE INDEX IF NOT EXISTS \(name) ON \(sqlName) (\(idx.joined(separator: ", ")))",
                    idx.first != "ivoid")
        }
    }

    /// `INSERT INTO rr_x (...) VALUES (?, ...)`.
    var insertSQL: String {
        "INSERT INTO \(sqlName) (\(columns.map(\.name).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
    }
}

/// A column of an rr table.
public struct RRColumn: Sendable {
    public enum Kind: Sendable { case text, integer, real }
    public var name: String
    public var kind: Kind

    static func text(_ n: String) -> RRColumn { RRColumn(name: n, kind: .text) }
    static func int(_ n: String) -> RRColumn { RRColumn(name: n, kind: .integer) }
    static func real(_ n: String) -> RRColumn { RRColumn(name: n, kind: .real) }

    var sqlType: String {
        switch kind {
        case .text: "TEXT"
        case .integer: "INTEGER"
        case .real: "REAL"
        }
    }
}
