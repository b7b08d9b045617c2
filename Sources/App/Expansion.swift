import Layouts

/// Variable substitution for the current layout.
enum Expansion {
    /// Substitutes the layout's variables (the user's choice, else the layout's default) and
    /// Grafana's built-ins (`$__rate_interval`...) into an expression.
    static func expander(state: AppState, intervalMs: Int64) -> @Sendable (String) -> String {
        guard let dashboard = state.currentLayout?.dashboard else { return { $0 } }
        var values = Templating.defaultValues(for: dashboard.variables)
        values.merge(state.currentView.variableValues) { $1 }
        values.merge(Templating.builtinValues(scrapeInterval: intervalMs, range: state.rangeMs)) { a, _ in a }
        let fixed = values
        return { Templating.substitute($0, values: fixed) }
    }
}
