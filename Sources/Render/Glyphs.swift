/// The drawing characters for the terminal at hand: Unicode when the locale is UTF-8, ASCII otherwise.
struct Glyphs: Sendable {
    let horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Character
    /// Heavier frame for the selected panel.
    let selHorizontal, selVertical, selTopLeft, selTopRight, selBottomLeft, selBottomRight: Character
    /// Sparkline levels, lowest first.
    let bars: [Character]
    let ellipsis: Character
    let separator: String
    let filled, empty: Character
    let up, down: Character
    let tick: Character

    static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        selHorizontal: "━", selVertical: "┃", selTopLeft: "┏", selTopRight: "┓", selBottomLeft: "┗",
        selBottomRight: "┛", bars: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], ellipsis: "…", separator: " · ",
        filled: "█", empty: "░", up: "▲", down: "▼", tick: "┴")

    static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        selHorizontal: "=", selVertical: "#", selTopLeft: "#", selTopRight: "#", selBottomLeft: "#",
        selBottomRight: "#", bars: ["_", ".", "-", "=", "#"], ellipsis: "~", separator: " | ",
        filled: "#", empty: ".", up: "^", down: "v", tick: "+")

    static func forCaps(_ caps: TerminalCaps) -> Glyphs { caps.unicode ? .unicode : .ascii }

    /// ASCII stand-in for a character that slipped through in ASCII mode.
    static func asciiStandIn(_ c: Character) -> Character {
        switch c {
        case "─", "━", "┄", "═": return "-"
        case "│", "┃", "║": return "|"
        case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼": return "+"
        case "…": return "~"
        case "·", "•": return "-"
        case "▲": return "^"
        case "▼": return "v"
        case "µ": return "u"
        case "█", "▇", "▆", "▅": return "#"
        case "▄", "▃": return "="
        case "▂", "▁": return "_"
        case "░": return "."
        default:
            if let scalar = c.unicodeScalars.first, (0x2800...0x28FF).contains(scalar.value) {
                return scalar.value == 0x2800 ? " " : "."  // braille
            }
            return "?"
        }
    }
}

/// Colours with a meaning. Green/yellow/red come only from thresholds and alert states.
enum Palette {
    /// Calm, distinct series colours in a fixed order (P50, P95, P99 always look the same).
    static func series(_ index: Int, caps: TerminalCaps) -> Color {
        if caps.colors >= 256 {
            let calm: [Color] = [.indexed(74), .indexed(140), .indexed(180), .indexed(109), .indexed(175), .indexed(250)]
            return calm[index % calm.count]
        }
        let basic: [Color] = [.cyan, .magenta, .blue, .default]
        return basic[index % basic.count]
    }

    static let dim = Style(attributes: .dim)
    static let error = Style(fg: .red, attributes: .bold)
    static let warning = Style(fg: .yellow)
    static let ok = Style(fg: .green)
}
