/// Prometheus-style durations: `500ms`, `5s`, `1h30m`, `2d`, `1w`, `1y`.
public enum PromDuration {
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let text: String
        public var description: String { "invalid duration \"\(text)\" (expected e.g. 500ms, 5s, 15m, 1h30m)" }
    }

    private static let units: [(String, Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000),
        ("d", 86_400_000), ("w", 604_800_000), ("y", 31_536_000_000),
    ]

    /// Milliseconds. Units must come in decreasing order, each at most once; `0` alone is allowed.
    public static func parse(_ text: String) throws(ParseError) -> Int64 {
        if text == "0" { return 0 }
        var rest = Substring(text)
        var total: Int64 = 0
        var lastUnitIndex = -1
        guard !rest.isEmpty else { throw ParseError(text: text) }
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let n = Int64(digits) else { throw ParseError(text: text) }
            rest = rest.dropFirst(digits.count)
            // "ms" must be tried before "m".
            guard let (i, unit) = units.enumerated()
                .filter({ rest.hasPrefix($0.element.0) })
                .max(by: { $0.element.0.count < $1.element.0.count })
            else { throw ParseError(text: text) }
            // Units ascend in `units`, so each next unit must have a smaller index.
            if lastUnitIndex >= 0 && i >= lastUnitIndex { throw ParseError(text: text) }
            lastUnitIndex = i
            rest = rest.dropFirst(unit.0.count)
            let (m, o1) = n.multipliedReportingOverflow(by: unit.1)
            let (s, o2) = total.addingReportingOverflow(m)
            guard !o1, !o2 else { throw ParseError(text: text) }
            total = s
        }
        return total
    }

    /// The shortest Prometheus form of a duration: 90000 → `1m30s`.
    public static func format(_ ms: Int64) -> String {
        if ms == 0 { return "0s" }
        var rest = ms < 0 ? -ms : ms
        var out = ms < 0 ? "-" : ""
        for (name, size) in units.reversed() where rest >= size {
            out += "\(rest / size)\(name)"
            rest %= size
        }
        return out
    }
}
