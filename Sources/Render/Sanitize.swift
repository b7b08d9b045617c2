/// Makes outside text safe and one-column-per-character before it reaches a buffer.
///
/// Choices (documented here because the backend and tests rely on them):
/// - Escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, DCS/SOS/PM/APC `… ST`, two-byte
///   `ESC x`, and their C1 forms) are removed whole, so no part of them is shown or sent.
/// - Other C0/C1 controls and DEL are removed; tab, newline and carriage return become a space.
/// - Format characters (zero-width space and joiner, bidi embeddings/overrides/isolates, BOM, soft
///   hyphen), combining marks and variation selectors are removed: a cell holds one narrow character.
/// - Wide characters (CJK, fullwidth forms, emoji) are replaced by `?`: the frozen `Cell` holds one
///   column, and a replaced wide character keeps the text's width predictable on every terminal.
/// - Unassigned, private-use, surrogate and line/paragraph separator code points become `?`.
public enum Sanitize {
    /// One line of safe text.
    public static func text(_ input: String) -> String {
        var out = String.UnicodeScalarView()
        var scanner = EscapeScanner()
        var pending: Unicode.Scalar?  // held back one step: a following U+FE0F makes it a wide emoji
        for scalar in input.unicodeScalars {
            guard scanner.accept(scalar) else { continue }
            if scalar.value == 0xFE0F, let held = pending, held.value > 0x7F, held.properties.isEmoji {
                pending = "?"
                continue
            }
            if let held = pending { out.append(held) }
            pending = safeScalar(scalar)
        }
        if let held = pending { out.append(held) }
        return String(out)
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

    /// Cuts already safe text to `width` columns (every character is one column after `text`).
    static func fit(_ safe: String, to width: Int, ellipsis: Character = "…") -> String {
        guard width > 0 else { return "" }
        guard safe.count > width else { return safe }
        return String(safe.prefix(width - 1)) + String(ellipsis)
    }

    /// The scalar to keep for `scalar`, or nil to drop it.
    static func safeScalar(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let v = scalar.value
        if v == 0x09 || v == 0x0A || v == 0x0D { return " " }
        if v < 0x20 || (0x7F...0x9F).contains(v) { return nil }
        if v < 0x7F { return scalar }
        if isDropped(scalar) { return nil }
        if isReplaced(scalar) || CharacterWidth.isWide(scalar) { return "?" }
        return scalar
    }

    private static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .nonspacingMark, .enclosingMark, .spacingMark: return true
        default: break
        }
        let v = scalar.value
        // Variation selectors and Hangul jamo fillers render as nothing or change width.
        return (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) || v == 0x115F || v == 0x1160
            || v == 0x3164 || v == 0xFFA0 || (0xE0000...0xE007F).contains(v)
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

/// Terminal column width of a scalar: which ones take two cells.
enum CharacterWidth {
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
