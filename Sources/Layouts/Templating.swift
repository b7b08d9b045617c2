import Foundation
import MetricsCore

/// Dashboard variables in expressions: `$name`, `${name}`, `${name:format}` and Grafana's older `[[name]]`,
/// plus Grafana's built-ins `$__rate_interval`, `$__interval`, `$__range` (and their `_ms` / `_s` forms).
public enum Templating {
    /// Replaces every known variable in `text`; unknown names are left as written (a `$` in a regex stays).
    public static func substitute(_ text: String, values: [String: String]) -> String {
        substituteMapped(text, values: values).text
    }

    /// Replaces every known variable with its value written as Grafana would (`${var:csv}`, `(a|b)`...).
    public static func substitute(_ text: String, resolved: [String: VariableValue]) -> String {
        substituteMapped(text) { name, format in resolved[name]?.formatted(format) }.text
    }

    /// The values of Grafana's built-in interval variables for a panel drawn over `range` milliseconds
    /// from data scraped every `scrapeInterval` milliseconds, at most `maxDataPoints` points wide.
    /// As Grafana: `$__interval` is range / points rounded to its nice table, never below the scrape
    /// interval; `$__rate_interval` is max(`$__interval` + scrape interval, 4 × scrape interval);
    /// `$__range` is written in seconds.
    public static func builtinValues(scrapeInterval: Int64, range: Int64, maxDataPoints: Int = 240) -> [String: String] {
        let scrape = max(1, scrapeInterval)
        let interval = GrafanaInterval.calculate(range: range, resolution: maxDataPoints, lowLimit: scrape)
        let rateInterval = GrafanaInterval.rateInterval(interval: interval, scrapeInterval: scrape)
        let rangeMs = max(0, range)
        let rangeSeconds = (rangeMs + 500) / 1000
        return [
            "__interval": PromDuration.format(interval),
            "__interval_ms": String(interval),
            "__rate_interval": GrafanaInterval.seconds(rateInterval),
            "__rate_interval_ms": String(rateInterval),
            "__range": "\(rangeSeconds)s",
            "__range_ms": String(rangeMs),
            "__range_s": String(rangeSeconds),
        ]
    }

    /// Substitutes Grafana's built-ins only.
    public static func substituteBuiltins(_ text: String, scrapeInterval: Int64, range: Int64,
                                          maxDataPoints: Int = 240) -> String {
        substitute(text, values: builtinValues(scrapeInterval: scrapeInterval, range: range, maxDataPoints: maxDataPoints))
    }

    /// The value each variable starts with, before any lookup: its saved `current` value, else the first
    /// of its list. Variables whose values come from the source and have none saved are absent.
    public static func defaultValues(for variables: [Variable]) -> [String: String] {
        var out: [String: String] = [:]
        for v in variables {
            if let current = v.current {
                out[v.name] = current == Variable.allMarker ? (v.allValue ?? ".*") : current
                continue
            }
            switch v.kind {
            case .constant(let value), .textbox(let value), .datasource(let value): out[v.name] = value
            case .custom(let list), .interval(let list): if let first = list.first { out[v.name] = first }
            case .labelValues, .queryResult, .metrics, .adhoc, .unsupportedQuery: break
            }
        }
        return out
    }

    /// Parses `label_values(metric, label)` or `label_values(label)`; nil for anything else.
    public static func parseLabelValues(_ query: String) -> (metric: String?, label: String)? {
        let q = query.trimmingCharacters(in: .whitespaces)
        guard q.hasPrefix("label_values("), q.hasSuffix(")") else { return nil }
        let inner = q.dropFirst("label_values(".count).dropLast()
        // The last comma outside braces, parentheses and quotes separates the label.
        var depth = 0
        var quote: Character?
        var split: String.Index?
        var i = inner.startIndex
        while i < inner.endIndex {
            let c = inner[i]
            if let q = quote {
                if c == "\\" { i = inner.index(after: i) } else if c == q { quote = nil }
            } else if c == "\"" || c == "'" || c == "`" {
                quote = c
            } else if c == "{" || c == "(" {
                depth += 1
            } else if c == "}" || c == ")" {
                depth -= 1
            } else if c == ",", depth == 0 {
                split = i
            }
            if i < inner.endIndex { i = inner.index(after: i) }
        }
        let metric = split.map { inner[..<$0].trimmingCharacters(in: .whitespaces) }
        let label = (split.map { inner[inner.index(after: $0)...] } ?? inner[...]).trimmingCharacters(in: .whitespaces)
        guard isName(label), metric.map({ !$0.isEmpty }) ?? true else { return nil }
        return (metric, label)
    }

    static func isName<S: StringProtocol>(_ s: S) -> Bool {
        guard let first = s.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy(isNameScalar)
    }

    static func isNameScalar(_ u: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(u) || ("A"..."Z").contains(u) || ("0"..."9").contains(u) || u == "_"
    }

    /// One replaced span: `original` bytes of the input became `replaced` bytes of the output.
    struct Replacement {
        var originalStart: Int
        var originalLength: Int
        var newStart: Int
        var newLength: Int
    }

    /// Substitution that also reports where each replacement happened, so an error offset in the
    /// substituted expression can be mapped back to the text the user wrote.
    static func substituteMapped(_ text: String, values: [String: String]) -> (text: String, replacements: [Replacement]) {
        substituteMapped(text) { name, format in values[name].map { VariableValue.single($0).formatted(format) } }
    }

    /// The same with a lookup by name and format (`${name:format}`, `[[name:format]]`); nil leaves the text.
    static func substituteMapped(_ text: String,
                                 lookup: (_ name: String, _ format: String?) -> String?) -> (text: String, replacements: [Replacement]) {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "$")) || bytes.contains(UInt8(ascii: "[")) else { return (text, []) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var replacements: [Replacement] = []
        var i = 0
        func nameEnd(from start: Int) -> Int {
            var j = start
            while j < bytes.count, isNameScalar(Unicode.Scalar(bytes[j])) { j += 1 }
            return j
        }
        while i < bytes.count {
            var reference: (name: String, format: String?, end: Int)?
            if bytes[i] == UInt8(ascii: "$"), i + 1 < bytes.count {
                if bytes[i + 1] == UInt8(ascii: "{"),
                   let close = bytes[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) {
                    // `${name}` or `${name:format}`.
                    let end = nameEnd(from: i + 2)
                    if end > i + 2, end == close || bytes[end] == UInt8(ascii: ":") {
                        let format = end == close ? nil : String(decoding: bytes[(end + 1)..<close], as: UTF8.self)
                        reference = (String(decoding: bytes[(i + 2)..<end], as: UTF8.self), format, close + 1)
                    }
                } else {
                    let end = nameEnd(from: i + 1)
                    if end > i + 1 { reference = (String(decoding: bytes[(i + 1)..<end], as: UTF8.self), nil, end) }
                }
            } else if bytes[i] == UInt8(ascii: "["), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") {
                // `[[name]]` or `[[name:format]]`.
                let end = nameEnd(from: i + 2)
                var formatEnd = end
                if end < bytes.count, bytes[end] == UInt8(ascii: ":") {
                    formatEnd = end + 1
                    while formatEnd < bytes.count, bytes[formatEnd] != UInt8(ascii: "]") { formatEnd += 1 }
                }
                if end > i + 2, formatEnd + 1 < bytes.count, bytes[formatEnd] == UInt8(ascii: "]"),
                   bytes[formatEnd + 1] == UInt8(ascii: "]") {
                    let format = formatEnd == end ? nil : String(decoding: bytes[(end + 1)..<formatEnd], as: UTF8.self)
                    reference = (String(decoding: bytes[(i + 2)..<end], as: UTF8.self), format, formatEnd + 2)
                }
            }
            if let reference, let value = lookup(reference.name, reference.format) {
                let v = Array(value.utf8)
                replacements.append(Replacement(originalStart: i, originalLength: reference.end - i,
                                                newStart: out.count, newLength: v.count))
                out.append(contentsOf: v)
                i = reference.end
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return (String(decoding: out, as: UTF8.self), replacements)
    }

    /// Maps a byte offset in substituted text back to the original text; inside a replaced
    /// variable it points at the variable's `$`.
    static func originalOffset(_ offset: Int, replacements: [Replacement]) -> Int {
        var shift = 0
        for r in replacements {
            if offset < r.newStart { break }
            if offset < r.newStart + r.newLength { return r.originalStart }
            shift = (r.originalStart + r.originalLength) - (r.newStart + r.newLength)
        }
        return offset + shift
    }
}
