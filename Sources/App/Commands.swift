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
    // Investigating (issue 11).
    /// `c`: put the time cursor on the graphs (middle of the window) or take it away.
    case toggleCursor
    /// Move the cursor by columns (`H`/`L` ten, arrows in a zoomed graph one).
    case cursorStep(Int)
    /// `[` / `]`: the window back or forward by half its width.
    case pan(Int)
    /// `{` / `}`: the previous / next alert transition or annotation.
    case jumpMarker(Int)
    /// `0`, `Home`: back to the present.
    case goLive
    case toggleInspector
    /// `y` in the inspector: copy the expression, where the config allows it.
    case copyExpression
    case openPrompt(PromptState.Kind)
    /// A key typed while the prompt is open.
    case promptKey(Key)
    /// `x`: switch the zoomed legend's picked series off or on.
    case toggleSeries
    /// `o`: order the selected panel's series by current value.
    case sortByValue
    /// The mouse wheel over the panels: pan.
    case wheel(Int)
    /// The first button held (`press`) and let go (`release`): a drag over a zoomed graph zooms its range.
    case press(x: Int, y: Int)
    case release(x: Int, y: Int)
    /// `z`: open or close the layout's collapsed rows (the executive latency heatmap).
    case toggleRows
    /// `S`: write the screen to a file in the snapshots folder (issue 14).
    case saveFrame
    /// `>` / `<` in `lookout replay`: the replay one speed faster / slower.
    case replaySpeed(Int)
}

public enum Direction: Hashable, Sendable {
    case up, down, left, right
}

/// The key map. Kept in one table so that the help overlay lists exactly what works.
public enum KeyMap {
    public static func command(for event: InputEvent) -> Command? {
        switch event {
        case .key(let key): return command(for: key)
        case .mouse(let m):
            switch m.kind {
            case .click: return .click(x: m.x, y: m.y)
            case .doubleClick: return .doubleClick(x: m.x, y: m.y)
            case .wheelUp: return .wheel(-1)
            case .wheelDown: return .wheel(1)
            case .press: return .press(x: m.x, y: m.y)
            case .release: return .release(x: m.x, y: m.y)
            }
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
            case "s": return .nextScenario
            case "S": return .saveFrame
            case ">": return .replaySpeed(1)
            case "<": return .replaySpeed(-1)
            case "v": return .cycleVariable
            case "V": return .nextVariable
            case "c": return .toggleCursor
            case "H": return .cursorStep(-10)
            case "L": return .cursorStep(10)
            case "[": return .pan(-1)
            case "]": return .pan(1)
            case "{": return .jumpMarker(-1)
            case "}": return .jumpMarker(1)
            case "0": return .goLive
            case "e", "E": return .toggleInspector
            case "y": return .copyExpression
            case ":": return .openPrompt(.query)
            case "/": return .openPrompt(.filter)
            case "x": return .toggleSeries
            case "o": return .sortByValue
            case "z": return .toggleRows
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
        case .home: return .goLive
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
            ("c", "time cursor on / off"),
            ("<- -> H L", "move the cursor 1 / 10 columns"),
            ("[ ]", "pan back / forward"),
            ("{ }", "previous / next alert mark"),
            ("0 Home", "back to live"),
            ("e", "inspect the queries"),
            (":", "PromQL, :time 03:40, :save"),
            ("/", "filter series or rows"),
            ("up down x", "pick / hide a series"),
            ("o", "sort series by value"),
            ("z", "open folded rows (heatmap)"),
            ("mouse", "click selects / sets cursor, 2-click zooms, wheel pans, drag zooms"),
            ("S", "save the screen to an HTML file (path in the status line)"),
            ("> <", "lookout replay: faster / slower (1x 10x 60x max)"),
        ]
        if demo { keys.append(("s", "next demo scenario")) }
        return keys
    }
}
