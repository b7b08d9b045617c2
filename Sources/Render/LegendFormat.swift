/// Grafana/Prometheus legend templating: `{{handler}}` → the series' `handler` label.
public enum LegendFormat {
    /// Expands `{{ name }}` placeholders from `labels`; unknown labels expand to nothing. Without a
    /// format (nil or empty) the legend is the label set, `{a="1", b="2"}`, sorted by name.
    /// The result is not yet sanitised (the widgets do that when drawing).
    public static func expand(_ format: String?, labels: [String: String], metricName: String? = nil) -> String {
        guard let format, !format.isEmpty else { return labelSet(labels, metricName: metricName) }
        var out = ""
        var rest = Substring(format)
        // Bounded: a hostile format cannot make the legend grow without end.
        while let open = rest.range(of: "{{"), out.count < 1000 {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = after[..<close.lowerBound].trimmingSpaces
            out += labels[String(name)] ?? ""
            rest = after[close.upperBound...]
        }
        out += rest
        return String(out.prefix(1000))
    }

    static func labelSet(_ labels: [String: String], metricName: String?) -> String {
        let pairs = labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\"\($0.value)\"" }
        let name = metricName ?? labels["__name__"] ?? ""
        if pairs.isEmpty { return name.isEmpty ? "{}" : name }
        return name + "{" + pairs.joined(separator: ", ") + "}"
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }

    /// The first occurrence of `needle` (no Foundation).
    func range(of needle: String) -> Range<Index>? {
        guard !needle.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) {
                return index..<self.index(index, offsetBy: needle.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
