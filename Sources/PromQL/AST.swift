import MetricsCore

/// A span of the expression text, in UTF-8 byte offsets (`start..<end`).
public struct PositionRange: Hashable, Sendable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// The four PromQL value types.
public enum ValueType: String, Hashable, Sendable {
    case scalar, vector = "instant vector", matrix = "range vector", string
}

/// A parsed PromQL expression. Every node carries where it stands in the source text,
/// so that errors and lints can point at it.
public indirect enum Expr: Hashable, Sendable {
    case number(Double, PositionRange)
    case string(String, PositionRange)
    case vectorSelector(VectorSelector)
    case matrixSelector(MatrixSelector)
    case subquery(SubqueryExpr)
    case paren(Expr, PositionRange)
    case unary(UnaryOp, Expr, PositionRange)
    case binary(BinaryExpr)
    case aggregate(AggregateExpr)
    case call(FunctionCall)
}

public enum UnaryOp: String, Hashable, Sendable { case plus = "+", minus = "-" }

/// `@` modifier.
public enum AtModifier: Hashable, Sendable {
    case timestamp(Timestamp)
    case start
    case end
}

public struct VectorSelector: Hashable, Sendable {
    /// The metric name when written before the braces (also present as a `__name__` matcher).
    public var name: String?
    public var matchers: [LabelMatcher]
    /// Milliseconds; positive looks back.
    public var offset: Int64
    public var at: AtModifier?
    public var position: PositionRange
    /// Prometheus 3 `anchored` range modifier: the window also uses the last sample before it, without extrapolation.
    public var anchored: Bool = false
    /// Prometheus 3 `smoothed` modifier: values at the window edges (or at the step) are interpolated.
    public var smoothed: Bool = false
    /// A duration expression depending on the query (`offset step()`), evaluated in seconds at query time;
    /// when set it replaces `offset`.
    public var offsetExpr: Expr? = nil

    public init(name: String?, matchers: [LabelMatcher], offset: Int64 = 0, at: AtModifier? = nil, position: PositionRange) {
        self.name = name
        self.matchers = matchers
        self.offset = offset
        self.at = at
        self.position = position
    }
}

public struct MatrixSelector: Hashable, Sendable {
    public var vector: VectorSelector
    /// Milliseconds.
    public var range: Int64
    public var position: PositionRange
    /// A query-dependent duration expression (`[step()+1]`) in seconds; when set it replaces `range`.
    public var rangeExpr: Expr? = nil

    public init(vector: VectorSelector, range: Int64, position: PositionRange) {
        self.vector = vector
        self.range = range
        self.position = position
    }
}

public struct SubqueryExpr: Hashable, Sendable {
    public var expr: Expr
    public var range: Int64
    /// Nil means the default resolution.
    public var step: Int64?
    public var offset: Int64
    public var at: AtModifier?
    public var position: PositionRange
    /// Query-dependent duration expressions in seconds; when set they replace `range`, `step`, `offset`.
    public var rangeExpr: Expr? = nil
    public var stepExpr: Expr? = nil
    public var offsetExpr: Expr? = nil

    public init(expr: Expr, range: Int64, step: Int64?, offset: Int64 = 0, at: AtModifier? = nil, position: PositionRange) {
        self.expr = expr
        self.range = range
        self.step = step
        self.offset = offset
        self.at = at
        self.position = position
    }
}

public enum BinaryOp: String, Hashable, Sendable, CaseIterable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^", atan2
    case eql = "==", neq = "!=", gtr = ">", lss = "<", gte = ">=", lte = "<="
    case and, or, unless

    public var isComparison: Bool { [.eql, .neq, .gtr, .lss, .gte, .lte].contains(self) }
    public var isSetOperator: Bool { [.and, .or, .unless].contains(self) }
}

public struct VectorMatching: Hashable, Sendable {
    public enum Cardinality: String, Hashable, Sendable {
        case oneToOne = "one-to-one", manyToOne = "many-to-one", oneToMany = "one-to-many", manyToMany = "many-to-many"
    }

    public var cardinality: Cardinality
    /// True for `on(...)`, false for `ignoring(...)` (or no clause).
    public var on: Bool
    public var labels: [String]
    /// The labels of `group_left(...)` / `group_right(...)`.
    public var include: [String]

    public init(cardinality: Cardinality, on: Bool, labels: [String], include: [String]) {
        self.cardinality = cardinality
        self.on = on
        self.labels = labels
        self.include = include
    }
}

public struct BinaryExpr: Hashable, Sendable {
    public var op: BinaryOp
    public var lhs: Expr
    public var rhs: Expr
    /// `bool` modifier of comparisons.
    public var returnBool: Bool
    /// Nil when either side is a scalar.
    public var matching: VectorMatching?
    public var position: PositionRange
    /// Prometheus 3 `fill_left(v)` / `fill(v)`: the value used when the left side has no match.
    public var fillLeft: Double? = nil
    /// Prometheus 3 `fill_right(v)` / `fill(v)`: the value used when the right side has no match.
    public var fillRight: Double? = nil

    public init(op: BinaryOp, lhs: Expr, rhs: Expr, returnBool: Bool = false, matching: VectorMatching?, position: PositionRange) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.matching = matching
        self.position = position
    }
}

public enum AggregateOp: String, Hashable, Sendable, CaseIterable {
    case sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values", limitk, limitRatio = "limit_ratio"

    /// Whether the aggregation takes a parameter before the expression.
    public var hasParameter: Bool { [.topk, .bottomk, .quantile, .countValues, .limitk, .limitRatio].contains(self) }
}

public struct AggregateExpr: Hashable, Sendable {
    public var op: AggregateOp
    public var expr: Expr
    public var param: Expr?
    public var grouping: [String]
    /// True for `without(...)`, false for `by(...)` (or no clause).
    public var without: Bool
    public var position: PositionRange

    public init(op: AggregateOp, expr: Expr, param: Expr?, grouping: [String], without: Bool, position: PositionRange) {
        self.op = op
        self.expr = expr
        self.param = param
        self.grouping = grouping
        self.without = without
        self.position = position
    }
}

public struct FunctionCall: Hashable, Sendable {
    public var name: String { didSet { rangeFunction = RangeFunction(rawValue: name) } }
    public var args: [Expr]
    public var position: PositionRange
    /// `name` as a range function, or nil, worked out when the name is set: evaluation asks at every
    /// call node of every query (and the memo at every node it considers), and matching a `String`
    /// against the enum's raw values hashes it each time.
    private(set) var rangeFunction: RangeFunction?

    public init(name: String, args: [Expr], position: PositionRange) {
        self.name = name
        self.args = args
        self.position = position
        rangeFunction = RangeFunction(rawValue: name)
    }
}

extension Expr {
    public var position: PositionRange {
        switch self {
        case .number(_, let p), .string(_, let p), .paren(_, let p), .unary(_, _, let p): return p
        case .vectorSelector(let s): return s.position
        case .matrixSelector(let s): return s.position
        case .subquery(let s): return s.position
        case .binary(let b): return b.position
        case .aggregate(let a): return a.position
        case .call(let c): return c.position
        }
    }

    /// The direct sub-expressions, in source order.
    public var children: [Expr] {
        switch self {
        case .number, .string, .vectorSelector: return []
        case .matrixSelector(let m): return [.vectorSelector(m.vector)]
        case .subquery(let s): return [s.expr]
        case .paren(let e, _), .unary(_, let e, _): return [e]
        case .binary(let b): return [b.lhs, b.rhs]
        case .aggregate(let a): return (a.param.map { [$0] } ?? []) + [a.expr]
        case .call(let c): return c.args
        }
    }

    /// Visits this node and every descendant, depth first; `visit` returns false to skip a subtree.
    public func walk(_ visit: (Expr) -> Bool) {
        guard visit(self) else { return }
        for c in children { c.walk(visit) }
    }
}
