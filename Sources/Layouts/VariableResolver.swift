import Foundation
import MetricsCore

/// What a query variable asks of the data source, with its parents' values already substituted.
public enum VariableLookup: Hashable, Sendable {
    /// Distinct values of `label` among the series `selector` selects (every series having it when nil).
    case labelValues(selector: String?, label: String)
    /// Each series of an instant query, printed as Grafana does for the regex.
    case queryResult(String)
    /// Metric names matching the regex (a search, not anchored, as Grafana's).
    case metrics(String)
}

extension VariableLookup {
    /// A stable text key for caches and mailboxes.
    public var key: String {
        switch self {
        case .labelValues(let selector, let label): return "label_values\u{0}\(selector ?? "")\u{0}\(label)"
        case .queryResult(let expr): return "query_result\u{0}\(expr)"
        case .metrics(let regex): return "metrics\u{0}\(regex)"
        }
    }
}

/// One option of a variable.
public struct VariableOption: Hashable, Sendable {
    public var text: String
    public var value: String

    public init(text: String, value: String) {
        self.text = text
        self.value = value
    }
}

/// A variable after resolution: its options, what is selected, or why nothing is.
public struct ResolvedVariable: Hashable, Sendable {
    public var name: String
    public var options: [VariableOption]
    /// What `$name` stands for; nil when unresolved.
    public var value: VariableValue?
    /// Why there is no value (shown in the panels that use the variable and by `lookout check`).
    public var unresolved: String?
    /// Ad hoc filters to add to every selector.
    public var filters: [AdhocFilter]

    public init(name: String, options: [VariableOption] = [], value: VariableValue? = nil, unresolved: String? = nil,
                filters: [AdhocFilter] = []) {
        self.name = name
        self.options = options
        self.value = value
        self.unresolved = unresolved
        self.filters = filters
    }
}

/// Resolves a dashboard's variables as Grafana does: in dependency order, each query looked up with its
/// parents' values, the saved selection checked against the fresh options (first option, or All, when it
/// is gone). Pure apart from the `lookup` it is given.
public enum VariableResolver {
    /// At most this many options per variable: a label with thousands of values is not a menu.
    public static let maxOptions = 500

    /// - Parameters:
    ///   - chosen: the user's picks this session (value, or `$__all`), preferred over saved values.
    ///   - lookup: answers a query variable's lookup: its raw strings, why there are none, or nil when the
    ///     source has not been asked yet.
    public static func resolveSync(_ variables: [Variable], rangeMs: Int64, scrapeInterval: Int64,
                                   chosen: [String: String] = [:],
                                   lookup: (VariableLookup) -> Result<[String], LookupFailure>?) -> [ResolvedVariable] {
        let builtins = Templating.builtinValues(scrapeInterval: scrapeInterval, range: rangeMs)
            .mapValues(VariableValue.single)
        var values = builtins
        var unresolvedNames: Set<String> = []
        var byName: [String: ResolvedVariable] = [:]
        let names = Set(variables.map(\.name))
        for index in order(variables) {
            var v = variables[index]
            // A query written with variables in it (`label_values(m, $label)`) is read after substitution, as Grafana does.
            if case .unsupportedQuery(let q) = v.kind, q.contains("$") || q.contains("[["),
               let kind = Templating.parseVariableQuery(Templating.substitute(q, resolved: values)) {
                v.kind = kind
            }
            var r = ResolvedVariable(name: v.name)
            let parents = references(v, among: names).subtracting([v.name]).sorted()
            let missing = parents.filter { unresolvedNames.contains($0) }
            if let request = lookupRequest(v, values: values) {
                if !missing.isEmpty {
                    r.unresolved = "needs $" + missing.joined(separator: ", $") + ", which has no value"
                } else {
                    switch lookup(request) {
                    case nil:
                        r.unresolved = "waiting for the source to answer \(describe(v.kind))"
                    case .success(let raw):
                        let options = Templating.sortOptions(Templating.applyRegex(v.regex, to: Array(raw.prefix(10_000))), sort: v.sort)
                        r.options = options.prefix(maxOptions).map { VariableOption(text: $0.text, value: $0.value) }
                        if r.options.isEmpty { r.unresolved = "no values found for \(describe(v.kind))" }
                    case .failure(let f):
                        r.unresolved = "\(describe(v.kind)) failed: \(f.message)"
                    }
                }
            } else {
                r.options = staticOptions(v)
            }
            select(&r, v, chosen: chosen[v.name], rangeMs: rangeMs)
            if r.value != nil { r.unresolved = nil }
            if case .adhoc(let filters) = v.kind { r.filters = filters }
            if let value = r.value { values[v.name] = value } else { unresolvedNames.insert(v.name) }
            byName[v.name] = r
        }
        return variables.compactMap { byName[$0.name] }
    }

    /// Why a lookup gave nothing, in words for a panel.
    public struct LookupFailure: Error, Hashable, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    /// The lookup of a query variable with the values known so far substituted; nil for other kinds.
    public static func lookupRequest(_ v: Variable, values: [String: VariableValue]) -> VariableLookup? {
        func expand(_ s: String) -> String { Templating.substitute(s, resolved: values) }
        switch v.kind {
        case .labelValues(let metric, let label): return .labelValues(selector: metric.map(expand), label: label)
        case .queryResult(let expr): return .queryResult(expand(expr))
        case .metrics(let regex): return .metrics(expand(regex))
        default: return nil
        }
    }

    static func staticOptions(_ v: Variable) -> [VariableOption] {
        switch v.kind {
        case .custom(let list), .interval(let list): return list.map { VariableOption(text: $0, value: $0) }
        case .constant(let s), .datasource(let s): return [VariableOption(text: s, value: s)]
        case .textbox: return v.current.map { [VariableOption(text: $0, value: $0)] } ?? []
        default: return []
        }
    }

    /// Chooses the selection: the user's pick, else the saved one if still offered, else All (when
    /// offered) or the first option. No options: All with its `allValue`, else unresolved.
    static func select(_ r: inout ResolvedVariable, _ v: Variable, chosen: String?, rangeMs: Int64) {
        let offered = Set(r.options.map(\.value))
        func all() -> VariableValue? {
            if let custom = v.allValue {
                return VariableValue(values: r.options.map(\.value), regexContext: true, customAll: custom, isAll: true)
            }
            guard !r.options.isEmpty else { return nil }
            return VariableValue(values: r.options.map(\.value), texts: r.options.map(\.text), regexContext: true, isAll: true)
        }
        func pick(_ values: [String]) -> VariableValue {
            let texts = values.map { value in r.options.first { $0.value == value }?.text ?? value }
            return VariableValue(values: values, texts: texts, regexContext: v.multi || v.includeAll)
        }
        switch v.kind {
        case .adhoc:
            r.value = VariableValue.single("")
            return
        case .unsupportedQuery(let query):
            if let current = v.current, current != Variable.allMarker { r.value = pick(v.savedValues) } else {
                r.unresolved = r.unresolved ?? "query Lookout cannot run: \(query)"
            }
            return
        case .interval where v.auto && chosen == nil && v.current == nil:
            r.value = .single(PromDuration.format(GrafanaInterval.auto(range: rangeMs, count: v.autoCount, min: v.autoMin)))
            return
        case .textbox(let initial):
            r.value = .single(chosen ?? v.current ?? initial)
            return
        default:
            break
        }
        if let chosen {
            if chosen == Variable.allMarker, let a = all() { r.value = a; return }
            if offered.contains(chosen) { r.value = pick([chosen]); return }
        }
        let saved = v.savedValues
        if saved == [Variable.allMarker] || saved.contains(Variable.allMarker), v.includeAll || v.allValue != nil,
           let a = all() {
            r.value = a
            return
        }
        let kept = saved.filter { offered.contains($0) }
        if !kept.isEmpty {
            r.value = pick(v.multi ? kept : [kept[0]])
        } else if v.includeAll, let a = all() {
            r.value = a
        } else if let first = r.options.first {
            r.value = pick([first.value])
        } else if v.includeAll, v.allValue != nil, let a = all() {
            r.value = a
        }
        if r.value != nil { r.unresolved = nil } else if r.unresolved == nil { r.unresolved = "no value" }
    }

    /// Human words for a query kind, as the file writes it.
    public static func describe(_ kind: Variable.Kind) -> String {
        switch kind {
        case .labelValues(let metric, let label): return "label_values(" + (metric.map { $0 + ", " } ?? "") + label + ")"
        case .queryResult(let expr): return "query_result(\(expr))"
        case .metrics(let regex): return "metrics(\(regex))"
        case .unsupportedQuery(let q): return q
        default: return "variable"
        }
    }
}
