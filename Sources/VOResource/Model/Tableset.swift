/// `vs:TableSet`: the schemas and tables a resource publishes (VODataService 1.1/1.2).
public struct Tableset: Sendable, Equatable {
    public var schemas: [TableSchema] = []
    public var extensions: [RawElement] = []
    public init(schemas: [TableSchema] = []) { self.schemas = schemas }
}

/// `vs:TableSchema`.
public struct TableSchema: Sendable, Equatable {
    public var name: String
    public var title: String?
    public var description: String?
    public var utype: String?
    public var tables: [Table] = []
    public var extensions: [RawElement] = []
    public init(name: String) { self.name = name }
}

/// `vs:Table`.
public struct Table: Sendable, Equatable {
    public var type: String?
    public var name: String
    public var title: String?
    public var description: String?
    public var utype: String?
    public var nrows: String?
    public var columns: [Param] = []
    public var foreignKeys: [ForeignKey] = []
    public var extensions: [RawElement] = []
    public init(name: String) { self.name = name }
}

/// `vs:TableParam` (a column) or `vs:InputParam` (a service parameter).
public struct Param: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var unit: String?
    public var ucd: String?
    public var utype: String?
    public var xtype: String?
    public var dataType: DataType?
    public var flags: [String] = []
    /// The `std` attribute as written (`true`, `false`, `1`, `0`).
    public var std: String?
    /// `InputParam/@use` (`required`, `optional`, `ignored`).
    public var use: String?
    public var extensions: [RawElement] = []
    public init(name: String) { self.name = name }
}

/// A parameter's or column's `dataType` element.
public struct DataType: Sendable, Equatable {
    public var xsiType: QualifiedName?
    public var value: String
    public var arraysize: String?
    public var delim: String?
    public var extendedType: String?
    public var extendedSchema: String?
    public var size: String?
    public init(value: String, xsiType: QualifiedName? = nil) {
        self.value = value
        self.xsiType = xsiType
    }
}

/// `vs:ForeignKey`.
public struct ForeignKey: Sendable, Equatable {
    public var targetTable: String
    public var columns: [(from: String, target: String)]
    public var description: String?
    public var utype: String?

    public init(targetTable: String, columns: [(from: String, target: String)]) {
        self.targetTable = targetTable
        self.columns = columns
    }

    public static func == (a: ForeignKey, b: ForeignKey) -> Bool {
        a.targetTable == b.targetTable && a.description == b.description && a.utype == b.utype
            && a.columns.map(\.from) == b.columns.map(\.from) && a.columns.map(\.target) == b.columns.map(\.target)
    }
}

/// `vs:Coverage` (VODataService 1.2: MOC, time and spectral intervals, wavebands).
public struct Coverage: Sendable, Equatable {
    /// `stc:STCResourceProfile` and other elements before `spatial`, kept raw.
    public var leading: [RawElement] = []
    /// The spatial MOC in ASCII serialisation.
    public var spatial: String?
    public var spatialFrame: String?
    /// Time intervals as written (`MJD MJD`).
    public var temporal: [String] = []
    /// Spectral intervals as written (`J J`).
    public var spectral: [String] = []
    public var footprint: RawElement?
    public var wavebands: [String] = []
    public var regionOfRegard: String?
    public var extensions: [RawElement] = []
    public init() {}
}
