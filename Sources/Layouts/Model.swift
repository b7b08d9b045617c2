/// One dashboard, whatever file dialect it came from (the design document's, Grafana's, Lookout's own).
public struct Dashboard: Hashable, Sendable {
    public var title: String
    /// Refresh interval in milliseconds, if the file names one.
    public var refresh: Int64?
    /// Default time range of graphs in milliseconds, if the file names one.
    public var timeRange: Int64?
    /// Top-level panels in file order; rows hold their children.
    public var panels: [Panel]
    public var variables: [Variable]
    /// Where it was loaded from (a path), for messages.
    public var source: String?
    /// Grafana annotation queries with a PromQL `expr` (GrafanaAnnotations.swift).
    public var annotations: [AnnotationQuery] = []

    public init(title: String, refresh: Int64? = nil, timeRange: Int64? = nil, panels: [Panel],
                variables: [Variable] = [], source: String? = nil) {
        self.title = title
        self.refresh = refresh
        self.timeRange = timeRange
        self.panels = panels
        self.variables = variables
        self.source = source
    }
}

public enum PanelType: Hashable, Sendable {
    case stat, graph, gauge, table, text, alerts, row
    /// Grafana's heatmap over classic `le` buckets (drawn by the heatmap widget).
    case heatmap
    /// One bar per series, largest first: Grafana's `bargauge` and `piechart`.
    case barList
    /// A type Lookout does not draw (a Grafana plugin, say); shown as a placeholder naming it.
    case unsupported(String)
}

/// Position on the 24-column grid; `h` is in grid rows.
public struct GridPos: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var w: Int
    public var h: Int

    public init(x: Int, y: Int, w: Int, h: Int) {
        self.x = x
        self.y = y
        self.w = w
        self.h = h
    }

    public static let columns = 24
}

public struct Target: Hashable, Sendable {
    public var expr: String
    /// `{{label}}` templating, as Grafana and Prometheus use.
    public var legendFormat: String?
    public var refId: String?
    public var hidden: Bool

    public init(expr: String, legendFormat: String? = nil, refId: String? = nil, hidden: Bool = false) {
        self.expr = expr
        self.legendFormat = legendFormat
        self.refId = refId
        self.hidden = hidden
    }
}

/// From `value` upwards the colour applies; a nil value means minus infinity (the base step).
public struct Threshold: Hashable, Sendable {
    public var value: Double?
    public var color: String

    public init(value: Double?, color: String) {
        self.value = value
        self.color = color
    }
}

public struct Panel: Hashable, Sendable {
    public var title: String
    public var type: PanelType
    /// Nil when the file gives none (a row's children are then placed left to right).
    public var gridPos: GridPos?
    public var targets: [Target]
    /// Unit name: s, ms, µs, percent, percentunit, bytes, reqps, ops, short, none...
    public var unit: String?
    public var decimals: Int?
    public var min: Double?
    public var max: Double?
    /// Ascending by value; the first may have a nil value.
    public var thresholds: [Threshold]
    public var description: String?
    /// Body of a text panel.
    public var content: String?
    /// Display options: `sparkline`, `legend` (Lookout's own), with the file's values.
    public var showSparkline: Bool?
    public var showLegend: Bool?
    /// Children of a row.
    public var children: [Panel]
    /// Grafana's collapsed rows keep their children hidden until expanded.
    public var collapsed: Bool
    /// Where the panel stands in its file, as a JSON path (`panels[3]`), for messages.
    public var path: String
    /// The type as the file wrote it (`singlestat`, `piechart`), when it differs from the kind drawn.
    public var sourceType: String?
    /// Grafana's datasource of the panel: its `type` (`prometheus`, `loki`), or the name as written.
    public var datasource: String?
    /// Queries that are not PromQL (another datasource, or a builder query without `expr`), by refId.
    public var skippedTargets: [String] = []
    /// Per-field settings by series name or regex (Grafana's `fieldConfig.overrides`, table `styles`).
    public var overrides: [FieldOverride] = []
    /// Value → text mappings (Grafana's `mappings`, singlestat `valueMaps`/`rangeMaps`).
    public var mappings: [ValueMapping] = []
    /// Table transformations, in order.
    public var transformations: [TableTransformation] = []
    /// How the stat colours itself: `value`, `background` or `none` (Grafana's `colorMode`).
    public var colorMode: String?
    /// Grafana's reducer (`lastNotNull`, `mean`, `max`...); Lookout shows the last value.
    public var reducer: String?
    /// `repeat`: the multi-value variable the panel (or row) is repeated over, and how.
    public var repeatVariable: String?
    public var repeatDirection: RepeatDirection = .horizontal
    public var maxPerRow: Int?
    /// What was approximated when reading the panel, for `check --coverage` (`valueName "avg" shown as the last value`).
    public var approximations: [String] = []

    public init(title: String, type: PanelType, gridPos: GridPos? = nil, targets: [Target] = [],
                unit: String? = nil, decimals: Int? = nil, min: Double? = nil, max: Double? = nil,
                thresholds: [Threshold] = [], description: String? = nil, content: String? = nil,
                showSparkline: Bool? = nil, showLegend: Bool? = nil, children: [Panel] = [],
                collapsed: Bool = false, path: String = "") {
        self.title = title
        self.type = type
        self.gridPos = gridPos
        self.targets = targets
        self.unit = unit
        self.decimals = decimals
        self.min = min
        self.max = max
        self.thresholds = thresholds
        self.description = description
        self.content = content
        self.showSparkline = showSparkline
        self.showLegend = showLegend
        self.children = children
        self.collapsed = collapsed
        self.path = path
    }
}

