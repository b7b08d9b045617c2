import Foundation
import PromQL

/// Number formatting exactly as Go's `fmt` prints it, because Prometheus' templates are Go
/// templates and rule tests compare the expanded text byte for byte (`promtool test rules`).
enum GoFormat {
    /// Go's `%v` / `fmt.Sprint` of a float64: shortest round-trip digits, in exponent form when
    /// the decimal exponent is below -4 or at least 6 (strconv's 'g' format with precision -1).
    static func shortest(_ v: Double) -> String {
        if let special = nonFinite(v) { return special }
        if v == 0 { return v.sign == .minus ? "-0" : "0" }
        let (digits, pointPos, negative) = shortestDigits(v)
        let exp = pointPos - 1
        let sign = negative ? "-" : ""
        if exp < -4 || exp >= 6 {
            return sign + scientific(digits: digits, exp: exp)
        }
        return sign + fixed(digits: digits, pointPos: pointPos)
    }

    /// Go's `%.Ng` for an explicit precision (identical to C's `%g` apart from Inf and NaN).
    static func general(_ v: Double, precision: Int) -> String {
        if let special = nonFinite(v) { return special }
        return String(format: "%.\(max(0, min(precision, 100)))g", v)
    }

    /// `NaN`, `+Inf`, `-Inf` as Go prints them; nil for finite values.
    static func nonFinite(_ v: Double) -> String? {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        return nil
    }

    /// Shortest round-trip decimal digits of |v| and where the decimal point goes
    /// (`pointPos` digits from the left; 1.5 → ("15", 1)).
    static func shortestDigits(_ v: Double) -> (digits: String, pointPos: Int, negative: Bool) {
        // Swift's description is the shortest round-trip form, like Go's strconv with precision -1.
        var text = "\(abs(v))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + fracPart
        var pointPos = intPart.count + exponent
        // Strip leading zeros (0.0012 → "12", point -2) and trailing zeros.
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPos -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, pointPos, v.sign == .minus)
    }

    static func scientific(digits: String, exp: Int) -> String {
        var out = String(digits.prefix(1))
        if digits.count > 1 { out += "." + digits.dropFirst() }
        let absExp = abs(exp)
        out += (exp < 0 ? "e-" : "e+") + (absExp < 10 ? "0" : "") + String(absExp)
        return out
    }

    static func fixed(digits: String, pointPos: Int) -> String {
        if pointPos <= 0 { return "0." + String(repeating: "0", count: -pointPos) + digits }
        if pointPos >= digits.count { return digits + String(repeating: "0", count: pointPos - digits.count) }
        let i = digits.index(digits.startIndex, offsetBy: pointPos)
        return String(digits[..<i]) + "." + String(digits[i...])
    }
}

/// Prometheus' template functions for numbers (`humanize`, `humanize1024`, `humanizeDuration`,
/// `humanizePercentage`, `humanizeTimestamp`), producing the same text as Prometheus.
enum Humanize {
    static func metric(_ value: Double) -> String {
        var v = value
        if v == 0 || v.isNaN || v.isInfinite { return GoFormat.general(v, precision: 4) }
        var prefix = ""
        if abs(v) >= 1 {
            for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(v) < 1000 { break }
                prefix = p
                v /= 1000
            }
        } else {
            for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(v) >= 1 { break }
                prefix = p
                v *= 1000
            }
        }
        return GoFormat.general(v, precision: 4) + prefix
    }

    static func binary(_ value: Double) -> String {
        var v = value
        if abs(v) <= 1 || v.isNaN || v.isInfinite { return GoFormat.general(v, precision: 4) }
        var prefix = ""
        for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(v) < 1024 { break }
            prefix = p
            v /= 1024
        }
        return GoFormat.general(v, precision: 4) + prefix
    }

    static func duration(_ value: Double) -> String {
        var v = value
        if v.isNaN || v.isInfinite { return GoFormat.general(v, precision: 4) }
        if v == 0 { return GoFormat.general(v, precision: 4) + "s" }
        if abs(v) >= 1 {
            var sign = ""
            if v < 0 {
                sign = "-"
                v = -v
            }
            // Go converts with int64(v); clamp so that huge values do not trap.
            let total = v >= 9.2e18 ? Int64.max : Int64(v)
            let seconds = total % 60
            let minutes = (total / 60) % 60
            let hours = (total / 3600) % 24
            let days = total / 86400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + GoFormat.general(v, precision: 4) + "s"
        }
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(v) >= 1 { break }
            prefix = p
            v *= 1000
        }
        return GoFormat.general(v, precision: 4) + prefix + "s"
    }

    static func percentage(_ v: Double) -> String {
        GoFormat.general(v * 100, precision: 4) + "%"
    }

    /// Go's `time.Time.String()` of a Unix time in seconds, in UTC.
    static func timestamp(_ v: Double) -> String {
        if v.isNaN || v.isInfinite || abs(v) > 1e12 { return GoFormat.general(v, precision: 4) }
        let whole = v.rounded(.down)
        let nanos = Int(((v - whole) * 1e9).rounded())
        let c = CivilDate.fields(Int64(whole))
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var out = "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
        if nanos > 0 {
            var frac = String(format: "%09d", min(nanos, 999_999_999))
            while frac.hasSuffix("0") { frac.removeLast() }
            out += "." + frac
        }
        return out + " +0000 UTC"
    }
}
