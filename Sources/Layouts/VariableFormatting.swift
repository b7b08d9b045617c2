import Foundation

/// The value a variable stands for at substitution time, and how Grafana writes it into a query.
public struct VariableValue: Hashable, Sendable {
    /// The selected values (every option's value when All is selected without `allValue`).
    public var values: [String]
    /// What the user sees for each value (`${var:text}`); empty: the values themselves.
    public var texts: [String]
    /// Multi-value or All-capable: Grafana escapes values as a regex and joins them as `(a|b)`.
    public var regexContext: Bool
    /// All with the variable's own `allValue`: written as is, whatever the format (but `text`).
    public var customAll: String?
    public var isAll: Bool

    public init(values: [String], texts: [String] = [], regexContext: Bool = false, customAll: String? = nil,
                isAll: Bool = false) {
        self.values = values
        self.texts = texts
        self.regexContext = regexContext
        self.customAll = customAll
        self.isAll = isAll
    }

    /// One plain value (a constant, a built-in, a value the user picked).
    public static func single(_ value: String) -> VariableValue { VariableValue(values: [value]) }

    /// The text written for `$var` / `${var:format}`. Without a format: Grafana's Prometheus default,
    /// which escapes regex characters of multi-value and All-capable variables and joins several as `(a|b)`.
    public func formatted(_ format: String?) -> String {
        let format = format?.split(separator: ":").first.map(String.init)
        if format == "text" {
            if isAll { return "All" }
            return (texts.isEmpty ? values : texts).joined(separator: " + ")
        }
        if let customAll { return customAll }
        switch format {
        case nil:
            guard regexContext else { return Self.quoteEscape(values.first ?? "") }
            return Self.alternation(values.map { Self.quoteEscape(Self.promRegexEscape($0)) })
        case "regex": return Self.alternation(values.map(Self.regexEscape))
        case "pipe": return values.joined(separator: "|")
        case "csv", "raw": return values.joined(separator: ",")
        case "glob": return values.count > 1 ? "{" + values.joined(separator: ",") + "}" : values.first ?? ""
        case "doublequote": return values.map { "\"" + $0.replacingAll("\"", with: "\\\"") + "\"" }.joined(separator: ",")
        case "singlequote": return values.map { "'" + $0.replacingAll("'", with: "\\'") + "'" }.joined(separator: ",")
        case "json":
            return "[" + values.map { "\"" + $0.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\"" }
                .joined(separator: ",") + "]"
        default:
            // An unknown format: the default, so the query still runs.
            return formatted(nil)
        }
    }

    static func alternation(_ parts: [String]) -> String {
        parts.count == 1 ? parts[0] : "(" + parts.joined(separator: "|") + ")"
    }

    /// Grafana's escape for a value inside a PromQL string: `'` becomes `\\'`.
    static func quoteEscape(_ s: String) -> String { s.replacingAll("'", with: "\\\\'") }

    /// Grafana's escape of regex characters for Prometheus: doubled backslashes, because the value sits in
    /// a PromQL string literal that removes one level.
    static func promRegexEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "\\" { out += "\\\\\\\\" } else if "$^*{}[]+?.()|".contains(c) { out += "\\\\" + String(c) } else { out.append(c) }
        }
        return out
    }

    /// `${var:regex}`: every regex character preceded by one backslash.
    static func regexEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\\^$*+?.()|[]{}/".contains(c) { out += "\\" }
            out.append(c)
        }
        return out
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }
}
