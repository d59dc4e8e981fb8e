import ADQL
import GRDB
import RegistryStore

/// The `TAP_SCHEMA` tables (TAP 1.1 section 4): their own description, and their content
/// generated from the catalog of exposed tables, so they describe exactly what queries reach.
enum TAPSchema {
    /// The five TAP_SCHEMA tables as ADQL sees them (SQLite tables `tap_schema_<name>`).
    static let tables: [ADQLTable] = [
        table("schemas", "The schemas of this service.", [
            col("schema_name", .varchar(64), "Fully qualified schema name", principal: true),
            col("utype", .varchar(512), "Utype, if any"),
            col("description", .varchar(nil), "Brief description of the schema", principal: true),
            col("schema_index", .integer, "Recommended sort order"),
        ]),
        table("tables", "The tables of this service.", [
            col("schema_name", .varchar(64), "The schema name from TAP_SCHEMA.schemas", principal: true),
            col("table_name", .varchar(64), "Fully qualified table name", principal: true),
            col("table_type", .varchar(8), "One of: table, view", principal: true),
            col("utype", .varchar(512), "Utype, if any"),
            col("description", .varchar(nil), "Brief description of the table", principal: true),
            col("table_index", .integer, "Recommended sort order"),
        ]),
        table("columns", "The columns of the tables of this service.", [
            col("table_name", .varchar(64), "Fully qualified table name", principal: true),
            col("column_name", .varchar(64), "Column name", principal: true),
            col("utype", .varchar(512), "Utype, if any"),
            col("ucd", .varchar(64), "UCD of the column, if any"),
            col("unit", .varchar(64), "Unit in VOUnit format", principal: true),
            col("description", .varchar(nil), "Brief description of the column", principal: true),
            col("datatype", .varchar(64), "VOTable datatype of the column", principal: true),
            col("arraysize", .varchar(16), "VOTable arraysize of the column"),
            col("xtype", .varchar(64), "VOTable/DALI xtype of the column"),
            col("size", .integer, "Deprecated length of the column (use arraysize)"),
            col("principal", .integer, "1 if the column is principal, 0 otherwise"),
            col("indexed", .integer, "1 if the column is indexed, 0 otherwise"),
            col("std", .integer, "1 if the column is defined by a standard, 0 otherwise"),
            col("column_index", .integer, "Recommended sort order"),
        ]),
        table("keys", "Foreign keys between the tables of this service.", [
            col("key_id", .varchar(64), "Unique key identifier", principal: true),
            col("from_table", .varchar(64), "Fully qualified table name", principal: true),
            col("target_table", .varchar(64), "Fully qualified table name", principal: true),
            col("utype", .varchar(512), "Utype, if any"),
            col("description", .varchar(nil), "Description of this key"),
        ]),
        table("key_columns", "The columns of the foreign keys.", [
            col("key_id", .varchar(64), "Key identifier from TAP_SCHEMA.keys", principal: true),
            col("from_column", .varchar(64), "Key column name in the from_table", principal: true),
            col("target_column", .varchar(64), "Key column name in the target_table", principal: true),
        ]),
    ]

    static func table(_ name: String, _ description: String, _ columns: [ADQLColumn]) -> ADQLTable {
        ADQLTable(
            schema: "tap_schema", name: name, sqlName: "tap_schema_" + name, description: description,
            utype: nil, columns: columns)
    }

    static func col(_ name: String, _ type: ADQLType, _ description: String, principal: Bool = false) -> ADQLColumn {
        ADQLColumn(name: name, type: type, description: description, principal: principal, std: true)
    }

    /// `size` is an ADQL reserved word: TAP_SCHEMA and VOSI name that column delimited.
    static func columnName(_ name: String) -> String { name == "size" ? "\"size\"" : name }

    /// The foreign keys of every exposed table: the rr ones and TAP_SCHEMA's own.
    static let keys: [(from: String, target: String, columns: [(String, String)])] = rrKeys + [
        ("tap_schema.tables", "tap_schema.schemas", [("schema_name", "schema_name")]),
        ("tap_schema.columns", "tap_schema.tables", [("table_name", "table_name")]),
        ("tap_schema.keys", "tap_schema.tables", [("from_table", "table_name")]),
        ("tap_schema.keys", "tap_schema.tables", [("target_table", "table_name")]),
        ("tap_schema.key_columns", "tap_schema.keys", [("key_id", "key_id")]),
    ]

    /// Foreign keys of the rr schema: every table refers to rr.resource by ivoid, and the
    /// nested ones to their parent by (ivoid, index).
    static var rrKeys: [(from: String, target: String, columns: [(String, String)])] {
        var keys: [(String, String, [(String, String)])] = []
        for t in RRTable.allCases where t != .resource {
            switch t {
            case .interface:
                keys.append((t.qualifiedName, "rr.capability", [("ivoid", "ivoid"), ("cap_index", "cap_index")]))
            case .tableColumn:
                keys.append((t.qualifiedName, "rr.res_table", [("ivoid", "ivoid"), ("table_index", "table_index")]))
            case .intfParam:
                keys.append((t.qualifiedName, "rr.interface", [("ivoid", "ivoid"), ("intf_index", "intf_index")]))
            default:
                keys.append((t.qualifiedName, "rr.resource", [("ivoid", "ivoid")]))
            }
        }
        return keys
    }

    /// Replaces the content of the TAP_SCHEMA tables with a description of `catalog`.
    static func install(_ catalog: ADQLCatalog, in db: Database) throws {
        for t in tables {
            try db.execute(sql: "DROP TABLE IF EXISTS \(t.sqlName)")
            let cols = t.columns.map { c in "\"\(c.name)\" \(c.type.isText ? "TEXT" : "INTEGER")" }
            try db.execute(sql: "CREATE TABLE \(t.sqlName) (\(cols.joined(separator: ", ")))")
        }
        let schemaDescriptions = [
            "rr": "The Relational Registry (RegTAP 1.2): the VOResource records this registry holds, as tables.",
            "tap_schema": "The metadata of this TAP service's tables (TAP 1.1).",
        ]
        for (i, s) in catalog.schemas.enumerated() {
            try db.execute(
                sql: "INSERT INTO tap_schema_schemas VALUES (?, ?, ?, ?)",
                arguments: [s, s == "rr" ? ADQLCatalog.regTAPUtype : nil, schemaDescriptions[s], i])
        }
        for (ti, t) in catalog.tables.enumerated() {
            let isView = t.name == "tap_table"
            try db.execute(
                sql: "INSERT INTO tap_schema_tables VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [t.schema, t.qualifiedName, isView ? "view" : "table", t.utype, t.description, ti])
            for (ci, c) in t.columns.enumerated() {
                let v = c.type.votable
                try db.execute(
                    sql: "INSERT INTO tap_schema_columns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        t.qualifiedName, columnName(c.name), c.utype, c.ucd, c.unit, c.description, v.datatype,
                        v.arraysize, c.xtype ?? v.xtype, v.arraysize.flatMap { Int($0.filter(\.isNumber)) },
                        c.principal ? 1 : 0, c.indexed ? 1 : 0, c.std ? 1 : 0, ci,
                    ])
            }
        }
        for (i, k) in keys.enumerated() {
            let id = "key_\(i + 1)"
            try db.execute(
                sql: "INSERT INTO tap_schema_keys VALUES (?, ?, ?, NULL, ?)",
                arguments: [id, k.from, k.target, "\(k.from) rows belong to a \(k.target) row"])
            for (f, tcol) in k.columns {
                try db.execute(sql: "INSERT INTO tap_schema_key_columns VALUES (?, ?, ?)", arguments: [id, f, tcol])
            }
        }
    }
}

extension ADQLType {
    var isText: Bool {
        switch self {
        case .char, .varchar, .timestamp, .region, .unknown: true
        default: false
        }
    }
}
