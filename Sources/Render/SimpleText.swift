/// The common case of text on a dashboard: every scalar is one character one column wide that
/// needs no sanitising (ASCII letters and digits, Latin letters, `·`, `…`, arrows, box drawing,
/// block elements, braille). Such text is already safe, its grapheme clusters are its scalars and
/// its width is its scalar count, so the writers can skip grapheme breaking and width look-ups,
/// which otherwise were most of a frame's cost (every label, value and bar is measured and cut).
enum SimpleText {
    /// The number of columns of `text` when every scalar is simple, else nil (take the general path).
    static func columns(_ text: String) -> Int? {
        var count = 0
        for scalar in text.unicodeScalars {
            guard isSimple(scalar) else { return nil }
            count += 1
        }
        return count
    }

    /// A scalar that is safe as it is, forms a character by itself (no mark, joiner, selector or
    /// prepended character attaches to it or to its neighbours) and takes one column.
    /// `SimpleTextTests` checks every scalar in these ranges against `Sanitize` and `CharacterWidth`.
    static func isSimple(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
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
