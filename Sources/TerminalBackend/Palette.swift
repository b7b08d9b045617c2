import Render

/// Maps Render colours to terminal colour numbers for a given depth. Pure.
public enum Palette {
    /// The colour number for the terminal (-1 = the terminal's default), or nil-equivalent -1 when
    /// colour is off.
    public static func number(for color: Color, depth: ColorDepth) -> Int {
        guard depth != .none else { return -1 }
        switch color {
        case .default: return -1
        case .black: return 0
        case .red: return 1
        case .green: return 2
        case .yellow: return 3
        case .blue: return 4
        case .magenta: return 5
        case .cyan: return 6
        case .white: return 7
        case .indexed(let n):
            return depth == .palette256 ? Int(n) : nearestBasic(to: n)
        }
    }

    /// The nearest of the eight basic colours to an xterm 256-palette entry: each RGB
    /// component above half intensity sets its bit (ANSI numbers are b·4 + g·2 + r).
    public static func nearestBasic(to index: UInt8) -> Int {
        let i = Int(index)
        if i < 8 { return i }
        if i < 16 { return i - 8 }
        let (r, g, b): (Int, Int, Int)
        if i >= 232 {
            let level = 8 + (i - 232) * 10
            (r, g, b) = (level, level, level)
        } else {
            let c = i - 16
            let steps = [0, 95, 135, 175, 215, 255]
            (r, g, b) = (steps[c / 36], steps[(c / 6) % 6], steps[c % 6])
        }
        return (r > 127 ? 1 : 0) | (g > 127 ? 2 : 0) | (b > 127 ? 4 : 0)
    }
}
