/// A dashboard variable (`$name` in expressions), with what Grafana's JSON model says about it.
public struct Variable: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case constant(String)
        /// A fixed list of values (Grafana's `custom`).
        case custom([String])
        /// `label_values(metric, label)` or `label_values(label)`: values come from the data source.
        case labelValues(metric: String?, label: String)
        /// A fixed list of durations; see `auto` for Grafana's automatic choice.
        case interval([String])
        /// `query_result(expr)`: each result series, printed as `name{labels} value timestamp`, is an
        /// option, usually cut down by `regex`.
        case queryResult(String)
        /// `metrics(regex)`: the metric names matching `regex`.
        case metrics(String)
        /// Free text with a default.
        case textbox(String)
        /// Grafana's data source picker; the value is the plugin type (`prometheus`).
        case datasource(String)
        /// Ad hoc filters: label matchers added to every selector.
        case adhoc([AdhocFilter])
        /// A query Lookout cannot run (another data source's syntax); the saved value is used as is.
        case unsupportedQuery(String)
    }

    public var name: String
    public var label: String?
    public var kind: Kind
    /// The saved selection (its first value when several; `$__all` for All).
    public var current: String?
    /// Every saved value when several are selected; empty when `current` says it all.
    public var currentValues: [String]
    /// Grafana's `regex` over the options (capture group 1, or groups named `text` / `value`).
    public var regex: String?
    public var multi: Bool
    public var includeAll: Bool
    /// What All stands for; nil: the alternation of every value.
    public var allValue: String?
    /// Grafana's `refresh`: 1 on load, 2 on every time-range change (both refresh here).
    public var refresh: Int?
    /// Grafana's `sort`: 0 as returned, 1/2 alphabetical, 3/4 numerical, 5/6 case-insensitive,
    /// 7/8 natural (odd ascending, even descending).
    public var sort: Int
    /// An interval variable offering `auto`: range / `autoCount`, at least `autoMin`.
    public var auto: Bool
    public var autoCount: Int?
    public var autoMin: String?

    public init(name: String, label: String? = nil, kind: Kind, current: String? = nil,
                currentValues: [String] = [], regex: String? = nil, multi: Bool = false,
                includeAll: Bool = false, allValue: String? = nil, refresh: Int? = nil, sort: Int = 0,
                auto: Bool = false, autoCount: Int? = nil, autoMin: String? = nil) {
        self.name = name
        self.label = label
        self.kind = kind
        self.current = current
        self.currentValues = currentValues
        self.regex = regex
        self.multi = multi
        self.includeAll = includeAll
        self.allValue = allValue
        self.refresh = refresh
        self.sort = sort
        self.auto = auto
        self.autoCount = autoCount
        self.autoMin = autoMin
    }

    /// The saved selection as a list (empty: none saved).
    public var savedValues: [String] {
        currentValues.isEmpty ? current.map { [$0] } ?? [] : currentValues
    }

    /// Grafana's marker for the All option.
    public static let allMarker = "$__all"
}

/// One ad hoc filter: `key operator value`, with Grafana's operators (`=`, `!=`, `=~`, `!~`).
public struct AdhocFilter: Hashable, Sendable {
    public var key: String
    public var op: String
    public var value: String

    public init(key: String, op: String, value: String) {
        self.key = key
        self.op = op
        self.value = value
    }
}
