/// The common case of text on a dashboard: every scalar is one character one column wide that
/// needs no sanitising (ASCII letters and digits, Latin letters, `·`, `…`, arrows, box drawing,
/// block elements, braille). Such text is already safe, its grapheme clusters are its scalars and
/// its width is its scalar count, so the writers can skip grapheme breaking and width look-ups,
/// which otherwise were most of a frame's cost (every label, value and bar is measured and cut).
enum SimpleText {
    /// The number of columns of `text` when every scalar is simple, else nil (take the general path).
    static func columns(_ text: String) -> Int? {
        // Every label and value of every frame is measured here, some more than once: reading the
        // UTF-8 bytes in place is several times cheaper than decoding `unicodeScalars` one by one.
        if let count = text.utf8.withContiguousStorageIfAvailable(columns(utf8:)) { return count }
        var count = 0
        for scalar in text.unicodeScalars {
            guard isSimple(scalar) else { return nil }
            count += 1
        }
        return count
    }

    /// `columns` over valid UTF-8 (a String's own bytes): scalars of four bytes are never simple.
    private static func columns(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var count = 0
        var i = 0
        let n = bytes.count
        // Eight bytes at a time while they are printable ASCII (most of a frame's text): no high
        // bit, no byte below 0x20, none equal to 0x7F (the usual any-byte bit tests). A word that
        // fails is read again byte by byte below.
        if let base = bytes.baseAddress {
            let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
            while i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let control = (w &- 0x2020_2020_2020_2020) & ~w & high
                let del = w ^ 0x7F7F_7F7F_7F7F_7F7F
                guard (w & high) | control | ((del &- ones) & ~del & high) == 0 else { break }
                i += 8
                count += 8
            }
        }
        while i < n {
            let b = UInt32(bytes[i])
            let value: UInt32
            if b < 0x80 {
                guard b >= 0x20, b != 0x7F else { return nil }
                i += 1
                count += 1
                continue
            } else if b < 0xE0 {
                value = (b & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                i += 2
            } else if b < 0xF0 {
                value = (b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                i += 3
            } else {
                return nil
            }
            guard isSimple(value) else { return nil }
            count += 1
        }
        return count
    }

    /// A scalar that is safe as it is, forms a character by itself (no mark, joiner, selector or
    /// prepended character attaches to it or to its neighbours) and takes one column.
    /// `SimpleTextTests` checks every scalar in these ranges against `Sanitize` and `CharacterWidth`.
    static func isSimple(_ scalar: Unicode.Scalar) -> Bool { isSimple(scalar.value) }

    @inline(__always)
    private static func isSimple(_ v: UInt32) -> Bool {
        if v < 0x7F { return v >= 0x20 }
        if v < 0x300 { return v >= 0xA0 && v != 0xAD }  // Latin-1 to spacing modifiers; 0xAD is a soft hyphen (format)
        switch v {
        case 0x2010...0x2027, 0x2030...0x205E: return true  // dashes, quotes, bullets, `…`, `‰`
        case 0x2190...0x21FF: return true  // arrows
        case 0x2500...0x25FC: return true  // box drawing, block elements, geometric shapes (0x25FD-E are emoji)
        case 0x2800...0x28FF: return true  // braille patterns (graph plots)
        default: return false
        }
    }

    /// The first `columns` characters of simple text.
    static func prefix(_ text: String, columns: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(columns) { scalars.append(scalar) }
        return String(scalars)
    }
}
