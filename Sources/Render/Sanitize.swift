/// Makes outside text safe before it reaches a buffer, keeping what a terminal can show.
///
/// Choices (documented here because the backend and tests rely on them):
/// - Escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, DCS/SOS/PM/APC `… ST`, two-byte
///   `ESC x`, and their C1 forms) are removed whole, so no part of them is shown or sent.
/// - Other C0/C1 controls and DEL are removed; tab, newline and carriage return become a space.
/// - Format characters (zero-width space, bidi embeddings/overrides/isolates, BOM, soft hyphen, tags)
///   are removed, except the zero-width joiner and variation selectors inside a character.
/// - Text is kept as user-perceived characters (grapheme clusters): combining marks stay on their
///   base letter (at most `maxMarks` of them), emoji sequences (ZWJ, flags, keycaps) stay whole.
///   A mark or joiner with no base is removed.
/// - Wide characters (East Asian Wide/Fullwidth, emoji presentation) take two cells: `width` and the
///   buffer's writers count columns, and cut text on character boundaries only.
/// - Unassigned, private-use, surrogate and line/paragraph separator code points become `?`.
public enum Sanitize {
    /// Combining marks kept on one base character; beyond this (stacked "zalgo" text) they are dropped.
    public static let maxMarks = 4
    /// Scalars kept in one emoji sequence (a family is 7); a longer one becomes `?`.
    public static let maxSequence = 10

    /// One line of safe text.
    public static func text(_ input: String) -> String {
        // Most text (numbers, units, metric names, bars) is simple: nothing to do.
        if SimpleText.columns(input) != nil { return input }
        return general(input)
    }

    /// `text` without the fast path (also what `SimpleTextTests` checks the fast path against).
    static func general(_ input: String) -> String {
        var scalars = String.UnicodeScalarView()
        var scanner = EscapeScanner()
        for scalar in input.unicodeScalars {
            guard scanner.accept(scalar), let kept = safeScalar(scalar) else { continue }
            scalars.append(kept)
        }
        var out = ""
        for character in String(scalars) {
            if let kept = safeCharacter(character) { out.append(kept) }
        }
        return out
    }

    /// Columns `text` takes once safe (`text` already sanitised or not).
    public static func width(_ text: String) -> Int {
        if let columns = SimpleText.columns(text) { return columns }
        return Sanitize.text(text).reduce(0) { $0 + CharacterWidth.columns($1) }
    }

    /// Safe text split into lines (for text panels and HELP text).
    public static func lines(_ input: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for scalar in input.unicodeScalars {
            if scalar == "\n" {
                lines.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        lines.append(current)
        return lines.map { text($0.hasSuffix("\r") ? String($0.dropLast()) : $0) }
    }

    /// Safe text cut to `width` columns, ending in `…` when cut.
    public static func truncate(_ input: String, to width: Int, ellipsis: Character = "…") -> String {
        fit(text(input), to: width, ellipsis: ellipsis)
    }

    /// Cuts already safe text to `width` columns, on character boundaries: a wide character that
    /// would straddle the edge goes whole, and the ellipsis takes the last column.
    static func fit(_ safe: String, to width: Int, ellipsis: Character = "…") -> String {
        guard width > 0 else { return "" }
        if let columns = SimpleText.columns(safe) {
            return columns <= width ? safe : SimpleText.prefix(safe, columns: width - 1) + String(ellipsis)
        }
        var total = 0
        for c in safe { total += CharacterWidth.columns(c) }
        guard total > width else { return safe }
        var out = ""
        var used = 0
        for c in safe {
            let w = CharacterWidth.columns(c)
            guard used + w <= width - 1 else { break }
            out.append(c)
            used += w
        }
        return out + String(ellipsis)
    }

    /// The scalar to keep for `scalar`, or nil to drop it (before grapheme breaking).
    static func safeScalar(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let v = scalar.value
        if v == 0x09 || v == 0x0A || v == 0x0D { return " " }
        if v < 0x20 || (0x7F...0x9F).contains(v) { return nil }
        if v < 0x7F { return scalar }
        if v == 0x200D || (0xFE00...0xFE0F).contains(v) { return scalar }  // judged in context below
        if isDropped(scalar) { return nil }
        if isReplaced(scalar) { return "?" }
        return scalar
    }

    /// One grapheme cluster made safe: nil when it has no base (a lone mark or joiner).
    static func safeCharacter(_ c: Character) -> Character? {
        let scalars = Array(c.unicodeScalars)
        guard let base = scalars.first, !isAttachment(base) else { return nil }
        if scalars.count == 1 { return c }
        if base.properties.isEmoji || (0x1F1E6...0x1F1FF).contains(base.value) {
            guard scalars.count <= maxSequence else { return "?" }
            return c
        }
        // A letter with marks: keep the first few marks, drop joiners and selectors after it.
        var kept = String.UnicodeScalarView([base])
        var marks = 0
        for s in scalars.dropFirst() where !(s.value == 0x200D || (0xFE00...0xFE0F).contains(s.value)) {
            marks += 1
            if marks <= maxMarks { kept.append(s) }
        }
        return Character(String(kept))
    }

    /// Marks, joiners and selectors: they only ever follow a base character.
    private static func isAttachment(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: return true
        default: return s.value == 0x200D || (0xFE00...0xFE0F).contains(s.value)
        }
    }

    private static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.generalCategory == .format { return true }
        let v = scalar.value
        // Variation selectors supplement and Hangul jamo fillers render as nothing or change width.
        return (0xE0100...0xE01EF).contains(v) || v == 0x115F || v == 0x1160 || v == 0x3164 || v == 0xFFA0
    }

    private static func isReplaced(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .unassigned, .privateUse, .surrogate, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}

/// A tiny state machine that swallows terminal escape sequences, one scalar at a time.
struct EscapeScanner {
    private enum Mode { case text, escape, csi, string, stringEscape }
    private var mode = Mode.text

    /// True when `scalar` is ordinary text (not part of an escape sequence).
    mutating func accept(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch mode {
        case .text:
            switch v {
            case 0x1B: mode = .escape
            case 0x9B: mode = .csi
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F: mode = .string
            default: return true
            }
            return false
        case .escape:
            switch v {
            case 0x5B: mode = .csi  // [
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: mode = .string  // ] P X ^ _
            case 0x20...0x2F: break  // intermediate bytes: ESC ( B and the like
            default: mode = .text  // the final byte of a two-byte sequence
            }
            return false
        case .csi:
            // Parameters and intermediates until a final byte; a control ends it too (as terminals do).
            if (0x40...0x7E).contains(v) || v < 0x20 && v != 0x1B { mode = .text }
            if v == 0x1B { mode = .escape }
            return false
        case .string:
            if v == 0x07 || v == 0x9C { mode = .text }
            if v == 0x1B { mode = .stringEscape }
            return false
        case .stringEscape:
            mode = v == 0x5C ? .text : .string  // ESC \ is the string terminator
            return false
        }
    }
}

/// Terminal column width: which characters take two cells.
public enum CharacterWidth {
    /// Columns of one safe character: 2 for East Asian Wide/Fullwidth and emoji presentation
    /// (an emoji base with VS16, a ZWJ sequence, a flag, a keycap), else 1.
    public static func columns(_ c: Character) -> Int {
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F && scalars.count == 1 { return 1 }
        if isWide(first) { return 2 }
        if (0x1F1E6...0x1F1FF).contains(first.value) { return 2 }
        if scalars.contains(where: { $0.value == 0xFE0F || $0.value == 0x20E3 }) && first.properties.isEmoji { return 2 }
        if scalars.contains(where: { $0.value == 0x200D }) && first.properties.isEmoji { return 2 }
        return 1
    }

    /// East Asian Wide/Fullwidth blocks and emoji shown in emoji presentation.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x1100 { return false }
        if scalar.properties.isEmojiPresentation { return true }
        for range in wideRanges where range.contains(v) { return true }
        return false
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
        0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
        0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
