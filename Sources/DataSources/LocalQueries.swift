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
    /// graph's three quantiles of one `sum by (le) (rate(…))`): each is evaluated once per version
    /// of the data. Only for stores that count their changes; other storage is evaluated as asked.
    let memo = SubexpressionMemo()

    /// The store's change counter, when the storage has one.
    var version: (@Sendable () -> UInt64)? {
        switch storage {
        case let store as MemoryStore: return { store.changeCount }
        case let scrape as StoreScrapeStorage: return { [store = scrape.store] in store.changeCount }
        default: return nil
        }
    }

    func instant(_ expr: String, at time: Timestamp) -> QueryOutcome {
        evaluate(expr) { engine, parsed throws(PromQLEvalError) in try engine.instant(parsed, at: time) }
    }

    func range(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) -> QueryOutcome {
        evaluate(expr) { engine, parsed throws(PromQLEvalError) in
            try engine.range(parsed, start: start, end: end, step: max(step, 1))
        }
    }

    private func evaluate(
        _ expr: String, _ run: (Engine, Expr) throws(PromQLEvalError) -> EvalResult
    ) -> QueryOutcome {
        let parsed: Expr
        do {
            parsed = try PromQLParser.parse(expr)
        } catch {
            return .failure(QueryFailure(kind: .parse, message: error.description, location: "expr \(error.line):\(error.column)"))
        }
        do {
            let result = try run(Engine(storage: storage, options: options, memo: memo, version: version), parsed)
            return .success(result.value, warnings: result.warnings)
        } catch {
            return .failure(QueryFailure(kind: .evaluation, message: error.message, location: "expr"))
        }
    }
}
