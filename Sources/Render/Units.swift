/// Panel units and how values read in them: 3 significant digits, trailing zeros trimmed, scaled to a
/// readable prefix (`380 ms`, `2.41k req/s`, `0.82 %`, `1.9 GiB`, `1.14 s`). NaN and infinities are
/// named (`NaN`, `+Inf`, `-Inf`).
public enum UnitFormat: Hashable, Sendable {
    case seconds, milliseconds, microseconds, nanoseconds
    /// 0–100.
    case percent
    /// 0–1, shown as percent.
    case percentUnit
    /// IEC: B, KiB, MiB, GiB...
    case bytes
    case reqps, ops
    /// k, M, G, T.
    case short
    case none
    /// A unit Lookout does not know: the value in short form with the name as suffix.
    case custom(String)

    /// From a layout's unit name (Grafana's ids and a few aliases); nil or empty → `.none`.
    public init(name: String?) {
        guard let name = name?.lowercased(), !name.isEmpty else {
            self = .none
            return
        }
        switch name {
        case "s", "seconds", "dtdurations": self = .seconds
        case "ms", "milliseconds": self = .milliseconds
        case "µs", "us", "microseconds": self = .microseconds
        case "ns", "nanoseconds": self = .nanoseconds
        case "percent", "%": self = .percent
        case "percentunit": self = .percentUnit
        case "bytes", "decbytes", "bits": self = name == "bits" ? .custom("b") : .bytes
        case "reqps", "req/s", "rps": self = .reqps
        case "ops", "opsps", "ops/s", "iops": self = .ops
        case "short": self = .short
        case "none", "": self = .none
        default: self = .custom(name)
        }
    }

    /// `value` in this unit. `decimals` fixes the digits after the point (no trimming then).
    public func format(_ value: Double, decimals: Int? = nil) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        let (number, suffix) = scaled(value, decimals: decimals)
        return suffix.isEmpty ? number : number + suffix
    }

    /// The unit's suffix alone (for axis captions), e.g. `req/s`.
    public var suffix: String {
        switch self {
        case .seconds: return "s"
        case .milliseconds: return "ms"
        case .microseconds: return "µs"
        case .nanoseconds: return "ns"
        case .percent, .percentUnit: return "%"
        case .bytes: return "B"
        case .reqps: return "req/s"
        case .ops: return "ops/s"
        case .short, .none: return ""
        case .custom(let s): return s
        }
    }

    private func scaled(_ value: Double, decimals: Int?) -> (String, String) {
        switch self {
        case .seconds: return Self.time(value, decimals: decimals)
        case .milliseconds: return Self.time(value / 1e3, decimals: decimals)
        case .microseconds: return Self.time(value / 1e6, decimals: decimals)
        case .nanoseconds: return Self.time(value / 1e9, decimals: decimals)
        case .percent: return (NumberText.format(value, decimals: decimals), " %")
        case .percentUnit: return (NumberText.format(value * 100, decimals: decimals), " %")
        case .bytes: return Self.prefixed(value, step: 1024, names: ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"],
                                          decimals: decimals, space: true)
        case .reqps:
            let (n, p) = Self.prefixed(value, step: 1000, names: NumberText.shortPrefixes, decimals: decimals, space: false)
            return (n + p, " req/s")
        case .ops:
            let (n, p) = Self.prefixed(value, step: 1000, names: NumberText.shortPrefixes, decimals: decimals, space: false)
            return (n + p, " ops/s")
        case .short: return Self.prefixed(value, step: 1000, names: NumberText.shortPrefixes, decimals: decimals, space: false)
        case .none: return (NumberText.format(value, decimals: decimals), "")
        case .custom(let name):
            let (n, p) = Self.prefixed(value, step: 1000, names: NumberText.shortPrefixes, decimals: decimals, space: false)
            return (n + p, " " + name)
        }
    }

    /// Seconds promoted or demoted to the unit that reads best: 0.38 s → 380 ms, 90 s → 1.5 min.
    private static func time(_ seconds: Double, decimals: Int?) -> (String, String) {
        let magnitude = abs(NumberText.roundedToSignificant(seconds))
        let scales: [(Double, String)] = [(86400, " d"), (3600, " h"), (60, " min"), (1, " s"), (1e-3, " ms"),
                                          (1e-6, " µs"), (1e-9, " ns")]
        if magnitude == 0 { return (NumberText.format(0, decimals: decimals), " s") }
        for (factor, name) in scales where magnitude >= factor * (factor >= 60 ? 1.0 : 0.9995) {
            // Minutes and above only from a whole unit; below, the cut is where rounding would reach 1000.
            if factor >= 60, magnitude < factor { continue }
            return (NumberText.format(seconds / factor, decimals: decimals), name)
        }
        return (NumberText.format(seconds / 1e-9, decimals: decimals), " ns")
    }

    /// Scales by powers of `step` until the rounded value is below `step`.
    private static func prefixed(_ value: Double, step: Double, names: [String], decimals: Int?,
                                 space: Bool) -> (String, String) {
        var scaled = value
        var index = 0
        while index < names.count - 1, abs(NumberText.roundedToSignificant(scaled, decimals: decimals)) >= step {
            scaled /= step
            index += 1
        }
        let name = names[index]
        let number = NumberText.format(scaled, decimals: decimals)
        if name.isEmpty { return (number, "") }
        return (number, space ? " " + name : name)
    }
}

/// Plain number text without Foundation: fixed decimals or 3 significant digits, trailing zeros trimmed.
public enum NumberText {
    static let shortPrefixes = ["", "k", "M", "G", "T", "P", "E"]
    public static let significantDigits = 3

    /// Digits after the point for 3 significant digits (0 for values ≥ 100).
    static func autoDecimals(_ value: Double) -> Int {
        let magnitude = abs(value)
        guard magnitude > 0, magnitude.isFinite else { return 0 }
        let exponent = Int((log10Approx(magnitude)).rounded(.down))
        return Swift.max(0, Swift.min(12, significantDigits - 1 - exponent))
    }

    /// The value as it would read after rounding (used to pick a prefix so 999.7 reads 1k, not 1000).
    static func roundedToSignificant(_ value: Double, decimals: Int? = nil) -> Double {
        guard value.isFinite else { return value }
        let d = decimals ?? autoDecimals(value)
        let factor = pow10(d)
        let r = (value * factor).rounded() / factor
        return r
    }

    public static func format(_ value: Double, decimals: Int? = nil) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        let fixed = decimals.map { Swift.max(0, Swift.min(12, $0)) }
        if fixed == nil, value != 0, abs(value) < 1e-9 { return scientific(value) }
        var d = fixed ?? autoDecimals(value)
        // Rounding may carry into a new digit (9.996 → 10.0): recompute the decimals from the result.
        if fixed == nil {
            let rounded = roundedToSignificant(value)
            d = autoDecimals(rounded)
        }
        let magnitude = abs(value) * pow10(d)
        guard magnitude < 9e17 else { return scientific(value) }
        let units = UInt64(magnitude.rounded())
        if units == 0 { return fixed != nil && d > 0 ? "0." + String(repeating: "0", count: d) : "0" }
        var digits = String(units)
        if d > 0 {
            if digits.count <= d { digits = String(repeating: "0", count: d - digits.count + 1) + digits }
            let cut = digits.index(digits.endIndex, offsetBy: -d)
            var fraction = String(digits[cut...])
            if fixed == nil {
                while fraction.hasSuffix("0") { fraction.removeLast() }
            }
            digits = String(digits[..<cut]) + (fraction.isEmpty ? "" : "." + fraction)
        }
        return (value < 0 ? "-" : "") + digits
    }

    /// `1.23e+20` style for values too large or small for fixed digits.
    static func scientific(_ value: Double) -> String {
        let magnitude = abs(value)
        var exponent = Int(log10Approx(magnitude).rounded(.down))
        var mantissa = magnitude / pow10(exponent)
        if mantissa >= 9.995 {
            mantissa /= 10
            exponent += 1
        }
        let sign = value < 0 ? "-" : ""
        return sign + format(mantissa) + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
    }

    /// 10^n for |n| within Double's range, without Foundation.
    static func pow10(_ n: Int) -> Double {
        n < 0 ? 1 / pow10Positive(-n) : pow10Positive(n)
    }

    private static func pow10Positive(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<Swift.min(n, 330) { result *= 10 }
        return result
    }

    /// Floor-accurate log10 for picking digits; exact at powers of ten.
    static func log10Approx(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 0 }
        var e = 0
        var m = x
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        // m in [1, 10): the fraction does not matter for the floor, only for .down rounding.
        return Double(e) + (m - 1) / 9 * 0.999
    }
}
