import DataSources
import MetricsCore

/// A server's metadata API, where the prompt's names come from in server mode (what Grafana's editor
/// asks): `/api/v1/label/NAME/values` and `/api/v1/series`.
protocol CompletionCatalog: Sendable {
    func labelValues(_ name: String, matching selector: String?) async -> Result<[String], QueryFailure>
    func series(matching selector: String, start: Timestamp, end: Timestamp) async -> Result<[Labels], QueryFailure>
}

extension PrometheusSource: CompletionCatalog {}

/// Finds the names the word at the prompt's caret can complete to: from the server's metadata API when
/// the source is a server, else (embedded mode, replays) by instant queries over the store.
enum CompletionLookup {
    /// Bounds: completion lists are for reading, not for every series of a big server.
    static let maxMetrics = 5000
    static let maxValues = 1000
    static let maxSeries = 200
    /// How far back `/api/v1/series` looks for a metric's label names.
    static let seriesLookbackMs: Int64 = 3_600_000

    /// What one completion slot asks (once per key per session).
    enum Request: Hashable, Sendable {
        case metrics
        case labelNames(metric: String)
        case labelValues(metric: String, label: String)

        init?(_ slot: Completion.Slot) {
            switch slot {
            case .name: self = .metrics
            case .labelName(let metric): if metric.isEmpty { return nil } else { self = .labelNames(metric: metric) }
            case .labelValue(let metric, let label): if label.isEmpty { return nil } else { self = .labelValues(metric: metric, label: label) }
            }
        }
    }

    static func run(_ request: Request, source: any QuerySource, now: Timestamp) async -> CompletionVocabulary? {
        if let catalog = source as? any CompletionCatalog {
            return await fromCatalog(request, catalog, now: now)
        }
        return await fromQueries(request, source, now: now)
    }

    static func fromCatalog(_ request: Request, _ catalog: any CompletionCatalog, now: Timestamp) async -> CompletionVocabulary? {
        var found = CompletionVocabulary()
        switch request {
        case .metrics:
            guard case .success(let names) = await catalog.labelValues("__name__", matching: nil) else { return nil }
            found.metrics = Array(Set(names).sorted().prefix(maxMetrics))
        case .labelNames(let metric):
            guard case .success(let series) = await catalog.series(matching: metric, start: now - seriesLookbackMs, end: now)
            else { return nil }
            let names = Set(series.prefix(maxSeries).flatMap { $0.names }).subtracting([Labels.metricName])
            found.labelNames[metric] = names.sorted()
        case .labelValues(let metric, let label):
            guard case .success(let values) = await catalog.labelValues(label, matching: metric.isEmpty ? nil : metric)
            else { return nil }
            found.labelValues["\(metric) \(label)"] = Array(Set(values).sorted().prefix(maxValues))
        }
        return found
    }

    /// Embedded mode: the store answers PromQL, so names come from `count by` and `topk` queries.
    static func fromQueries(_ request: Request, _ source: any QuerySource, now: Timestamp) async -> CompletionVocabulary? {
        let query: String
        switch request {
        case .metrics: query = #"count by (__name__) ({__name__=~".+"})"#
        case .labelNames(let metric): query = "topk(20, \(metric))"
        case .labelValues(let metric, let label): query = Expansion.labelValuesQuery(metric: metric, label: label)
        }
        guard case .success(.vector(let samples)) = await source.instantQuery(query, at: now).result else { return nil }
        var found = CompletionVocabulary()
        switch request {
        case .metrics:
            found.metrics = Array(Set(samples.compactMap { $0.labels[Labels.metricName] }).sorted().prefix(maxMetrics))
        case .labelNames(let metric):
            found.labelNames[metric] = Set(samples.flatMap { $0.labels.names }).subtracting([Labels.metricName]).sorted()
        case .labelValues(let metric, let label):
            found.labelValues["\(metric) \(label)"] = Array(Set(samples.compactMap { $0.labels[label] }).sorted().prefix(maxValues))
        }
        return found
    }
}
