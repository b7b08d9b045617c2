/// The ASCII bytes the exposition parser looks for, named once for all its files (in a namespace:
/// `space` or `hash` at module scope would clash with every other use of those words).
enum ASCII {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let hash = UInt8(ascii: "#")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "=")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
}

/// One table look-up per byte instead of a chain of comparisons in the scanning loops.
enum ByteClass {
    /// `[a-zA-Z_]`
    static let nameStart: UInt8 = 1
    /// `[a-zA-Z0-9_]`
    static let name: UInt8 = 2
    /// `[a-zA-Z_:]`
    static let metricStart: UInt8 = 4
    /// `[a-zA-Z0-9_:]`
    static let metric: UInt8 = 8
    /// Space, tab, `\n` or `\r`: what ends a value or timestamp in the text format.
    static let delimiter: UInt8 = 16

    /// 256 entries, made once and never written again (hence safe to share between threads).
    nonisolated(unsafe) static let table: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for c in 0..<256 {
            let b = UInt8(c)
            let letter = (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
            let digit = b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
            let underscore = b == UInt8(ascii: "_"), colon = b == UInt8(ascii: ":")
            var v: UInt8 = 0
            if letter || underscore { v |= nameStart | name | metricStart | metric }
            if digit { v |= name | metric }
            if colon { v |= metricStart | metric }
            if b == ASCII.space || b == ASCII.tab || b == ASCII.newline || b == ASCII.carriageReturn { v |= delimiter }
            t[c] = v
        }
        return UnsafePointer(t)
    }()
}

/// Eight bytes at a time: the lowest byte of `word` equal to `byte` has its top bit set in the
/// result (bits above it may be set too, so use the lowest set bit only).
@inline(__always) func wordMatches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
    let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
    return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
}

/// Eight bytes at a time, exactly: the top bit of each byte of the result is set when that byte of
/// `word` is not a name byte (`[a-zA-Z0-9_]`, plus `:` when `colon`). Every byte is classified on
/// its own (no carries between bytes), so the lowest set bit marks the first byte that ends a name;
/// one test per word instead of a table look-up and a branch per byte.
@inline(__always) func nonNameBytes(_ word: UInt64, colon: Bool) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    let low7 = word & ~high
    // For a 7-bit byte x, x + (0x80 - c) has its top bit set exactly when x >= c, and never carries.
    @inline(__always) func atLeast(_ x: UInt64, _ c: UInt8) -> UInt64 { (x &+ ones &* UInt64(0x80 &- c)) & high }
    // For a 7-bit byte t, t + 0x7f has its top bit set exactly when t != 0.
    @inline(__always) func equal(_ x: UInt64, _ c: UInt8) -> UInt64 { ~((x ^ ones &* UInt64(c)) &+ ones &* 0x7f) & high }
    let folded = low7 | ones &* 0x20  // upper case to lower case (other bytes stay non-letters)
    let letter = atLeast(folded, UInt8(ascii: "a")) & ~atLeast(folded, UInt8(ascii: "z") + 1)
    let digit = atLeast(low7, UInt8(ascii: "0")) & ~atLeast(low7, UInt8(ascii: "9") + 1)
    var name = letter | digit | equal(low7, UInt8(ascii: "_"))
    if colon { name |= equal(low7, UInt8(ascii: ":")) }
    return (~name | word) & high
}
