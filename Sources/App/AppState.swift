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

    public init() {}
}

public enum Overlay: Hashable, Sendable {
    case help, targets, alerts
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
