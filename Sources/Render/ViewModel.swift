/// The view model the App hands to the widgets. Render never asks for data: everything it draws is here.
/// Strings in these types may come from outsiders (labels, HELP text, errors, layout titles); the widgets
/// pass every one of them through `Sanitize` before it reaches the buffer.

/// What the terminal can show. The backend detects it (locale, terminfo, `--color`, `NO_COLOR`).
public struct TerminalCaps: Hashable, Sendable {
    /// UTF-8 locale: braille, block and box-drawing characters allowed. Otherwise ASCII only.
    public var unicode: Bool
    /// 0 (no colour), 8 or 256.
    public var colors: Int

    public init(unicode: Bool = true, colors: Int = 256) {
        self.unicode = unicode
        self.colors = colors
    }

    public static let full = TerminalCaps(unicode: true, colors: 256)
    public static let ascii = TerminalCaps(unicode: false, colors: 0)
}

/// One sample of a series: time in Unix milliseconds, value.
public struct DataPoint: Hashable, Sendable {
    public var t: Int64
    public var v: Double

    public init(t: Int64, v: Double) {
        self.t = t
        self.v = v
    }
}

public struct SeriesData: Hashable, Sendable {
    /// The legend after `legendFormat` templating (or the label set when there is no format).
    public var name: String
    /// Ascending by time.
    public var points: [DataPoint]
    /// The value to show as "current"; defaults to the last point's value.
    public var lastValue: Double?
    /// Text shown instead of the current value (a Grafana value mapping: `0` → `down`).
    public var displayText: String?
    /// Switched off in the zoomed legend: listed (dimmed) but not plotted.
    public var hidden: Bool

    public init(name: String, points: [DataPoint], lastValue: Double? = nil, hidden: Bool = false) {
        self.name = name
        self.points = points
        self.lastValue = lastValue ?? points.last?.v
        self.hidden = hidden
    }
}

/// One threshold step: from `value` upwards `color` applies; a nil value is the base step.
public struct ThresholdStep: Hashable, Sendable {
    public var value: Double?
    public var color: Color

    public init(value: Double?, color: Color) {
        self.value = value
        self.color = color
    }

    /// From a layout's colour name (`red`, `dark-green`, `#e0b400`...); unknown names give `.default`.
    public init(value: Double?, colorName: String) {
        self.init(value: value, color: ColorName.resolve(colorName))
    }
}

public enum PanelKind: Hashable, Sendable {
    case stat, graph, gauge, table, text, alerts
    /// A row header line grouping the panels under it.
    case row
    /// One bar per series, largest first (Grafana's bar gauge; `share` adds each one's % of the total: pie charts).
    case barList(share: Bool)
    /// Classic histogram buckets over time (one series per `le`, cumulative as Prometheus keeps them).
    case heatmap
    /// A panel type Lookout does not draw; the string names it.
    case placeholder(String)
}

/// What the panel's data is like right now; shown honestly inside the panel.
public enum PanelState: Hashable, Sendable {
    case ok
    /// No query answered yet.
    case loading
    /// Queries answered, with no series.
    case noData
    /// The reason in short form: `timeout after 2s`, `HTTP 503`, `parse error at 1:5`.
    case error(String)
    /// The last sample is older than two intervals; the last value is kept but dimmed.
    case stale(ageSeconds: Int)
}

/// The graph's time window, for x placement and the HH:MM labels.
public struct TimeWindow: Hashable, Sendable {
    public var startMs: Int64
    public var endMs: Int64
    /// Local time offset for the labels (`TimeZone.current.secondsFromGMT()` in the App).
    public var utcOffsetSeconds: Int

    /// Length in ms as a Double (no Int64 overflow whatever the ends).
    var spanMs: Double { Double(endMs) - Double(startMs) }

    public init(startMs: Int64, endMs: Int64, utcOffsetSeconds: Int = 0) {
        self.startMs = startMs
        self.endMs = endMs
        self.utcOffsetSeconds = utcOffsetSeconds
    }
}

public enum TableCell: Hashable, Sendable {
    case text(String)
    /// Formatted in the panel's unit, right-aligned, coloured by thresholds.
    case number(Double)
}

public struct TableData: Hashable, Sendable {
    public var columns: [String]
    public var rows: [[TableCell]]

    public init(columns: [String], rows: [[TableCell]]) {
        self.columns = columns
        self.rows = rows
    }
}

public enum AlertRowState: String, Hashable, Sendable {
    case firing, pending, resolved, inactive
}

public struct AlertRow: Hashable, Sendable {
    public var state: AlertRowState
    public var severity: String
    public var name: String
    /// Seconds since the alert entered its state.
    public var sinceSeconds: Int
    public var summary: String
    /// The value, already formatted (`4.9 %`).
    public var valueText: String

    public init(state: AlertRowState, severity: String, name: String, sinceSeconds: Int,
                summary: String = "", valueText: String = "") {
        self.state = state
        self.severity = severity
        self.name = name
        self.sinceSeconds = sinceSeconds
        self.summary = summary
        self.valueText = valueText
    }
}

/// Display options from the layout (nil: the widget decides from the space it has).
public struct PanelOptions: Hashable, Sendable {
    public var sparkline: Bool?
    public var legend: Bool?

    public init(sparkline: Bool? = nil, legend: Bool? = nil) {
        self.sparkline = sparkline
        self.legend = legend
    }
}

public struct PanelData: Hashable, Sendable {
    public var title: String
    public var kind: PanelKind
    public var series: [SeriesData]
    public var unit: UnitFormat
    public var decimals: Int?
    public var min: Double?
    public var max: Double?
    /// Ascending by value; the first may have a nil value (the base colour).
    public var thresholds: [ThresholdStep]
    public var state: PanelState
    /// Body of a text panel.
    public var text: String?
    public var table: TableData?
    public var alerts: [AlertRow]
    public var options: PanelOptions
    public var timeWindow: TimeWindow?
    /// The time cursor (zoomed graph) or the shared crosshair (every other graph and stat).
    public var cursor: CursorMark?
    /// Alert transitions and annotations on the time axis.
    public var markers: [TimeMarker] = []
    /// The legend row picked with ↑/↓ in a zoomed graph (for `x`, toggling a series).
    public var legendSelection: Int?

    public init(title: String, kind: PanelKind, series: [SeriesData] = [], unit: UnitFormat = .none,
                decimals: Int? = nil, min: Double? = nil, max: Double? = nil, thresholds: [ThresholdStep] = [],
                state: PanelState = .ok, text: String? = nil, table: TableData? = nil, alerts: [AlertRow] = [],
                options: PanelOptions = PanelOptions(), timeWindow: TimeWindow? = nil) {
        self.title = title
        self.kind = kind
        self.series = series
        self.unit = unit
        self.decimals = decimals
        self.min = min
        self.max = max
        self.thresholds = thresholds
        self.state = state
        self.text = text
        self.table = table
        self.alerts = alerts
        self.options = options
        self.timeWindow = timeWindow
    }
}
