import Foundation

/// Grafana's per-field settings: overrides by series name or regex, value mappings and table
/// transformations. Decoded by the Grafana dialect, applied by the App when it draws.

/// Settings for the fields (series, table columns) a matcher selects; nil means "as the panel says".
public struct FieldOverride: Hashable, Sendable {
    public enum Matcher: Hashable, Sendable {
        /// `byName`: the field's display name, exactly.
        case name(String)
        /// `byRegexp`: a regular expression over the display name, with or without `/.../` around it.
        case regex(String)
    }

    public var matcher: Matcher
    public var unit: String?
    public var decimals: Int?
    public var thresholds: [Threshold]?
    public var displayName: String?
    public var mappings: [ValueMapping]?
    /// Table styles of type `hidden` and `custom.hidden`: the column is left out.
    public var hidden: Bool?

    public init(matcher: Matcher, unit: String? = nil, decimals: Int? = nil, thresholds: [Threshold]? = nil,
                displayName: String? = nil, mappings: [ValueMapping]? = nil, hidden: Bool? = nil) {
        self.matcher = matcher
        self.unit = unit
        self.decimals = decimals
        self.thresholds = thresholds
        self.displayName = displayName
        self.mappings = mappings
        self.hidden = hidden
    }

    /// Patterns come from files: long ones are not compiled (a regex over a legend needs no more).
    static let maxPatternLength = 512

    /// Whether the field named `name` is selected. Regexes match anywhere unless anchored, as in
    /// JavaScript; one that does not compile selects nothing.
    public func matches(_ name: String) -> Bool {
        switch matcher {
        case .name(let n): return n == name
        case .regex(let pattern):
            guard let regex = Self.compile(pattern) else { return false }
            return (try? regex.firstMatch(in: name)) != nil
        }
    }

    static func compile(_ pattern: String) -> Regex<AnyRegexOutput>? {
        guard pattern.utf8.count <= maxPatternLength else { return nil }
        var body = Substring(pattern)
        var caseInsensitive = false
        // JavaScript literal form: /body/flags.
        if body.hasPrefix("/"), let close = body.lastIndex(of: "/"), close > body.startIndex {
            let flags = body[body.index(after: close)...]
            caseInsensitive = flags.contains("i")
            body = body[body.index(after: body.startIndex)..<close]
        }
        guard let regex = try? Regex(String(body)) else { return nil }
        return caseInsensitive ? regex.ignoresCase() : regex
    }

    /// The settings that apply to `name`: later overrides win, as in Grafana.
    public static func resolved(_ overrides: [FieldOverride], for name: String) -> FieldOverride {
        var out = FieldOverride(matcher: .name(name))
        for o in overrides where o.matches(name) {
            out.unit = o.unit ?? out.unit
            out.decimals = o.decimals ?? out.decimals
            out.thresholds = o.thresholds ?? out.thresholds
            out.displayName = o.displayName ?? out.displayName
            out.mappings = o.mappings ?? out.mappings
            out.hidden = o.hidden ?? out.hidden
        }
        return out
    }
}

/// A value shown as text (and optionally a colour) instead of a number.
public struct ValueMapping: Hashable, Sendable {
    public enum Match: Hashable, Sendable {
        /// The value written as text (`"1"`, `"0.5"`); compared as numbers when both are numbers.
        case value(String)
        /// `from...to`, either end open when nil.
        case range(from: Double?, to: Double?)
        /// No value at all (null).
        case null
        case nan
        /// Null or NaN.
        case nullOrNaN
    }

    public var match: Match
    public var text: String
    public var color: String?

    public init(_ match: Match, text: String, color: String? = nil) {
        self.match = match
        self.text = text
        self.color = color
    }

    public func matches(_ value: Double?) -> Bool {
        switch match {
        case .null: return value == nil
        case .nan: return value?.isNaN == true
        case .nullOrNaN: return value == nil || value?.isNaN == true
        case .value(let text):
            guard let value, !value.isNaN else { return false }
            if let n = Double(text.trimmingCharacters(in: .whitespaces)) { return n == value }
            return false
        case .range(let from, let to):
            guard let value, !value.isNaN, from != nil || to != nil else { return false }
            return value >= (from ?? -.infinity) && value <= (to ?? .infinity)
        }
    }

    /// The first mapping that matches, as Grafana applies them (in order).
    public static func first(_ mappings: [ValueMapping], for value: Double?) -> ValueMapping? {
        mappings.first { $0.matches(value) }
    }
}

/// Table transformations common in exporters' dashboards.
public enum TableTransformation: Hashable, Sendable {
    /// `merge` and `seriesToColumns`/`joinByField`: one row per label set, a value column per query.
    case merge(joinField: String?)
    /// `organize`: columns left out, renamed, and put in order (by index).
    case organize(excluded: Set<String>, renamed: [String: String], order: [String: Int])
    /// A transformation Lookout does not apply; the table is drawn without it.
    case unsupported(String)
}

/// Grafana's reducers (`reduceOptions.calcs`, singlestat `valueName`) over the values of the window.
public enum ValueReducer {
    /// The reducers that keep the last value: no history is needed for them.
    public static let lastValue: Set<String> = ["lastNotNull", "last", "current"]
    public static let supported: Set<String> = lastValue.union(["mean", "max", "min", "sum", "firstNotNull", "first",
                                                                "range", "diff", "delta", "count"])

    /// Whether the panel's reducer needs the values over the window rather than the last one.
    public static func needsHistory(_ reducer: String?) -> Bool {
        guard let reducer else { return false }
        return supported.contains(reducer) && !lastValue.contains(reducer)
    }

    /// `values` in time order reduced as Grafana does; NaN values are skipped (the "not null" forms),
    /// nil when nothing is left. `delta` adds the increases, counting a drop as a counter reset.
    public static func reduce(_ values: [Double], _ reducer: String) -> Double? {
        let v = values.filter { !$0.isNaN }
        guard let first = v.first, let last = v.last else { return nil }
        switch reducer {
        case "mean": return v.reduce(0, +) / Double(v.count)
        case "max": return v.max()
        case "min": return v.min()
        case "sum": return v.reduce(0, +)
        case "first", "firstNotNull": return first
        case "range": return (v.max() ?? 0) - (v.min() ?? 0)
        case "diff": return last - first
        case "count": return Double(v.count)
        case "delta":
            var total = 0.0
            for (a, b) in zip(v, v.dropFirst()) { total += b >= a ? b - a : b }
            return total
        default: return last
        }
    }
}
