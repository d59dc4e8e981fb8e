/// ADQL data types (ADQL 2.1 section 3) and their VOTable serialisation.
public enum ADQLType: Sendable, Equatable, CustomStringConvertible {
    case boolean, smallint, integer, bigint, real, double
    /// Fixed-length characters (CHAR(n)); nil length means one character.
    case char(Int?)
    /// Variable-length characters (VARCHAR(n)); nil means unbounded.
    case varchar(Int?)
    case timestamp
    case point, circle, polygon, region
    /// A type this translator could not infer (e.g. NULL); serialised as a string.
    case unknown

    /// The VOTable FIELD attributes: datatype, arraysize (nil for scalars) and xtype.
    public var votable: (datatype: String, arraysize: String?, xtype: String?) {
        switch self {
        case .boolean: ("boolean", nil, nil)
        case .smallint: ("short", nil, nil)
        case .integer: ("int", nil, nil)
        case .bigint: ("long", nil, nil)
        case .real: ("float", nil, nil)
        case .double: ("double", nil, nil)
        case .char(let n): ("char", n.map(String.init) ?? nil, nil)
        case .varchar(let n): ("char", n.map { "\($0)*" } ?? "*", nil)
        case .timestamp: ("char", "*", "timestamp")
        case .point: ("double", "2", "point")
        case .circle: ("double", "3", "circle")
        case .polygon: ("double", "*", "polygon")
        case .region: ("char", "*", "adql:REGION")
        case .unknown: ("char", "*", nil)
        }
    }

    /// The ADQL type name as TAP_SCHEMA.columns.datatype spells it.
    public var description: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .smallint: "SMALLINT"
        case .integer: "INTEGER"
        case .bigint: "BIGINT"
        case .real: "REAL"
        case .double: "DOUBLE"
        case .char(let n): n.map { "CHAR(\($0))" } ?? "CHAR"
        case .varchar(let n): n.map { "VARCHAR(\($0))" } ?? "VARCHAR"
        case .timestamp: "TIMESTAMP"
        case .point: "POINT"
        case .circle: "CIRCLE"
        case .polygon: "POLYGON"
        case .region: "REGION"
        case .unknown: "VARCHAR"
        }
    }

    var isNumeric: Bool { [.smallint, .integer, .bigint, .real, .double].contains(self) }
    var isExactNumeric: Bool { [.smallint, .integer, .bigint].contains(self) }
    var isString: Bool {
        switch self {
        case .char, .varchar, .timestamp: true
        default: false
        }
    }
}

/// A column a query may use, with the metadata TAP_SCHEMA and result VOTables carry.
public struct ADQLColumn: Sendable {
    /// The ADQL name (lower-case for the rr schema).
    public var name: String
    /// The column's name in the SQLite table or view.
    public var sqlName: String
    public var type: ADQLType
    public var unit: String?
    public var ucd: String?
    public var utype: String?
    public var description: String?
    /// A DALI xtype for columns whose type alone does not say it (e.g. `timestamp` on CHAR(19)).
    public var xtype: String?
    public var principal: Bool
    public var indexed: Bool
    public var std: Bool
    /// The rr_fts column backing `ivo_hasword` on this column (a word search then uses the index).
    public var fullText: String?

    public init(
        name: String, sqlName: String? = nil, type: ADQLType, unit: String? = nil, ucd: String? = nil,
        utype: String? = nil, description: String? = nil, xtype: String? = nil, principal: Bool = false,
        indexed: Bool = false, std: Bool = false, fullText: String? = nil
    ) {
        self.name = name
        self.sqlName = sqlName ?? name
        self.type = type
        self.unit = unit
        self.ucd = ucd
        self.utype = utype
        self.description = description
        self.xtype = xtype
        self.principal = principal
        self.indexed = indexed
        self.std = std
        self.fullText = fullText
    }
}

/// A table a query may use.
public struct ADQLTable: Sendable {
    public var schema: String
    public var name: String
    /// The SQLite table or view the translated SQL reads.
    public var sqlName: String
    public var description: String?
    public var utype: String?
    public var columns: [ADQLColumn]

    public init(
        schema: String, name: String, sqlName: String, description: String? = nil, utype: String? = nil,
        columns: [ADQLColumn]
    ) {
        self.schema = schema
        self.name = name
        self.sqlName = sqlName
        self.description = description
        self.utype = utype
        self.columns = columns
    }

    /// `schema.name`.
    public var qualifiedName: String { schema + "." + name }

    /// The column called `name` (case-insensitively unless `exact`).
    public func column(_ name: String, exact: Bool = false) -> ADQLColumn? {
        exact ? columns.first { $0.name == name } : columns.first { $0.name.lowercased() == name.lowercased() }
    }
}

/// The tables ADQL queries may use: nothing outside it is reachable from a translated query.
public struct ADQLCatalog: Sendable {
    public var tables: [ADQLTable]

    public init(tables: [ADQLTable]) { self.tables = tables }

    /// The table `schema.name` (case-insensitive).
    public func table(schema: String, name: String) -> ADQLTable? {
        tables.first { $0.schema.lowercased() == schema.lowercased() && $0.name.lowercased() == name.lowercased() }
    }

    /// The table with a qualified name such as `rr.resource`.
    public func table(qualifiedName: String) -> ADQLTable? {
        let parts = qualifiedName.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return table(schema: parts[0], name: parts[1])
    }

    /// The schemas, in the order their first tables appear.
    public var schemas: [String] {
        var seen: [String] = []
        for t in tables where !seen.contains(t.schema) { seen.append(t.schema) }
        return seen
    }

    /// Tables matching the identifier parts of a table reference ([name] or [schema, name]).
    func lookup(_ parts: [Identifier]) -> [ADQLTable] {
        switch parts.count {
        case 1: tables.filter { parts[0].matches($0.name) }
        case 2: tables.filter { parts[0].matches($0.schema) && parts[1].matches($0.name) }
        default: []
        }
    }
}
