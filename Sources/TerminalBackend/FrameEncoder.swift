import Render

/// The escape sequences a frame is written with: from the terminal's terminfo entry on a real
/// terminal (`TerminfoEscapes`), or given directly in tests.
struct TerminalEscapes {
    /// Clears the screen and homes the cursor.
    var clearScreen: [UInt8]
    /// Turns every attribute and colour off (`sgr0`).
    var reset: [UInt8]
    var bold: [UInt8]
    var dim: [UInt8]
    var underline: [UInt8]
    var reverse: [UInt8]
    /// Sets the foreground or background to a colour number (`setaf`, `setab`).
    var foreground: (Int) -> [UInt8]
    var background: (Int) -> [UInt8]
    /// Appends the move of the cursor to a row and column, both from 0 (`cup`).
    var moveTo: (_ row: Int, _ column: Int, _ out: inout [UInt8]) -> Void
    /// Writing the bottom-right cell scrolls the screen (auto margins without the "newline
    /// glitch"): that cell is then never written.
    var lastCellScrolls: Bool
}

/// Turns the changed cells of a frame into the bytes for the terminal, written in one go.
///
/// curses did this before, and its update was a tenth of the dashboard's steady state: it
/// compared every changed line again and, for each cursor move and colour change, searched for the
/// cheapest movement and expanded terminfo strings (about 7,600 and 2,500 instructions each). Here
/// a move is one `cup` (formatted directly on ANSI terminals), and a style's sequence is made once and kept.
/// Pure apart from what it remembers of the terminal between frames (cursor, styles seen).
struct FrameEncoder {
    let escapes: TerminalEscapes
    let depth: ColorDepth
    /// Whether the locale can show more than ASCII; when not, other characters are drawn as "?".
    let unicode: Bool
    private var sequences: [Style: [UInt8]] = [:]
    /// Where the terminal's cursor is after the last frame; nil when unknown (a line's last column
    /// leaves it waiting to wrap, which terminals handle differently).
    private(set) var cursor: (row: Int, column: Int)?

    init(escapes: TerminalEscapes, depth: ColorDepth, unicode: Bool) {
        self.escapes = escapes
        self.depth = depth
        self.unicode = unicode
    }

    /// Something else wrote to the terminal, or it was cleared: the next move is absolute.
    mutating func forgetCursor() { cursor = nil }

    /// The bytes that turn `previous` on screen into `buffer` (the whole screen, cleared first,
    /// when there is no previous frame or it had another size). Ends with every attribute off.
    mutating func encode(_ buffer: Buffer, previous: Buffer?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        var current = Style.plain
        let unicode = self.unicode
        let repaint = previous == nil || previous?.width != buffer.width || previous?.height != buffer.height
        if repaint {
            out += escapes.reset
            out += escapes.clearScreen
            // `clear` homes the cursor; a terminal without it gets a move before the first run.
            cursor = escapes.clearScreen.isEmpty ? nil : (0, 0)
        }
        var text: [UInt8] = []
        buffer.forEachChangedRun(from: repaint ? nil : previous) { y, xs, style in
            text.removeAll(keepingCapacity: true)
            var start: Int?
            var end = xs.lowerBound
            // A wide character covers its continuation cell: the terminal advances two columns.
            for x in xs where !buffer.isContinuation(x: x, y: y) {
                let columns = buffer.scalar(x: x, y: y) != nil ? 1 : max(1, Int(buffer[x, y].columns))
                // The bottom-right cell would scroll the whole screen up on such a terminal.
                if escapes.lastCellScrolls && y == buffer.height - 1 && x + columns >= buffer.width { break }
                Self.appendText(of: buffer, x: x, y: y, unicode: unicode, to: &text)
                if start == nil { start = x }
                end = x + columns
            }
            guard let start else { return }
            if let at = cursor, at.row == y, at.column == start {} else {
                escapes.moveTo(y, start, &out)
            }
            if style != current {
                out += sequence(for: style)
                current = style
            }
            out += text
            cursor = end < buffer.width ? (y, end) : nil
        }
        if current != .plain { out += escapes.reset }
        return out
    }

    /// The sequence that sets exactly `style`: everything off, then its attributes and colours.
    private mutating func sequence(for style: Style) -> [UInt8] {
        if let known = sequences[style] { return known }
        var s = escapes.reset
        if style.attributes.contains(.bold) { s += escapes.bold }
        if style.attributes.contains(.dim) { s += escapes.dim }
        if style.attributes.contains(.underline) { s += escapes.underline }
        if style.attributes.contains(.reverse) { s += escapes.reverse }
        let fg = Palette.number(for: style.fg, depth: depth)
        let bg = Palette.number(for: style.bg, depth: depth)
        if fg >= 0 { s += escapes.foreground(fg) }
        if bg >= 0 { s += escapes.background(bg) }
        // Styles are few (a layout's palette); bounded all the same.
        if sequences.count >= 512 { sequences.removeAll() }
        sequences[style] = s
        return s
    }

    /// A cell's bytes: its character in UTF-8 (control characters as spaces). An emoji sequence
    /// (ZWJ, keycap) goes out as its first emoji and a flag as its two regional indicators, since
    /// terminals disagree on the widths of the rest; snapshots keep the whole sequence.
    private static func appendText(of buffer: Buffer, x: Int, y: Int, unicode: Bool, to out: inout [UInt8]) {
        if let scalar = buffer.scalar(x: x, y: y) { return append(scalar, unicode: unicode, to: &out) }
        let cell = buffer[x, y]
        let scalars = Array(cell.character.unicodeScalars)
        guard scalars.count > 1, unicode else { return append(scalars.first ?? " ", unicode: unicode, to: &out) }
        let kept: ArraySlice<Unicode.Scalar>
        if (0x1F1E6...0x1F1FF).contains(scalars[0].value) {
            kept = scalars.prefix(2)
        } else if cell.columns == 2 {
            kept = scalars.prefix(1)
        } else {
            kept = scalars.prefix(1 + 4)
        }
        for s in kept { append(s, unicode: unicode, to: &out) }
    }

    private static func append(_ scalar: Unicode.Scalar, unicode: Bool, to out: inout [UInt8]) {
        if scalar.value < 32 || scalar.value == 127 || (0x80..<0xA0).contains(scalar.value) { return out.append(32) }
        if scalar.isASCII { return out.append(UInt8(scalar.value)) }
        guard unicode else { return out.append(UInt8(ascii: "?")) }
        UTF8.encode(scalar) { out.append($0) }
    }
}
