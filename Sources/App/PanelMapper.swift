import Foundation
import Layouts
import MetricsCore
import Render
import Rules

/// What the mapper needs besides the panel and its data.
public struct MappingContext: Sendable {
    public var now: Timestamp
    public var intervalMs: Int64
    public var rangeMs: Int64
    public var utcOffsetSeconds: Int
    public var alerts: [AlertInstance]
    /// Paused dashboards are not stale: the user stopped the clock on purpose.
    public var paused: Bool

    public init(now: Timestamp, intervalMs: Int64, rangeMs: Int64, utcOffsetSeconds: Int = 0,
                alerts: [AlertInstance] = [], paused: Bool = false) {
        self.now = now
        self.intervalMs = intervalMs
        self.rangeMs = rangeMs
        self.utcOffsetSeconds = utcOffsetSeconds
        self.alerts = alerts
        self.paused = paused
    }
}

/// A layout panel plus the answers to its queries → what Render draws. Pure.
public enum PanelMapper {
    /// Server mode on a server without Lookout's recording rules: a query sent with a rule's
    /// expression inlined says so in its panel (RecordedSeriesInlining adds the note).
    static func inlinedRecordingRules(_ bindings: [TargetBinding], _ data: DashboardData) -> Bool {
        bindings.contains { b in
            let warnings = (b.instant ? data.instants[b.expr]?.warnings ?? [] : [])
                + (b.range.flatMap { data.histories[$0]?.warnings } ?? [])
            return warnings.contains { $0.hasPrefix(RecordedSeriesInlining.notePrefix) }
        }
    }

    public static func map(_ screenPanel: ScreenPanel, bindings: [TargetBinding]?, data: DashboardData,
                           context: MappingContext) -> PanelData {
        let panel = screenPanel.panel
        var out = PanelData(
            title: rowTitle(panel), kind: kind(of: panel.type), unit: UnitFormat(name: panel.unit),
            decimals: panel.decimals, min: panel.min, max: panel.max,
            thresholds: panel.thresholds.map { ThresholdStep(value: $0.value, colorName: $0.color) },
            state: .ok, text: panel.content,
            options: PanelOptions(sparkline: panel.showSparkline, legend: panel.showLegend),
            timeWindow: TimeWindow(startMs: context.now - context.rangeMs, endMs: context.now,
                                   utcOffsetSeconds: context.utcOffsetSeconds))
        if panel.type == .barList, panel.sourceType?.hasSuffix("piechart") == true { out.kind = .barList(share: true) }
        switch panel.type {
        case .row, .text, .unsupported:
            return out
        case .alerts:
            out.alerts = AlertRows.rows(context.alerts, now: context.now)
            return out
        case .stat, .graph, .gauge, .table, .barList, .heatmap:
            break
        }
        // Queries for another datasource are not asked: the panel says so instead of loading forever.
        if let why = panel.unqueriedReason {
            out.kind = .text
            out.text = "not drawn: " + why
            return out
        }
        guard let bindings else {
            out.state = .loading
            return out
        }
        var series: [SeriesData] = []
        var failures: [String] = []
        var lastSuccess: Timestamp?
        var answered = false
        for b in bindings {
            let instant = b.instant ? data.instants[b.expr] : nil
            let history = b.range.flatMap { data.histories[$0] }
            if let f = instant?.failure ?? history?.failure { failures.append(f.message) }
            for t in [instant?.lastSuccess, history?.lastSuccess].compactMap({ $0 }) {
                answered = true
                lastSuccess = max(lastSuccess ?? t, t)
            }
            series += seriesData(binding: b, instant: instant, history: history)
        }
        out.series = series
        if inlinedRecordingRules(bindings, data) { out.title += " (inlined)" }
        applyFieldConfig(panel, to: &out)
        if panel.type == .table {
            out.table = mergedTable(panel, bindings: bindings, data: data, overrides: panel.overrides)
                ?? table(out.series, unit: out.unit)
        }
        if let first = failures.first {
            out.state = .error(first)
        } else if series.isEmpty, let missing = bindings.lazy.compactMap(\.unresolved).first {
            // A variable without a value: nothing was asked, and the panel says which value is missing.
            out.state = .error(missing)
        } else if !answered {
            out.state = .loading
        } else if series.isEmpty {
            out.state = .noData
        } else if !context.paused, let last = lastSuccess, context.now - last > 2 * context.intervalMs {
            out.state = .stale(ageSeconds: Int((context.now - last) / 1000))
        }
        return out
    }

    static func kind(of type: PanelType) -> PanelKind {
        switch type {
        case .stat: return .stat
        case .graph: return .graph
        case .gauge: return .gauge
        case .table: return .table
        case .text: return .text
        case .alerts: return .alerts
        case .row: return .row
        case .barList: return .barList(share: false)
        case .heatmap: return .heatmap
        case .unsupported(let name): return .placeholder(name)
        }
    }

    /// One series per label set: the current value from the instant query when there is one,
    /// the points from the history.
    static func seriesData(binding: TargetBinding, instant: InstantAnswer?, history: History?) -> [SeriesData] {
        let name = { (labels: Labels) in
            LegendFormat.name(for: labels, format: binding.legendFormat, expr: binding.expr)
        }
        let points = { (labels: Labels) -> [DataPoint] in
            (history?.samples[labels] ?? []).map { DataPoint(t: $0.t, v: $0.v) }
        }
        if binding.instant, let value = instant?.value {
            return History.series(of: value).map { s in
                let labels = s.labels
                let current = s.samples.last?.v
                var p = points(labels)
                if p.isEmpty, let last = s.samples.last { p = [DataPoint(t: last.t, v: last.v)] }
                return SeriesData(name: name(labels), points: p, lastValue: current)
            }
        }
        guard let history else { return [] }
        return history.series.map { s in SeriesData(name: name(s.labels), points: points(s.labels)) }
    }

    /// Tables list one row per series: its legend and its current value, largest first (top-k reads
    /// top down).
    static func table(_ series: [SeriesData], unit: UnitFormat) -> TableData {
        let rows = series
            .sorted { ($0.lastValue ?? -.infinity) > ($1.lastValue ?? -.infinity) }
            .map { s -> [TableCell] in
                [.text(s.name), s.displayText.map { .text($0) } ?? s.lastValue.map { .number($0) } ?? .text("–")]
            }
        return TableData(columns: ["Series", "Value"], rows: rows)
    }
}

/// Alert instances → rows of the alert list, most severe first.
public enum AlertRows {
    public static func rows(_ alerts: [AlertInstance], now: Timestamp) -> [AlertRow] {
        let nowDate = Date(timeIntervalSince1970: Double(now) / 1000)
        return alerts
            .filter { $0.state != .inactive || $0.resolvedAt != nil || $0.origin == .silence || $0.origin == .alertmanager }
            .sorted { a, b in
                if a.state != b.state { return a.state > b.state }
                if severityRank(a.severity) != severityRank(b.severity) {
                    return severityRank(a.severity) > severityRank(b.severity)
                }
                return a.name < b.name
            }
            .map { a in
                let state: AlertRowState = a.state == .firing ? .firing : a.state == .pending ? .pending
                    : (a.resolvedAt != nil ? .resolved : .inactive)
                let since = (a.state == .firing ? a.firedAt : a.state == .pending ? a.activeAt : a.resolvedAt) ?? nowDate
                return AlertRow(state: state, severity: a.severity ?? "", name: originMarked(a),
                                sinceSeconds: max(0, Int(nowDate.timeIntervalSince(since))),
                                summary: a.annotations["summary"] ?? "",
                                valueText: a.value.isNaN ? "" : NumberText.format(a.value))
            }
    }

    /// Alertmanager's entries say where they come from (`[am]`), and a silence says it is one.
    static func originMarked(_ a: AlertInstance) -> String {
        switch a.origin {
        case .alertmanager: return "\(a.name) [am]"
        case .silence: return "silence \(a.name)"
        case .lookout, .server: return a.name
        }
    }

    public static func severityRank(_ s: String?) -> Int {
        switch s?.lowercased() {
        case "critical", "page": return 3
        case "warning", "warn": return 2
        case "info": return 1
        default: return 0
        }
    }
}
