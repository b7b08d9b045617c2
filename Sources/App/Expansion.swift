import Layouts
import MetricsCore

/// Variable substitution for the current layout.
public enum Expansion {
    /// Substitutes the layout's variables (the user's choice, else the layout's default, else the
    /// first value found by the source) and Grafana's built-ins (`$__rate_interval`...).
    static func expander(state: AppState, intervalMs: Int64,
                         discovered: [String: [String]] = [:]) -> @Sendable (String) -> String {
        guard let dashboard = state.currentLayout?.dashboard else { return { $0 } }
        var values = Templating.defaultValues(for: dashboard.variables)
        for (name, found) in discovered where values[name] == nil {
            if let first = found.first { values[name] = first }
        }
        values.merge(state.currentView.variableValues) { $1 }
        values.merge(Templating.builtinValues(scrapeInterval: intervalMs, range: state.rangeMs)) { a, _ in a }
        let fixed = values
        return { Templating.substitute($0, values: fixed) }
    }

    /// The values each variable can take: its list, or what the source found for `label_values`.
    static func options(for dashboard: Dashboard, discovered: [String: [String]]) -> [(name: String, values: [String])] {
        dashboard.variables.compactMap { v in
            switch v.kind {
            case .custom(let list), .interval(let list): return (v.name, list)
            case .labelValues: return discovered[v.name].map { (v.name, $0) }
            case .constant: return nil
            }
        }
    }

    /// The query that lists a label's values: `count by (label) (metric)`, or over every series
    /// carrying the label when no metric is named.
    public static func labelValuesQuery(metric: String?, label: String) -> String {
        let selector = metric.flatMap { $0.isEmpty ? nil : $0 } ?? "{\(label)!=\"\"}"
        return "count by (\(label)) (\(selector))"
    }

    /// Asks the source for the values of every `label_values` variable of `dashboard`.
    static func discover(_ dashboard: Dashboard, source: any QuerySource, at now: Timestamp) async -> [String: [String]] {
        var out: [String: [String]] = [:]
        for v in dashboard.variables {
            guard case .labelValues(let metric, let label) = v.kind else { continue }
            let outcome = await source.instantQuery(labelValuesQuery(metric: metric, label: label), at: now)
            guard case .success(.vector(let samples)) = outcome.result else { continue }
            // Bounded: a label with thousands of values is not something to cycle through by key.
            out[v.name] = Array(Set(samples.compactMap { $0.labels[label] }).sorted().prefix(500))
        }
        return out
    }
}
