import Foundation
import Layouts
import MetricsCore
import Render

/// What investigating adds to the frame: the cursor and crosshair, markers, the legend filter and
/// toggles, the explore panel, the inspector and the hints.
public enum Investigation {
    /// Applies the user's investigation state to one mapped panel.
    static func decorate(_ pd: PanelData, panel: Panel, selectableIndex: Int, state: AppState, facts: ScreenFacts,
                         bindings: [TargetBinding]) -> PanelData {
        var pd = pd
        let view = state.currentView
        let zoomed = state.explore != nil || (view.zoomed != nil && view.zoomed == selectableIndex)
        if let pattern = view.filters[selectableIndex], let regex = try? Regex(pattern) {
            pd.series = pd.series.filter { $0.name.contains(regex) }
            if var table = pd.table {
                table.rows = table.rows.filter { row in
                    row.contains { cell in if case .text(let t) = cell { return t.contains(regex) } else { return false } }
                }
                pd.table = table
            }
            pd.alerts = pd.alerts.filter { $0.name.contains(regex) || $0.summary.contains(regex) }
            pd.title += " /\(pattern)"
        }
        if view.sortedByValue.contains(selectableIndex) {
            pd.series.sort { ($0.lastValue ?? -.infinity) > ($1.lastValue ?? -.infinity) }
        }
        if let hidden = view.hiddenSeries[selectableIndex] {
            for i in pd.series.indices where hidden.contains(pd.series[i].name) { pd.series[i].hidden = true }
        }
        if zoomed, !pd.series.isEmpty { pd.legendSelection = min(view.legendRow, pd.series.count - 1) }
        guard pd.kind == .graph || pd.kind == .stat else { return pd }
        if let t = view.cursor { pd.cursor = CursorMark(t: t, primary: zoomed && pd.kind == .graph) }
        if pd.kind == .graph {
            pd.markers = Annotations.markers(for: bindings.map(\.expr), layoutName: state.currentLayout?.name ?? "",
                                             transitions: facts.transitions, ruleExpressions: facts.ruleExpressions)
                + facts.annotationMarkers
        }
        if zoomed, let t = view.cursor {
            pd.title += " · cursor " + TimeText.clock(ms: t, utcOffsetSeconds: facts.utcOffsetSeconds)
        }
        return pd
    }

    /// The status line's hints where the plain ones do not apply.
    static func hints(_ state: AppState) -> [KeyHint]? {
        if state.prompt?.kind == .query {
            return [KeyHint("Tab", "complete"), KeyHint("Enter", "run"), KeyHint("↑↓", "history"), KeyHint("Esc", "cancel")]
        }
        if state.prompt?.kind == .filter { return [KeyHint("Enter", "filter (empty clears)"), KeyHint("Esc", "cancel")] }
        if state.overlay == .inspector { return [KeyHint("y", "copy expression"), KeyHint("Esc", "close")] }
        if state.explore != nil {
            return [KeyHint("Tab", "graph/table"), KeyHint(":", "edit"), KeyHint("←→", "cursor"), KeyHint("[ ]", "pan"),
                    KeyHint(":save", "keep as panel"), KeyHint("Esc", "back"), KeyHint("?", "help")]
        }
        if state.currentView.zoomed != nil {
            return [KeyHint("←→ H L", "cursor"), KeyHint("[ ]", "pan"), KeyHint("0", "live"), KeyHint("/", "filter"),
                    KeyHint("↑↓ x", "series"), KeyHint("e", "inspect"), KeyHint("Esc", "back"), KeyHint("?", "help")]
        }
        return nil
    }

    /// The inspector of the selected panel: expanded expressions, source, step, series, batch time,
    /// problems in full, the first rows of the raw result.
    static func inspector(state: AppState, geo: ScreenGeometry, data: DashboardData, plan: QueryPlan, facts: ScreenFacts,
                          expand: (String) -> String) -> InspectorView? {
        let selected = state.explore != nil ? 0 : (state.currentView.zoomed ?? state.currentView.selected)
        guard geo.selectable.indices.contains(selected) else { return nil }
        let index = geo.selectable[selected]
        let panel = geo.panels[index].panel
        let bindings = plan.bindings[index] ?? []
        let exprs = bindings.isEmpty
            ? panel.targets.filter { !$0.hidden }.map { expand($0.expr) } : bindings.map(\.expr)
        var seriesCount = 0
        var rows: [String] = []
        var problems: [String] = []
        var steps: [Int64] = []
        // Each expression's own request time (its range and instant requests added), in expression order.
        var times: [Int64?] = []
        for b in bindings {
            let rangeMs = b.range.flatMap { data.histories[$0]?.lastDurationMs }
            let instantMs = b.instant ? data.instants[b.expr]?.lastDurationMs : nil
            times.append(rangeMs == nil && instantMs == nil ? nil : (rangeMs ?? 0) + (instantMs ?? 0))
            if let k = b.range, let h = data.histories[k] {
                steps.append(k.step)
                seriesCount += h.series.count
                if let f = h.failure { problems.append("error: \(f.message)" + (f.location.map { " (\($0))" } ?? "")) }
                problems += h.warnings.map { "warning: \($0)" }
                if !b.instant {
                    rows += h.series.prefix(10).map { row($0, b) }
                }
            }
            if b.instant, let a = data.instants[b.expr] {
                if let f = a.failure { problems.append("error: \(f.message)" + (f.location.map { " (\($0))" } ?? "")) }
                problems += a.warnings.map { "warning: \($0)" }
                if let v = a.value {
                    let series = History.series(of: v)
                    if b.range == nil { seriesCount += series.count }
                    rows += series.prefix(10).map { row($0, b) }
                }
            }
        }
        var factParts = [facts.sourceName]
        if let step = steps.first { factParts.append("step " + PromDuration.format(step)) }
        if bindings.contains(where: \.instant) { factParts.append("instant") }
        factParts.append("\(seriesCount) series")
        if times.contains(where: { $0 != nil }) {
            let each = times.map { $0.map { "\($0) ms" } ?? "–" }
            factParts.append((times.count == 1 ? "query " : "queries ") + each.joined(separator: ", "))
        }
        if let ms = facts.lastBatchMs { factParts.append("batch \(ms) ms") }
        return InspectorView(title: panel.title, expressions: exprs.isEmpty ? ["(no query)"] : exprs,
                             facts: factParts.joined(separator: " · "), rows: Array(rows.prefix(12)),
                             problem: problems.last, footer: facts.copyTarget.map { "y copies the expression to \($0)" })
    }
}

/// The ad-hoc panel of the explore view.
enum Explore {
    static func panel(_ e: ExploreState) -> ScreenPanel {
        ScreenPanel(panel: Panel(title: e.expr, type: e.instant ? .table : .graph, targets: [Target(expr: e.expr)]),
                    isRow: false)
    }
}

extension HeaderData {
    /// The header of a dashboard looking at the past says so, with the end of its window.
    func travelled(to end: Int64?, utcOffsetSeconds: Int) -> HeaderData {
        var h = self
        if let end { h.notLive = "· at " + TimeText.clock(ms: end, utcOffsetSeconds: utcOffsetSeconds) }
        return h
    }
}

extension Investigation {
    /// A window in the past does not change: once its instants are answered they are not asked again
    /// (ranges already ask only for the steps a history lacks). A refill (pan, `r`) asks everything.
    public static func missingOnly(_ plan: QueryPlan, travelled: Bool, refill: Bool, data: DashboardData) -> QueryPlan {
        guard travelled, !refill else { return plan }
        var plan = plan
        plan.instants.removeAll { data.instants[$0]?.lastSuccess != nil }
        return plan
    }

    /// One raw result row: the legend (when it says more than the labels), the label set, the last value.
    static func row(_ s: SeriesSamples, _ b: TargetBinding) -> String {
        let legend = LegendFormat.name(for: s.labels, format: b.legendFormat, expr: b.expr)
        let value = s.samples.last.map { NumberText.format($0.v) } ?? "–"
        return (legend == s.labels.description ? "" : legend + "  ") + s.labels.description + "  " + value
    }

    /// The zoomed panel's legend names in the order shown (filter and sort applied), for `x`.
    public static func legendNames(state: AppState, geo: ScreenGeometry, plan: QueryPlan, data: DashboardData,
                                   now: Int64, intervalMs: Int64) -> [String] {
        guard let focus = state.explore != nil ? 0 : state.currentView.zoomed, geo.selectable.indices.contains(focus)
        else { return [] }
        let i = geo.selectable[focus]
        let context = MappingContext(now: state.windowEnd ?? now, intervalMs: intervalMs, rangeMs: state.rangeMs)
        let pd = PanelMapper.map(geo.panels[i], bindings: plan.bindings[i], data: data, context: context)
        let facts = ScreenFacts(sourceName: "", intervalMs: intervalMs, now: now)
        return decorate(pd, panel: geo.panels[i].panel, selectableIndex: focus, state: state, facts: facts, bindings: [])
            .series.map(\.name)
    }

    /// Entry points for tests of the pieces the session wires together.
    public static func markersForTests(_ exprs: [String], layout: String, _ transitions: [AlertTransition],
                                       _ rules: [String: String]) -> [TimeMarker] {
        Annotations.markers(for: exprs, layoutName: layout, transitions: transitions, ruleExpressions: rules)
    }

    public static func saveForTests(name: String, expr: String, to file: String) -> String {
        SavedPanels.append(name: name, expr: expr, to: file)
    }
}
