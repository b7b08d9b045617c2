/// View-model types of the investigation tools: the time cursor, markers on the time axis, the
/// PromQL prompt and the query inspector. Strings here may come from outsiders; widgets sanitise them.

/// The instant the user points at. `primary` is the zoomed graph that owns the cursor (drawn with
/// its legend box); elsewhere the same instant is a thin crosshair line, or a marked value on stats.
public struct CursorMark: Hashable, Sendable {
    public var t: Int64
    public var primary: Bool

    public init(t: Int64, primary: Bool) {
        self.t = t
        self.primary = primary
    }
}

/// One marker on a graph's time axis: an alert transition (`P`, `F`, `R`) or an annotation (`A`).
public struct TimeMarker: Hashable, Sendable {
    public var t: Int64
    public var letter: Character
    public var color: Color
    /// What the cursor legend says when the cursor is on it (`F HighErrorRate`).
    public var label: String

    public init(t: Int64, letter: Character, color: Color, label: String) {
        self.t = t
        self.letter = letter
        self.color = color
        self.label = label
    }
}

/// The one-line prompt (`:` PromQL or command, `/` filter) with its completions and parse error.
public struct PromptView: Hashable, Sendable {
    /// `:` or `/`.
    public var leader: Character
    public var text: String
    /// Caret position in characters of `text`.
    public var caret: Int
    /// Completion candidates, best first, with an optional kind (`function`, `metric`...).
    public var completions: [(String, String)]
    /// A parse error: 1-based column in `text` and the message.
    public var error: (column: Int, message: String)?

    public init(leader: Character, text: String, caret: Int, completions: [(String, String)] = [],
                error: (column: Int, message: String)? = nil) {
        self.leader = leader
        self.text = text
        self.caret = caret
        self.completions = completions
        self.error = error
    }

    public static func == (a: PromptView, b: PromptView) -> Bool {
        a.leader == b.leader && a.text == b.text && a.caret == b.caret
            && a.completions.map { $0.0 + "\u{0}" + $0.1 } == b.completions.map { $0.0 + "\u{0}" + $0.1 }
            && a.error?.column == b.error?.column && a.error?.message == b.error?.message
    }

    public func hash(into h: inout Hasher) {
        h.combine(leader)
        h.combine(text)
        h.combine(caret)
    }
}

/// What `e` shows about a panel's queries.
public struct InspectorView: Hashable, Sendable {
    public var title: String
    /// Expressions after variable expansion, one per target.
    public var expressions: [String]
    /// `demo · step 5s · 7 series · 3.1 ms`.
    public var facts: String
    /// The first rows of the raw result: `{handler="/a"} 0.38`.
    public var rows: [String]
    /// The last error or warning, in full.
    public var problem: String?
    /// A line about copying (`y copies ...`), when enabled.
    public var footer: String?

    public init(title: String, expressions: [String], facts: String, rows: [String], problem: String? = nil,
                footer: String? = nil) {
        self.title = title
        self.expressions = expressions
        self.facts = facts
        self.rows = rows
        self.problem = problem
        self.footer = footer
    }
}

/// Where a time falls on a plot: the cell column of `t` in a window drawn over `cells` cells,
/// the same placement the graph gives its points (dot columns, two per cell in braille).
enum TimeColumn {
    static func cell(of t: Int64, in window: TimeWindow, cells: Int, braille: Bool) -> Int? {
        guard cells > 0, window.endMs > window.startMs, t >= window.startMs, t <= window.endMs else { return nil }
        let dots = braille ? cells * 2 : cells
        let x = Int(((Double(t) - Double(window.startMs)) / window.spanMs * Double(dots - 1)).rounded())
        return Swift.max(0, Swift.min(cells - 1, braille ? x / 2 : x))
    }

    /// The series' value nearest to `t` (the sample a reader sees under the cursor).
    static func value(of points: [DataPoint], at t: Int64) -> Double? {
        guard !points.isEmpty else { return nil }
        // Binary search for the first point at or after t.
        var lo = 0, hi = points.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if points[mid].t < t { lo = mid + 1 } else { hi = mid }
        }
        let candidates = [lo - 1, lo].filter { points.indices.contains($0) }
        guard let best = candidates.min(by: { abs(Double(points[$0].t) - Double(t)) < abs(Double(points[$1].t) - Double(t)) })
        else { return nil }
        // Far from every sample (before the data starts, in a gap) there is no value to show.
        let spacing = points.count > 1
            ? (Double(points[points.count - 1].t) - Double(points[0].t)) / Double(points.count - 1) : 0
        guard abs(Double(points[best].t) - Double(t)) <= Swift.max(1000, spacing * 1.5) else { return nil }
        return points[best].v
    }
}
