/// The ADQL abstract syntax tree. Every node keeps the position of its first token.

/// An identifier: regular identifiers compare case-insensitively, delimited ones exactly.
public struct Identifier: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var delimited: Bool
    public var position: SourcePosition

    /// Whether this identifier names `other` (a catalog or alias name).
    public func matches(_ other: String) -> Bool {
        delimited ? name == other : name.lowercased() == other.lowercased()
    }

    public var description: String { delimited ? "\"\(name)\"" : name }
}

/// A query: optional CTEs, a set expression, ORDER BY and OFFSET.
public struct Query: Sendable {
    public var with: [CommonTableExpression] = []
    public var body: QueryBody
    public var orderBy: [OrderItem] = []
    public var offset: Int? = nil
    public var position: SourcePosition
}

public struct CommonTableExpression: Sendable {
    public var name: Identifier
    public var query: Query
}

public enum SetOperator: String, Sendable { case union = "UNION", intersect = "INTERSECT", except = "EXCEPT" }

public indirect enum QueryBody: Sendable {
    case select(SelectCore)
    /// A parenthesised query (which may have its own ORDER BY / OFFSET).
    case nested(Query)
    case setOperation(SetOperator, all: Bool, QueryBody, QueryBody)

    /// The first SELECT of the expression (its select list names the output columns).
    var firstSelect: SelectCore? {
        switch self {
        case .select(let s): s
        case .nested(let q): q.body.firstSelect
        case .setOperation(_, _, let l, _): l.firstSelect
        }
    }
}

public struct SelectCore: Sendable {
    public var distinct = false
    public var top: Int? = nil
    public var items: [SelectItem] = []
    public var from: [TableReference] = []
    public var whereClause: Expression? = nil
    public var groupBy: [Expression] = []
    public var having: Expression? = nil
    public var position: SourcePosition
}

public enum SelectItem: Sendable {
    case all(SourcePosition)
    case allOf([Identifier], SourcePosition)
    case expression(Expression, alias: Identifier?)
}

public struct OrderItem: Sendable {
    public var expression: Expression
    public var descending: Bool
}

public enum JoinType: String, Sendable { case inner = "INNER", left = "LEFT", right = "RIGHT", full = "FULL", cross = "CROSS" }

public enum JoinCondition: Sendable {
    case on(Expression)
    case using([Identifier])
}

public indirect enum TableReference: Sendable {
    case table(name: [Identifier], alias: Identifier?, position: SourcePosition)
    case derived(Query, alias: Identifier, position: SourcePosition)
    case join(JoinType, natural: Bool, TableReference, TableReference, JoinCondition?, position: SourcePosition)
}

/// A data type in CAST.
public struct CastTarget: Sendable, Equatable {
    public var name: String  // upper-cased ADQL type name, e.g. VARCHAR, DOUBLE PRECISION
    public var length: Int?
}

public struct Expression: Sendable {
    public var kind: ExpressionKind
    public var position: SourcePosition

    public init(_ kind: ExpressionKind, _ position: SourcePosition) {
        self.kind = kind
        self.position = position
    }
}

public indirect enum ExpressionKind: Sendable {
    /// A column reference: 1 to 3 parts (column, table.column, schema.table.column).
    case column([Identifier])
    case integer(String)  // as written (decimal or 0x hex)
    case real(String)
    case string(String)
    case null
    /// Unary + - ~.
    case unary(String, Expression)
    /// Binary + - * / || & | ^.
    case binary(String, Expression, Expression)
    /// = <> != < > <= >=.
    case comparison(String, Expression, Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case not(Expression)
    case like(Expression, Expression, negated: Bool, caseInsensitive: Bool)
    case between(Expression, Expression, Expression, negated: Bool)
    case inList(Expression, [Expression], negated: Bool)
    case inQuery(Expression, Query, negated: Bool)
    case exists(Query)
    case isNull(Expression, negated: Bool)
    /// A function call; `name` as written, `star` for COUNT(*).
    case function(name: String, args: [Expression], distinct: Bool, star: Bool)
    case cast(Expression, CastTarget)
    case caseWhen(operand: Expression?, whens: [(Expression, Expression)], otherwise: Expression?)
    case subquery(Query)
}
