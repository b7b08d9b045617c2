import Foundation
import MetricsCore

/// Dashboard variables in expressions: `$name`, `${name}`, `${name:format}` and Grafana's older `[[name]]`,
/// plus Grafana's built-ins `$__rate_interval`, `$__interval`, `$__range` (and their `_ms` / `_s` forms).
public enum Templating {
    /// Replaces every known variable in `text`; unknown names are left as written (a `$` in a regex stays).
    public static func substitute(_ text: String, values: [String: String]) -> String {
        substituteMapped(text, values: values).text
    }

    /// The values of Grafana's built-in interval variables for a panel drawn over `range` milliseconds
    /// from data scraped every `scrapeInterval` milliseconds, at most `maxDataPoints` points wide.
    /// `$__interval` is the step (never below the scrape interval); `$__rate_interval` follows Grafana:
    /// max(`$__interval` + scrape interval, 4 × scrape interval), so a rate always has enough samples.
    public static func builtinValues(scrapeInterval: Int64, range: Int64, maxDataPoints: Int = 240) -> [String: String] {
        let scrape = max(1, scrapeInterval)
        let points = Int64(max(1, maxDataPoints))
        var step = max(scrape, range / points)
        // Whole seconds read better and match what Grafana sends once above a second.
        if step >= 1000 { step = (step + 999) / 1000 * 1000 }
        let rateInterval = max(step + scrape, 4 * scrape)
        let rangeMs = max(0, range)
        return [
            "__interval": PromDuration.format(step),
            "__interval_ms": String(step),
            "__rate_interval": PromDuration.format(rateInterval),
            "__rate_interval_ms": String(rateInterval),
            "__range": PromDuration.format(rangeMs),
            "__range_ms": String(rangeMs),
            "__range_s": String(rangeMs / 1000),
        ]
    }

    /// Substitutes Grafana's built-ins only.
    public static func substituteBuiltins(_ text: String, scrapeInterval: Int64, range: Int64,
                                          maxDataPoints: Int = 240) -> String {
        substitute(text, values: builtinValues(scrapeInterval: scrapeInterval, range: range, maxDataPoints: maxDataPoints))
    }

    /// The value each variable starts with: its `current` value, else the first of its list.
    /// `label_values` variables without a current value are absent (their values come from the source).
    public static func defaultValues(for variables: [Variable]) -> [String: String] {
        var out: [String: String] = [:]
        for v in variables {
            if let current = v.current {
                out[v.name] = current == "$__all" ? ".*" : current
                continue
            }
            switch v.kind {
            case .constant(let value): out[v.name] = value
            case .custom(let list), .interval(let list): if let first = list.first { out[v.name] = first }
            case .labelValues: break
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
            var reference: (name: String, end: Int)?
            if bytes[i] == UInt8(ascii: "$"), i + 1 < bytes.count {
                if bytes[i + 1] == UInt8(ascii: "{"),
                   let close = bytes[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) {
                    // `${name}` or `${name:format}`: the format is Grafana's and not needed for PromQL.
                    let end = nameEnd(from: i + 2)
                    if end > i + 2, end == close || bytes[end] == UInt8(ascii: ":") {
                        reference = (String(decoding: bytes[(i + 2)..<end], as: UTF8.self), close + 1)
                    }
                } else {
                    let end = nameEnd(from: i + 1)
                    if end > i + 1 { reference = (String(decoding: bytes[(i + 1)..<end], as: UTF8.self), end) }
                }
            } else if bytes[i] == UInt8(ascii: "["), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") {
                let end = nameEnd(from: i + 2)
                if end > i + 2, end + 1 < bytes.count, bytes[end] == UInt8(ascii: "]"), bytes[end + 1] == UInt8(ascii: "]") {
                    reference = (String(decoding: bytes[(i + 2)..<end], as: UTF8.self), end + 2)
                }
            }
            if let reference, let value = values[reference.name] {
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
