import TerminalBackend

/// What a key or click asks for, before it touches the state.
public enum Command: Hashable, Sendable {
    case quit
    case toggleHelp
    case nextLayout, previousLayout
    case selectLayout(Int)
    case togglePause
    case refresh
    case widenRange, narrowRange
    case move(Direction)
    case toggleZoom
    case back
    case toggleTargets
    case toggleAlerts
    case nextScenario
    case cycleVariable, nextVariable
    case click(x: Int, y: Int)
    case doubleClick(x: Int, y: Int)
}

public enum Direction: Hashable, Sendable {
    case up, down, left, right
}

/// The key map. Kept in one table so that the help overlay lists exactly what works.
public enum KeyMap {
    public static func command(for event: InputEvent) -> Command? {
        switch event {
        case .key(let key): return command(for: key)
        case .mouse(let m): return m.kind == .click ? .click(x: m.x, y: m.y) : .doubleClick(x: m.x, y: m.y)
        case .signal(let s): return s == .interrupt ? .quit : nil
        case .resize, .wake: return nil
        }
    }

    public static func command(for key: Key) -> Command? {
        switch key {
        case .character(let c):
            switch c {
            case "q", "Q": return .quit
            case "?": return .toggleHelp
            case "p", "P", " ": return .togglePause
            case "r", "R": return .refresh
            case "+", "=": return .widenRange
            case "-", "_": return .narrowRange
            case "h": return .move(.left)
            case "j": return .move(.down)
            case "k": return .move(.up)
            case "l": return .move(.right)
            case "f", "F": return .toggleZoom
            case "t", "T": return .toggleTargets
            case "a", "A": return .toggleAlerts
            case "s", "S": return .nextScenario
            case "v": return .cycleVariable
            case "V": return .nextVariable
            default:
                if let d = c.wholeNumberValue, (1...9).contains(d), c.isASCII { return .selectLayout(d - 1) }
                return nil
            }
        case .control("c"): return .quit
        case .control("l"): return .refresh
        case .tab: return .nextLayout
        case .backTab: return .previousLayout
        case .up: return .move(.up)
        case .down: return .move(.down)
        case .left: return .move(.left)
        case .right: return .move(.right)
        case .enter: return .toggleZoom
        case .escape, .backspace: return .back
        default: return nil
        }
    }

    /// Every key, for the help overlay, in the order a newcomer needs them.
    public static func helpEntries(demo: Bool) -> [(key: String, action: String)] {
        var keys: [(key: String, action: String)] = [
            ("q Ctrl-C", "quit"),
            ("?", "show / hide this help"),
            ("Tab S-Tab", "next / previous layout"),
            ("1-9", "go to layout N"),
            ("p Space", "pause / resume updates"),
            ("r", "refresh now"),
            ("+ -", "widen / narrow the time range"),
            ("arrows hjkl", "select a panel"),
            ("Enter f", "zoom the selected panel"),
            ("Esc", "back (close zoom or overlay)"),
            ("t", "targets and their health"),
            ("a", "alert list"),
            ("v V", "cycle a variable / next variable"),
            ("mouse", "click selects, double-click zooms"),
        ]
        if demo { keys.append(("s", "next demo scenario")) }
        return keys
    }
}
