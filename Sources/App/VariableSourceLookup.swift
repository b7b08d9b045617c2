import DataSources
import Layouts
import MetricsCore
import PromQL

/// Answers a variable's lookup with the queries every Prometheus-compatible source understands.
enum VariableSourceLookup {
    /// At most this many raw answers are kept per lookup.
    static let maxAnswers = 10_000

    static func run(_ request: VariableLookup, on source: any QuerySource,
                    at now: Timestamp) async -> Result<[String], VariableResolver.LookupFailure> {
        switch request {
        case .labelValues(let selector, let label):
            // A Prometheus server has the label values API (what Grafana uses); the PromQL form is the fallback
            // for servers without it and for the embedded engine.
            if let server = source as? PrometheusSource,
               case .success(let values) = await server.labelValues(label, matching: selector) {
                return .success(Array(values.prefix(maxAnswers)).sorted())
            }
            return await vector(Expansion.labelValuesQuery(metric: selector, label: label), source, now).map { samples in
                Array(Set(samples.compactMap { $0.labels[label] })).sorted()
            }
        case .metrics(let regex):
            return await vector("count by (__name__) ({__name__!=\"\"})", source, now).map { samples in
                Templating.filterMatching(regex, Array(Set(samples.compactMap { $0.labels.name })).sorted())
            }
        case .queryResult(let expr):
            let outcome = await source.instantQuery(expr, at: now)
            switch outcome.result {
            case .failure(let f): return .failure(.init(f.message))
            case .success(.vector(let samples)):
                return .success(samples.prefix(maxAnswers).map { s in
                    Templating.queryResultLine(name: s.labels.name,
                                               labels: s.labels.filter { $0.name != Labels.metricName }.map { ($0.name, $0.value) },
                                               value: Expr.formatNumber(s.sample.v), timestamp: s.sample.t)
                })
            case .success(.scalar(let s)): return .success(["scalar \(Expr.formatNumber(s.v)) \(s.t)"])
            case .success(.string(let t, let value)): return .success(["string \(value) \(t)"])
            case .success(.matrix): return .failure(.init("query_result needs an instant vector, found a range vector"))
            }
        }
    }

    private static func vector(_ expr: String, _ source: any QuerySource,
                               _ now: Timestamp) async -> Result<[InstantSample], VariableResolver.LookupFailure> {
        let outcome = await source.instantQuery(expr, at: now)
        switch outcome.result {
        case .success(.vector(let samples)): return .success(Array(samples.prefix(maxAnswers)))
        case .success: return .success([])
        case .failure(let f): return .failure(.init(f.message))
        }
    }
}
