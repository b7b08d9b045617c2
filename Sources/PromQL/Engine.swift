import MetricsCore

/// Evaluates parsed expressions against storage seen only through `SeriesQueryable`.
public struct Engine: Sendable {
    public let storage: any SeriesQueryable
    public let options: EngineOptions

    public init(storage: any SeriesQueryable, options: EngineOptions = EngineOptions()) {
        self.storage = storage
        self.options = options
    }

    /// Instant query at `time` (ms).
    public func instant(_ expr: Expr, at time: Timestamp) throws(PromQLEvalError) -> EvalResult {
        // Skeleton: replaced by the real evaluator.
        throw PromQLEvalError("engine not implemented")
    }

    /// Range query; the result is always a matrix.
    public func range(_ expr: Expr, start: Timestamp, end: Timestamp, step: Int64) throws(PromQLEvalError) -> EvalResult {
        throw PromQLEvalError("engine not implemented")
    }
}
