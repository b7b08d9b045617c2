import Layouts

/// One layout the user can switch to.
public struct LayoutEntry: Hashable, Sendable {
    /// Short name for messages (`executive`).
    public var name: String
    public var dashboard: Dashboard
    /// The file it came from, for reloads.
    public var path: String?

    public init(name: String, dashboard: Dashboard, path: String? = nil) {
        self.name = name
        self.dashboard = dashboard
        self.path = path
    }
}

/// What the user left behind on a layout, restored when they come back to it.
public struct LayoutView: Hashable, Sendable {
    /// Index into the layout's selectable panels.
    public var selected: Int = 0
    /// Index into the selectable panels of the panel shown full screen.
    public var zoomed: Int?
    /// Chosen values of the layout's variables, by name.
    public var variableValues: [String: String] = [:]
    /// Which variable `v` cycles.
    public var activeVariable: Int = 0
    /// The time cursor (Unix ms): drawn on the zoomed graph, as a crosshair on the others.
    public var cursor: Int64?
    /// Per selectable panel: the `/` regex over its legend or table rows.
    public var filters: [Int: String] = [:]
    /// Per selectable panel: series names switched off in its zoomed legend.
    public var hiddenSeries: [Int: Set<String>] = [:]
    /// Selectable panels whose series are sorted by current value (`o`).
    public var sortedByValue: Set<Int> = []
    /// The legend row picked with ↑/↓ in the zoomed graph.
    public var legendRow: Int = 0
    /// `z`: collapsed rows (the executive layout's latency heatmap) shown open.
    public var rowsOpen = false
    /// Where a mouse drag over the zoomed graph started (screen column).
    public var dragFrom: Int?
    /// The selected values of the variables that panels or rows `repeat` over (All: every option), as
    /// the session resolves them from the source's answers: the screen draws one copy per value.
    public var repeatValues: [String: [String]] = [:]

    public init() {}
}

public enum Overlay: Hashable, Sendable {
    case help, targets, alerts
    /// `e`: the selected panel's queries.
    case inspector
}

/// The whole state of the dashboard that the reducer changes. Data (series, results) lives
/// beside it in `DashboardData`; this is only what the user controls.
public struct AppState: Hashable, Sendable {
    public var layouts: [LayoutEntry]
    public var current: Int = 0
    public var views: [LayoutView]
    public var paused = false
    /// Time range of graphs, milliseconds.
    public var rangeMs: Int64
    public var overlay: Overlay?
    /// Demo scenarios that `s` cycles through (empty outside demo mode).
    public var scenarios: [String]
    public var scenarioIndex = 0
    public var quitRequested = false
    /// End of the graphs' window while looking at the past (Unix ms); nil follows the present.
    public var windowEnd: Int64?
    /// The open `:` or `/` prompt.
    public var prompt: PromptState?
    /// An ad-hoc PromQL expression drawn full screen (`:` then Enter); Esc returns to the layout.
    public var explore: ExploreState?
    /// A one-line answer to the last command (`saved to ...`, `no earlier transition`).
    public var message: String?

    public init(layouts: [LayoutEntry], rangeMs: Int64, scenarios: [String] = [], scenario: String? = nil) {
        self.layouts = layouts
        self.views = layouts.map { _ in LayoutView() }
        self.rangeMs = rangeMs
        self.scenarios = scenarios
        if let scenario, let i = scenarios.firstIndex(of: scenario) { scenarioIndex = i }
    }

    public var currentLayout: LayoutEntry? { layouts.indices.contains(current) ? layouts[current] : nil }

    public var currentView: LayoutView {
        get { views.indices.contains(current) ? views[current] : LayoutView() }
        set { if views.indices.contains(current) { views[current] = newValue } }
    }

    public var currentScenario: String? {
        scenarios.indices.contains(scenarioIndex) ? scenarios[scenarioIndex] : nil
    }
}

/// The ranges `+` and `-` step through.
public enum RangeSteps {
    public static let all: [Int64] = [
        60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000,
        12 * 3_600_000, 24 * 3_600_000, 2 * 86_400_000, 7 * 86_400_000,
    ]

    /// The next wider range; a range between steps goes to the next step above it.
    public static func wider(than r: Int64) -> Int64 { all.first(where: { $0 > r }) ?? r }
    /// The next narrower range.
    public static func narrower(than r: Int64) -> Int64 { all.last(where: { $0 < r }) ?? r }
}

/// The prompt being typed.
public struct PromptState: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// `:` PromQL or a command (`time`, `save`).
        case query
        /// `/` regex over the selected panel's legend or rows.
        case filter
    }

    public var kind: Kind
    public var text: String = ""
    /// Caret position in characters.
    public var caret: Int = 0
    /// Position in the history while browsing it with ↑/↓ (nil: editing a new line).
    public var historyIndex: Int?

    public init(kind: Kind, text: String = "") {
        self.kind = kind
        self.text = text
        caret = text.count
    }
}

/// The expression of the explore view and how it is drawn.
public struct ExploreState: Hashable, Sendable {
    public var expr: String
    /// A table of the instant result instead of a graph of the range (Tab toggles).
    public var instant: Bool = false

    public init(expr: String, instant: Bool = false) {
        self.expr = expr
        self.instant = instant
    }
}
