/// A key the dashboard understands, decoded from curses codes.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case enter, escape, tab, backTab, backspace
    case pageUp, pageDown, home, end
    case function(Int)
    /// Ctrl plus a letter, as a lower-case letter (`ctrl("c")`).
    case control(Character)
    case unknown(Int32)
}

public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case click, doubleClick
        /// Wheel turns, where the terminal reports them (buttons 4 and 5).
        case wheelUp, wheelDown
        /// The first button held down and let go somewhere else: a drag (reported when held longer
        /// than a click takes).
        case press, release
    }
    public var x: Int
    public var y: Int
    public var kind: Kind

    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}

/// Signals that end the program, turned into ordinary events.
public enum TerminationSignal: Hashable, Sendable {
    case interrupt, terminate, hangup

    /// The conventional exit status for a program ended by this signal (128 + number).
    public var exitStatus: Int32 {
        switch self {
        case .interrupt: return 130
        case .terminate: return 143
        case .hangup: return 129
        }
    }
}

public enum InputEvent: Hashable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    case signal(TerminationSignal)
    /// Another thread asked the loop to wake (new data).
    case wake
}
