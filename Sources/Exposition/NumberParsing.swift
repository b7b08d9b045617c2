/// Float and integer parsing straight from the body bytes, without building a String per number.
enum NumberParsing {
    /// Prometheus stores every scraped NaN with this one bit pattern (`value.NormalNaN`), so no
    /// payload a target sends can ever pose as the staleness marker.
    static let normalNaN = Double(bitPattern: 0x7ff8_0000_0000_0001)

    /// Exact powers of ten representable as Double: the fast path below multiplies or divides by one
    /// of them, which is correctly rounded when the mantissa has at most 15 digits (Clinger's rule).
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    /// Parses the OpenMetrics `realnumber` grammar: `[+-] (digits [. digits*] | . digits) [e [+-] digits]`.
    /// Returns nil when the bytes are not exactly that.
    static func parseDecimal(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        guard let (v, stop) = parseDecimalPrefix(p, start, end), stop == end else { return nil }
        return v
    }

    /// The same grammar as a prefix: the number starting at `start` and where it stops (at `end` or
    /// at the first byte that cannot continue it), so the caller need not find the token's end first.
    /// Nil when the bytes there do not start a number, or break the grammar (`1e` with no digits).
    @inline(__always)
    static func parseDecimalPrefix(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Double, Int)? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var sawDigit = false
        while i < end, isDigit(p[i]) {
            sawDigit = true
            let d = UInt64(p[i] &- 0x30)
            if mantissa != 0 || d != 0 {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ d
                } else {
                    exponent += 1
                }
                significantDigits += 1
            }
            i += 1
        }
        if i < end, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, isDigit(p[i]) {
                sawDigit = true
                let d = UInt64(p[i] &- 0x30)
                if mantissa != 0 || d != 0 {
                    if significantDigits < 19 {
                        mantissa = mantissa &* 10 &+ d
                        exponent -= 1
                    }
                    significantDigits += 1
                } else {
                    exponent -= 1
                }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < end, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
                expNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end, isDigit(p[i]) else { return nil }
            var e = 0
            while i < end, isDigit(p[i]) {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 0x30) }
                i += 1
            }
            exponent += expNegative ? -e : e
        }
        if mantissa == 0 { return (negative ? -0.0 : 0.0, i) }
        if significantDigits <= 15, exponent >= -22, exponent <= 22 {
            let m = Double(mantissa)
            let v = exponent >= 0 ? m * exactPowersOfTen[exponent] : m / exactPowersOfTen[-exponent]
            return (negative ? -v : v, i)
        }
        // 16 to 19 digits (a float's shortest form often has 17), exactly rounded.
        if significantDigits <= 19, let v = exactlyRounded(mantissa, exponent) { return (negative ? -v : v, i) }
        // Rare: longer mantissas or large exponents. Let the C library round it correctly.
        guard let v = Double(String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self))
        else { return nil }
        return (v, i)
    }

    /// 10^0 … 10^19, every power of ten a UInt64 holds.
    static let powersOfTen64: [UInt64] = (0...19).map { k in (0..<k).reduce(1) { p, _ in p * 10 } }

    /// `m × 10^e` rounded to the nearest Double (ties to even) for `-19 <= e <= 19`, nil otherwise:
    /// the product, or a quotient of 62 to 64 bits with its remainder, taken exactly in 128-bit
    /// integers and rounded once. What Clinger's fast path cannot take (more than 15 digits), without
    /// making a String for the C library.
    static func exactlyRounded(_ m: UInt64, _ e: Int) -> Double? {
        guard e >= -19, e <= 19, m != 0 else { return nil }
        if e >= 0 {
            let (high, low) = m.multipliedFullWidth(by: powersOfTen64[e])
            if high == 0 { return Double(low) }  // the conversion itself rounds to nearest, ties to even
            let shift = 64 - high.leadingZeroBitCount  // the product's top 64 bits are its value >> shift
            return roundToDouble(high << (64 - shift) | low >> shift, sticky: low << (64 - shift) != 0, scale: shift)
        }
        let d = powersOfTen64[-e]
        // m·2^s < 2^(63 + bits(d)) <= d·2^64, so the quotient fits 64 bits; and it is at least 2^62.
        let s = 63 + (64 - d.leadingZeroBitCount) - (64 - m.leadingZeroBitCount)
        let high = s >= 64 ? m << (s - 64) : m >> (64 - s)
        let low = s >= 64 ? 0 : m << s
        let (q, r) = d.dividingFullWidth((high, low))
        return roundToDouble(q, sticky: r != 0, scale: -s)
    }

    /// `q × 2^scale` for `q >= 2^62`, plus less than one unit of `q` when `sticky`, rounded to 53 bits.
    static func roundToDouble(_ q: UInt64, sticky: Bool, scale: Int) -> Double {
        let drop = 11 - q.leadingZeroBitCount
        var kept = q >> UInt64(drop)
        let rest = q & ((1 << UInt64(drop)) - 1)
        let half: UInt64 = 1 << UInt64(drop - 1)
        if rest > half || (rest == half && (sticky || kept & 1 == 1)) { kept += 1 }
        return Double(sign: .plus, exponent: scale + drop, significand: Double(kept))
    }

    /// `inf`, `infinity` (optionally signed) and `nan`, any case, as Go's ParseFloat accepts them.
    static func parseSpecial(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        var signed = false
        if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            negative = p[i] == UInt8(ascii: "-")
            signed = true
            i += 1
        }
        let n = end - i
        guard n == 3 || n == 8 else { return nil }
        var lowered: [UInt8] = []
        lowered.reserveCapacity(n)
        for k in i..<end { lowered.append(p[k] | 0x20) }
        switch lowered {
        case Array("inf".utf8), Array("infinity".utf8): return negative ? -.infinity : .infinity
        case Array("nan".utf8) where !signed: return .nan
        default: return nil
        }
    }

    /// Go-style extras the text format tolerates (hex floats, `0x1p-3`): handed to Swift's own parser.
    static func parseLenient(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        guard end - start <= 64 else { return nil }
        for k in start..<end where p[k] == UInt8(ascii: "_") || p[k] > 0x7f { return nil }
        return Double(String(decoding: UnsafeBufferPointer(start: p + start, count: end - start), as: UTF8.self))
    }

    /// A signed decimal Int64 (Go's ParseInt base 10), nil on overflow or stray bytes.
    static func parseInt64(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var i = start
        var negative = false
        if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < end else { return nil }
        var v: Int64 = 0
        while i < end {
            guard isDigit(p[i]) else { return nil }
            let d = Int64(p[i] &- 0x30)
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return v
    }

    /// OpenMetrics seconds → milliseconds, truncated toward zero exactly as Prometheus does
    /// (`int64(ts * 1000)`); out-of-range values are clamped so a silly but well-formed timestamp
    /// does not reject the scrape.
    static func secondsToMilliseconds(_ s: Double) -> Int64 {
        let ms = (s * 1000).rounded(.towardZero)
        if ms >= 9.2e18 { return Int64.max }
        if ms <= -9.2e18 { return Int64.min }
        return Int64(ms)
    }
}
