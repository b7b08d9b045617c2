/// Colours of exported frames (HTML, SVG) as `#rrggbb`: a dark terminal's look, fixed so that an
/// export looks the same wherever it is opened.
public enum ExportPalette {
    public static let defaultForeground = "#d0d0d0"
    public static let defaultBackground = "#121212"

    /// The eight basic colours, then the bright eight, as xterm draws them.
    private static let sixteen: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188),
        (17, 168, 205), (229, 229, 229), (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
        (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
    ]

    /// `#rrggbb` for a colour; nil for `.default` (the caller picks the default side).
    public static func hex(_ color: Color) -> String? {
        switch color {
        case .default: return nil
        case .black: return hex(index: 0)
        case .red: return hex(index: 1)
        case .green: return hex(index: 2)
        case .yellow: return hex(index: 3)
        case .blue: return hex(index: 4)
        case .magenta: return hex(index: 5)
        case .cyan: return hex(index: 6)
        case .white: return hex(index: 7)
        case .indexed(let i): return hex(index: Int(i))
        }
    }

    /// The xterm 256-colour palette: 16 system colours, a 6×6×6 cube, 24 greys.
    static func hex(index i: Int) -> String {
        let rgb: (Int, Int, Int)
        if i < 16 {
            rgb = sixteen[i]
        } else if i >= 232 {
            let level = 8 + (i - 232) * 10
            rgb = (level, level, level)
        } else {
            let c = i - 16
            let steps = [0, 95, 135, 175, 215, 255]
            rgb = (steps[c / 36], steps[(c / 6) % 6], steps[c % 6])
        }
        return "#" + [rgb.0, rgb.1, rgb.2].map { v in
            let s = String(v, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    /// Foreground and background of a style as drawn (reverse swaps them), with defaults filled in.
    static func resolved(_ style: Style) -> (fg: String, bg: String) {
        let fg = hex(style.fg) ?? defaultForeground
        let bg = hex(style.bg) ?? defaultBackground
        return style.attributes.contains(.reverse) ? (bg, fg) : (fg, bg)
    }
}

/// Text for XML and HTML: markup characters escaped, and anything a document may not hold (C0/C1
/// controls, DEL, non-characters) replaced by U+FFFD. The buffer's text is already sanitised; this
/// holds even for a buffer that was not.
public enum MarkupEscape {
    public static func text(_ input: String) -> String {
        var out = ""
        out.reserveCapacity(input.utf8.count)
        for scalar in input.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                let v = scalar.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// A row cut into runs of one style, for the exporters.
struct StyledRun {
    var column: Int
    var style: Style
    var text: String
}

extension Buffer {
    /// Row `y` as runs of equal style, left to right.
    func runs(row y: Int) -> [StyledRun] {
        var runs: [StyledRun] = []
        for x in 0..<width {
            let cell = self[x, y]
            if let last = runs.last, last.style == cell.style {
                runs[runs.count - 1].text.append(cell.character)
            } else {
                runs.append(StyledRun(column: x, style: cell.style, text: String(cell.character)))
            }
        }
        return runs
    }
}
