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
