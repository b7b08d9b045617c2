import MetricsCore

/// One sample as an OpenMetrics line: `name{label="value",...} value seconds`.
enum OpenMetricsLine {
    /// Appends the line; false (nothing appended) when the name or a label name cannot be written
    /// in the text format (a UTF-8 name from a newer exporter, say).
    static func append(_ s: InstantSample, to out: inout [UInt8]) -> Bool {
        guard let name = s.labels.name, isMetricName(name) else { return false }
        var line = Array(name.utf8)
        var first = true
        for label in s.labels where label.name != Labels.metricName {
            guard isLabelName(label.name) else { return false }
            line.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            line += label.name.utf8
            line += #"=""#.utf8
            for byte in label.value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): line += #"\\"#.utf8
                case UInt8(ascii: "\""): line += #"\""#.utf8
                case UInt8(ascii: "\n"): line += #"\n"#.utf8
                default: line.append(byte)
                }
            }
            line.append(UInt8(ascii: "\""))
        }
        if !first { line.append(UInt8(ascii: "}")) }
        line.append(UInt8(ascii: " "))
        line += value(s.sample.v).utf8
        line.append(UInt8(ascii: " "))
        line += seconds(s.sample.t).utf8
        line.append(UInt8(ascii: "\n"))
        out += line
        return true
    }

    static func value(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        return v.description
    }

    /// Milliseconds as exact decimal seconds (`1700000000.123`).
    static func seconds(_ ms: Int64) -> String {
        let negative = ms < 0
        let m = negative ? -ms : ms
        let frac = m % 1000
        let fracText = frac == 0 ? "" : "." + String(String(frac + 1000).dropFirst())
        return (negative ? "-" : "") + String(m / 1000) + fracText
    }

    static func isMetricName(_ s: String) -> Bool {
        guard let f = s.utf8.first, isLetter(f) || f == UInt8(ascii: "_") || f == UInt8(ascii: ":") else { return false }
        return s.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") }
    }

    static func isLabelName(_ s: String) -> Bool {
        guard let f = s.utf8.first, isLetter(f) || f == UInt8(ascii: "_") else { return false }
        return s.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}

/// Minimal JSON for the sidecar's one-line objects (keys sorted, so lines are stable).
public enum JSONLine {
    public enum Value: Sendable, Equatable {
        case string(String)
        case number(Int64)
        case strings([String])
        case object([String: String])
    }

    public static func encode(_ fields: [String: Value]) -> String {
        "{" + fields.keys.sorted().map { key in quote(key) + ":" + encode(fields[key]!) }.joined(separator: ",") + "}"
    }

    static func encode(_ v: Value) -> String {
        switch v {
        case .string(let s): return quote(s)
        case .number(let n): return String(n)
        case .strings(let list): return "[" + list.map(quote).joined(separator: ",") + "]"
        case .object(let dict):
            return "{" + dict.keys.sorted().map { quote($0) + ":" + quote(dict[$0]!) }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
