import MetricsCore

/// A PromQL syntax error with where it happened in the expression (1-based line and column).
public struct PromQLParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int
    /// UTF-8 byte offset of the error in the expression.
    public var offset: Int

    public init(message: String, line: Int, column: Int, offset: Int) {
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// Prometheus' form: `1:17: parse error: unexpected "]"`.
    public var description: String { "\(line):\(column): parse error: \(message)" }
}

/// An error while evaluating (many-to-many matching, duplicate series, bad regex in label_replace...).
public struct PromQLEvalError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Engine settings; the defaults are Prometheus'.
public struct EngineOptions: Hashable, Sendable {
    public var lookbackDelta: Int64 = 5 * 60_000
    public var defaultSubqueryStep: Int64 = 60_000
    public var maxSamples: Int = 50_000_000
    public init() {}
}

/// The result of one evaluation plus its annotations (warnings and infos, as Prometheus reports).
public struct EvalResult: Sendable {
    public var value: QueryValue
    public var warnings: [String]
    public var infos: [String]

    public init(value: QueryValue, warnings: [String] = [], infos: [String] = []) {
        self.value = value
        self.warnings = warnings
        self.infos = infos
    }
}
