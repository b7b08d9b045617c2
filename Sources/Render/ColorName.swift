/// Threshold colours: layout names and `#rrggbb` to terminal colours.
public enum ColorName {
    /// Grafana's shades of a colour, which the terminal shows as the colour itself. Built once: an
    /// array literal in `resolve` was allocated at each call, for every panel of every frame.
    static let shadePrefixes = ["super-light-", "semi-dark-", "light-", "dark-"]

    /// `red`, `dark-red`, `semi-dark-orange`, `light-green`, `#e0b400`, `#f00`...; unknown → `.default`.
    public static func resolve(_ name: String) -> Color {
        // Names in layouts are nearly always lower case already: then `lowercased` (a locale-free
        // but costly Unicode mapping) and the whitespace filter would give the same string back.
        let plain = name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x23 }
        let lower = plain ? name : String(name.lowercased().filter { !$0.isWhitespace })
        if lower.hasPrefix("#") { return nearest(hex: lower.dropFirst()) ?? .default }
        var base = Substring(lower)
        // Compared as bytes (a Substring's `hasPrefix` goes character by character through the
        // generic path); the prefixes are ASCII, and what follows must equal an ASCII name anyway.
        for prefix in shadePrefixes where base.utf8.starts(with: prefix.utf8) {
            base = base[base.utf8.index(base.startIndex, offsetBy: prefix.utf8.count)...]
            break
        }
        switch base {
        case "red": return .red
        case "green": return .green
        case "yellow": return .yellow
        case "orange": return orange
        case "blue": return .blue
        case "purple", "magenta": return .magenta
        case "cyan": return .cyan
        case "white": return .white
        case "black": return .black
        case "gray", "grey": return .indexed(245)
        default: return .default
        }
    }

    static let orange = Color.indexed(208)

    /// Reference colours of the palette a threshold may land on.
    private static let references: [(Color, (Int, Int, Int))] = [
        (.red, (220, 40, 40)), (.green, (60, 180, 75)), (.yellow, (230, 200, 40)), (orange, (255, 135, 0)),
        (.blue, (50, 100, 220)), (.magenta, (170, 80, 190)), (.cyan, (40, 190, 200)), (.white, (235, 235, 235)),
        (.black, (10, 10, 10)), (.indexed(245), (138, 138, 138)),
    ]

    private static func nearest(hex: Substring) -> Color? {
        let digits = hex.count == 3 ? String(hex.flatMap { [$0, $0] }) : String(hex.prefix(6))
        guard digits.count == 6, let value = Int(digits, radix: 16) else { return nil }
        let r = (value >> 16) & 0xFF, g = (value >> 8) & 0xFF, b = value & 0xFF
        var best = Color.default
        var bestDistance = Int.max
        for (color, (cr, cg, cb)) in references {
            let d = (r - cr) * (r - cr) + (g - cg) * (g - cg) + (b - cb) * (b - cb)
            if d < bestDistance {
                bestDistance = d
                best = color
            }
        }
        return best
    }
}

extension Color {
    /// The nearest of the eight basic colours, for 8-colour terminals.
    public var basic: Color {
        guard case .indexed(let i) = self else { return self }
        switch i {
        case 0, 8: return .black
        case 1, 9, 160, 196, 124, 88: return .red
        case 2, 10, 28, 34, 40, 46: return .green
        case 3, 11, 208, 214, 220, 226, 178, 180: return .yellow
        case 4, 12, 17...21, 74, 109: return .blue
        case 5, 13, 140, 175, 127...129: return .magenta
        case 6, 14, 30...51: return .cyan
        case 7, 15, 231...255: return .white
        default:
            guard i >= 16, i <= 231 else { return .white }
            let n = Int(i) - 16
            let r = n / 36, g = (n / 6) % 6, b = n % 6
            let high = Swift.max(r, g, b)
            if high < 2 { return .black }
            let bits = (r * 2 > high ? 1 : 0) | (g * 2 > high ? 2 : 0) | (b * 2 > high ? 4 : 0)
            return [.black, .red, .green, .yellow, .blue, .magenta, .cyan, .white][bits]
        }
    }
}

/// Threshold colour of a value.
public enum ThresholdColor {
    /// The colour of the highest step whose value is ≤ `value`; nil without thresholds or for NaN.
    public static func of(_ value: Double?, _ steps: [ThresholdStep]) -> Color? {
        guard let value, !value.isNaN, !steps.isEmpty else { return nil }
        var color: Color?
        for step in steps {
            if let limit = step.value {
                if value >= limit { color = step.color }
            } else if color == nil {
                color = step.color
            }
        }
        return color
    }
}
