import MetricsCore
import PromQL
import SeriesStore

/// PromQL answered in process over local samples (the embedded scraper's store, a recording),
/// with the outcomes a server gives: a parse error located at its line:column, an evaluation
/// error at the expression.
struct LocalQueries: Sendable {
    let storage: any SeriesQueryable
    let options: EngineOptions
    /// The panels of one refresh ask for the same aggregations over the same grid (the latency
    /// graph's three quantiles of one `sum by (le) (rate(…))`), and the rules of a group share
    /// theirs: each is evaluated once per version of the data it reads (by metric name, so a rule
    /// writing its output does not discard the rest). Only for stores that date their changes;
    /// other storage is evaluated as asked.
    let memo = SubexpressionMemo()
    /// The panels ask the same texts every refresh.
    let parsed = PromQLParseCache()

    /// The store's stamps by metric name, when the storage has them.
    let stamp: DataStamp?

    init(storage: any SeriesQueryable, options: EngineOptions) {
        self.storage = storage
        self.options = options
        switch storage {
        case let store as MemoryStore: stamp = { store.changeStamp(metricNames: $0) }
        case let scrape as StoreScrapeStorage: stamp = { [store = scrape.store] in store.changeStamp(metricNames: $0) }
        default: stamp = nil
        }
    }

    func instant(_ expr: String, at time: Timestamp) -> QueryOutcome {
        evaluate(expr) { engine, parsed, keys throws(PromQLEvalError) in try engine.instant(parsed, at: time, keyTexts: keys) }
    }

    func range(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) -> QueryOutcome {
        evaluate(expr) { engine, parsed, keys throws(PromQLEvalError) in
            try engine.range(parsed, start: start, end: end, step: max(step, 1), keyTexts: keys)
        }
    }

    private func evaluate(
        _ expr: String, _ run: (Engine, Expr, MemoKeyTexts) throws(PromQLEvalError) -> EvalResult
    ) -> QueryOutcome {
        let parsed: Expr
        let (outcome, keys) = self.parsed.parsedWithKeys(expr)
        switch outcome {
        case .success(let e): parsed = e
        case .failure(let error):
            return .failure(QueryFailure(kind: .parse, message: error.description, location: "expr \(error.line):\(error.column)"))
        }
        do {
            let result = try run(Engine(storage: storage, options: options, memo: memo, stamp: stamp), parsed, keys)
            return .success(result.value, warnings: result.warnings)
        } catch {
            return .failure(QueryFailure(kind: .evaluation, message: error.message, location: "expr"))
        }
    }
}
