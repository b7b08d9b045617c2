import Layouts
import MetricsCore

/// Variable substitution for the current layout.
///
/// `discovered` holds the answers of the source to the variables' lookups, keyed by `VariableLookup.key`
/// (a failed lookup has its message under `"!" + key`); resolution from them is synchronous and cheap.
public enum Expansion {
    /// Substitutes the layout's variables (the user's choice, else the saved value if still offered, else
    /// All or the first option) and Grafana's built-ins (`$__rate_interval`...). Variables without a value
    /// stay as written, so the planner can tell the panel which one is missing.
    static func expander(state: AppState, intervalMs: Int64,
                         discovered: [String: [String]] = [:], rangeMs: Int64? = nil) -> @Sendable (String) -> String {
        guard let dashboard = state.currentLayout?.dashboard else { return { $0 } }
        let range = rangeMs ?? state.rangeMs
        let resolved = resolve(dashboard, state: state, intervalMs: intervalMs, discovered: discovered, rangeMs: range)
        var values = Templating.builtinValues(scrapeInterval: intervalMs, range: range).mapValues(VariableValue.single)
        for r in resolved { if let v = r.value { values[r.name] = v } }
        let filters = resolved.flatMap(\.filters)
        let fixed = values
        return { text in
            let expanded = Templating.substitute(text, resolved: fixed)
            return filters.isEmpty ? expanded : AdhocFilters.apply(filters, to: expanded)
        }
    }

    /// Every variable of `dashboard` resolved from what the source has answered so far.
    static func resolve(_ dashboard: Dashboard, state: AppState, intervalMs: Int64, discovered: [String: [String]],
                        rangeMs: Int64) -> [ResolvedVariable] {
        VariableResolver.resolveSync(dashboard.variables, rangeMs: rangeMs, scrapeInterval: intervalMs,
                                     chosen: state.currentView.variableValues) { request in
            if let found = discovered[request.key] { return .success(found) }
            if let message = discovered["!" + request.key]?.first { return .failure(.init(message)) }
            return nil
        }
    }

    /// The selected values of each variable that a panel or row `repeat`s over: a multi-value choice
    /// or All gives every value (All: every option, whatever `allValue` says), as Grafana makes its copies.
    static func repeatValues(_ dashboard: Dashboard, state: AppState, intervalMs: Int64,
                             discovered: [String: [String]]) -> [String: [String]] {
        // Asked on every turn of the dashboard's loop: most layouts repeat nothing, and finding that
        // out must not copy every panel into a new list.
        guard dashboard.panels.contains(where: { $0.repeatVariable != nil || $0.children.contains { $0.repeatVariable != nil } })
        else { return [:] }
        let repeated = Set(dashboard.panels.flatMap { [$0] + $0.children }.compactMap(\.repeatVariable))
        var out: [String: [String]] = [:]
        for r in resolve(dashboard, state: state, intervalMs: intervalMs, discovered: discovered, rangeMs: state.rangeMs)
        where repeated.contains(r.name) {
            if let values = r.value?.values, !values.isEmpty { out[r.name] = values }
        }
        return out
    }

    /// Stores the repeat values of layout `index` in its view, so that every screen of it draws the copies.
    static func updateRepeats(_ state: inout AppState, layout index: Int, intervalMs: Int64,
                              discovered: [String: [String]]) {
        guard state.layouts.indices.contains(index), state.views.indices.contains(index) else { return }
        var probe = state
        probe.current = index
        let values = repeatValues(state.layouts[index].dashboard, state: probe, intervalMs: intervalMs, discovered: discovered)
        if state.views[index].repeatValues != values { state.views[index].repeatValues = values }
    }

    /// The values each variable can take: its list, or what the source found.
    static func options(for dashboard: Dashboard, discovered: [String: [String]]) -> [(name: String, values: [String])] {
        let resolved = VariableResolver.resolveSync(dashboard.variables, rangeMs: dashboard.timeRange ?? 3_600_000,
                                                    scrapeInterval: 15_000) { request in discovered[request.key] .map { .success($0) } }
        return zip(dashboard.variables, resolved).compactMap { v, r in
            switch v.kind {
            case .constant, .textbox, .datasource, .adhoc: return nil
            default: return r.options.isEmpty ? nil : (v.name, r.options.map(\.value))
            }
        }
    }

    /// The query that lists a label's values: `count by (label) (metric)`, or over every series
    /// carrying the label when no metric is named.
    public static func labelValuesQuery(metric: String?, label: String) -> String {
        let selector = metric.flatMap { $0.isEmpty ? nil : $0 } ?? "{\(label)!=\"\"}"
        return "count by (\(label)) (\(selector))"
    }

    /// Asks the source for every lookup the variables need, parents first so that a chained variable is
    /// looked up with its parent's value. At most one lookup per query variable.
    static func discover(_ dashboard: Dashboard, source: any QuerySource, at now: Timestamp,
                         intervalMs: Int64 = 15_000, state: AppState? = nil) async -> [String: [String]] {
        var known: [String: [String]] = [:]
        let chosen = state?.currentView.variableValues ?? [:]
        let range = state?.rangeMs ?? dashboard.timeRange ?? 3_600_000
        // One lookup per round; a variable query written with variables becomes a lookup once they resolve.
        for _ in 0..<dashboard.variables.count {
            var next: VariableLookup?
            _ = VariableResolver.resolveSync(dashboard.variables, rangeMs: range, scrapeInterval: intervalMs, chosen: chosen) { request in
                if let found = known[request.key] { return .success(found) }
                if let message = known["!" + request.key]?.first { return .failure(.init(message)) }
                if next == nil { next = request }
                return nil
            }
            guard let request = next else { break }
            switch await VariableSourceLookup.run(request, on: source, at: now) {
            case .success(let values): known[request.key] = values
            case .failure(let f): known["!" + request.key] = [f.message]
            }
        }
        return known
    }

    /// Whether some lookup has no answer yet (or a refill asks them all again).
    static func needsDiscovery(_ dashboard: Dashboard?, known: [String: [String]], refill: Bool) -> Bool {
        guard let dashboard, dashboard.variables.contains(where: Self.looksUp) else { return false }
        if refill || known.isEmpty { return true }
        // An empty answer (nothing scraped yet) is asked again until something is found.
        return known.contains { !$0.key.hasPrefix("!") && $0.value.isEmpty } || known.keys.contains { $0.hasPrefix("!") }
    }

    /// Variables whose values come from the source.
    static func looksUp(_ v: Variable) -> Bool {
        switch v.kind {
        case .labelValues, .queryResult, .metrics: return true
        case .unsupportedQuery(let q): return q.contains("$") || q.contains("[[")
        default: return false
        }
    }
}
