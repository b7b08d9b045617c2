/// A terminal colour. `.default` keeps the terminal's own foreground or background.
public enum Color: Hashable, Sendable {
    case `default`
    case black, red, green, yellow, blue, magenta, cyan, white
    /// A 256-colour palette index; backends with fewer colours map it to the nearest of the eight.
    case indexed(UInt8)
}

/// Text attributes.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let underline = Attributes(rawValue: 1 << 2)
    public static let reverse = Attributes(rawValue: 1 << 3)
}

/// Foreground, background and attributes of a run of text.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public static let plain = Style()
}

/// One terminal cell: a character (one grapheme cluster, marks included) and its style.
/// A wide character (two columns) sits in a cell of `columns == 2`, followed by a continuation cell
/// (`columns == 0`, a space) that the backends skip: the terminal fills it with the wide character.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style
    /// 1 for most characters; 2 for a wide one; 0 for the continuation cell to the right of a wide one.
    public var columns: UInt8 = 1

    public init(_ character: Character = " ", style: Style = .plain) {
        self.character = character
        self.style = style
    }

    /// A cell for `character` with its width (1 or 2 columns).
    public init(wide character: Character, style: Style = .plain) {
        self.character = character
        self.style = style
        columns = UInt8(CharacterWidth.columns(character))
    }

    /// The right half of a wide character.
    public static func continuation(style: Style = .plain) -> Cell {
        var cell = Cell(" ", style: style)
        cell.columns = 0
        return cell
    }

    public var isContinuation: Bool { columns == 0 }

    public static let blank = Cell()
}

/// A rectangle of cells; origin at the top left.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var isEmpty: Bool { width == 0 || height == 0 }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    /// The rectangle shrunk by `n` cells on every side (never negative).
    public func inset(_ n: Int) -> Rect {
        Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n)
    }

    public func intersection(_ o: Rect) -> Rect {
        let x0 = max(x, o.x), y0 = max(y, o.y)
        let x1 = min(maxX, o.maxX), y1 = min(maxY, o.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
