import Render

/// Turns a buffer into text for a stream (snapshots): plain lines, or lines with SGR escapes.
/// Needs no terminal and no curses.
public enum ANSIEncoder {
    /// Lines joined by newlines. With depth `.none` the text is plain (no escapes at all,
    /// trailing spaces trimmed); otherwise every styled line ends with a reset so that a partial
    /// copy never leaks colour into the shell.
    public static func encode(_ buffer: Buffer, depth: ColorDepth) -> String {
        if depth == .none {
            return buffer.lines.map { line in
                var l = Substring(line)
                while l.last == " " { l = l.dropLast() }
                return String(l) + "\n"
            }.joined()
        }
        var out = ""
        for y in 0..<buffer.height {
            var current = Style.plain
            var line = ""
            for x in 0..<buffer.width {
                // The terminal draws a wide character over its continuation cell.
                if buffer.isContinuation(x: x, y: y) { continue }
                let style = buffer.style(x: x, y: y)
                if style != current {
                    line += sgr(for: style, depth: depth)
                    current = style
                }
                // Most cells are one scalar: appended without making a `Character`.
                if let scalar = buffer.scalar(x: x, y: y) {
                    line.unicodeScalars.append(scalar)
                } else {
                    line.append(buffer[x, y].character)
                }
            }
            if current != .plain { line += "\u{1B}[0m" }
            out += line
            out += "\n"
        }
        return out
    }

    /// A full SGR sequence that sets exactly `style` (starting with a reset).
    static func sgr(for style: Style, depth: ColorDepth) -> String {
        var codes = ["0"]
        if style.attributes.contains(.bold) { codes.append("1") }
        if style.attributes.contains(.dim) { codes.append("2") }
        if style.attributes.contains(.underline) { codes.append("4") }
        if style.attributes.contains(.reverse) { codes.append("7") }
        let fg = Palette.number(for: style.fg, depth: depth)
        let bg = Palette.number(for: style.bg, depth: depth)
        if fg >= 0 { codes.append(fg < 8 ? "\(30 + fg)" : "38;5;\(fg)") }
        if bg >= 0 { codes.append(bg < 8 ? "\(40 + bg)" : "48;5;\(bg)") }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
