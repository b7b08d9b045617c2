import Foundation
import Layouts
import MetricsCore
import PromQL
import Render
import Rules

/// What the frame shows besides the state and the data: facts about the source and the clock.
public struct ScreenFacts: Sendable {
    public var sourceName: String
    public var intervalMs: Int64
    public var serverInfo: String?
    public var insecure: Bool
    public var targets: [TargetStatus]
    public var alerts: [AlertInstance]
    public var now: Timestamp
    public var utcOffsetSeconds: Int
    /// Problems that are not any one panel's (a broken layout edit, a rules file error).
    public var notices: [String]
    public var demo: Bool
    /// Investigating: alert transitions seen so far, the rules' expressions, the prompt as typed
    /// (with completions and parse error), how long the last batch took, and whether `y` may copy.
    public var transitions: [AlertTransition] = []
    public var ruleExpressions: [String: String] = [:]
    public var prompt: PromptView?
    public var lastBatchMs: Int64?
    public var copyTarget: String?
    /// Embedded mode: when the history starts (nothing older exists); nil for a server.
    public var historyStart: Timestamp? = nil
    /// Events of the layout's Grafana annotation queries, marked on every graph.
    public var annotationMarkers: [TimeMarker] = []

    public init(sourceName: String, intervalMs: Int64, serverInfo: String? = nil, insecure: Bool = false,
                targets: [TargetStatus] = [], alerts: [AlertInstance] = [], now: Timestamp,
                utcOffsetSeconds: Int = 0, notices: [String] = [], demo: Bool = false) {
        self.sourceName = sourceName
        self.intervalMs = intervalMs
        self.serverInfo = serverInfo
        self.insecure = insecure
        self.targets = targets
        self.alerts = alerts
        self.now = now
        self.utcOffsetSeconds = utcOffsetSeconds
        self.notices = notices
        self.demo = demo
    }
}

/// Where everything of the current layout goes on a screen of a given size.
public struct ScreenGeometry: Sendable {
    public var panels: [ScreenPanel]
    /// One per panel (empty when not shown).
    public var rects: [Rect]
    /// Screen-panel indices of the selectable panels, in order.
    public var selectable: [Int]
    public var body: Rect
    public var tooSmall: Bool

    /// The rectangles of the selectable panels, for the reducer.
    public var selectableRects: [Rect] { selectable.map { rects[$0] } }
}

/// Composes one frame: chrome, panels, overlay. Pure, so the live screen and `snapshot` share it.
public enum ScreenComposer {
    public static let minimumWidth = 20
    public static let minimumHeight = 5

    public static func geometry(_ state: AppState, width: Int, height: Int) -> ScreenGeometry {
        let panels = state.explore.map { [Explore.panel($0)] }
            ?? state.currentLayout.map { layout in
                ScreenPanels.flatten(expandRepeats(layout.dashboard, values: state.currentView.repeatValues),
                                     rowsOpen: state.currentView.rowsOpen)
            } ?? []
        let selectable = ScreenPanels.selectableIndices(panels)
        let empty = Rect(x: 0, y: 0, width: 0, height: 0)
        guard width >= minimumWidth, height >= minimumHeight else {
            return ScreenGeometry(panels: panels, rects: panels.map { _ in empty }, selectable: selectable,
                                  body: empty, tooSmall: true)
        }
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        var rects: [Rect]
        if state.explore != nil {
            rects = [body]
        } else if let z = state.currentView.zoomed, selectable.indices.contains(z) {
            rects = panels.map { _ in empty }
            rects[selectable[z]] = body
        } else {
            let items = panels.map { sp in
                GridItem(x: sp.panel.gridPos?.x, y: sp.panel.gridPos?.y, w: sp.panel.gridPos?.w,
                         h: sp.panel.gridPos?.h, isRow: sp.isRow)
            }
            rects = layoutGrid(items, in: body)
            if rects.count != panels.count { rects = panels.map { _ in empty } }
        }
        return ScreenGeometry(panels: panels, rects: rects, selectable: selectable, body: body, tooSmall: false)
    }

    /// `expand` substitutes variables into panel titles, as into their expressions.
    public static func compose(state: AppState, data: DashboardData, plan: QueryPlan, facts: ScreenFacts,
                               caps: TerminalCaps, width: Int, height: Int,
                               expand: (String) -> String = { $0 }) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        let geo = geometry(state, width: width, height: height)
        if geo.tooSmall {
            renderTooSmall(in: buffer.area, into: &buffer, minimumWidth: minimumWidth,
                           minimumHeight: minimumHeight, caps: caps)
            return buffer
        }
        // Graphs show the window the user travelled to; alert lists always show the present.
        let liveContext = MappingContext(now: facts.now, intervalMs: facts.intervalMs,
                                         rangeMs: QueryPlanner.window(rangeMs: state.rangeMs, now: facts.now,
                                                                      historyStart: facts.historyStart),
                                         utcOffsetSeconds: facts.utcOffsetSeconds, alerts: facts.alerts,
                                         paused: state.paused)
        var context = liveContext
        context.now = state.windowEnd ?? facts.now
        let selectedScreenIndex = geo.selectable.indices.contains(state.currentView.selected)
            ? geo.selectable[state.currentView.selected] : nil
        var panelErrors: [String] = []
        var panelInfos: [String] = []
        for (i, original) in geo.panels.enumerated() where !geo.rects[i].isEmpty {
            var sp = original
            // A byte search: `contains` on a String goes through Foundation's locale-aware search here.
            if sp.panel.title.utf8.contains(UInt8(ascii: "$")) { sp.panel.title = expand(sp.panel.title) }
            var pd = PanelMapper.map(sp, bindings: plan.bindings[i], data: data,
                                     context: sp.panel.type == .alerts ? liveContext : context)
            let selectableIndex = geo.selectable.firstIndex(of: i) ?? -1
            pd = Investigation.decorate(pd, panel: sp.panel, selectableIndex: selectableIndex, state: state, facts: facts,
                                        bindings: plan.bindings[i] ?? [])
            if case .error(let reason) = pd.state { panelErrors.append("\(sp.panel.title): \(reason)") }
            // Server warnings (a query hitting a limit, say) belong to the panel that asked.
            for b in plan.bindings[i] ?? [] {
                let warnings = (b.instant ? data.instants[b.expr]?.warnings ?? [] : [])
                    + (b.range.flatMap { data.histories[$0]?.warnings } ?? [])
                let (infos, problems) = QueryAnnotations.split(warnings)
                if let w = problems.first { panelErrors.append("\(sp.panel.title): warning: \(w)") }
                if let info = infos.first { panelInfos.append("\(sp.panel.title): \(info)") }
            }
            renderPanel(pd, in: geo.rects[i], into: &buffer, selected: i == selectedScreenIndex || state.explore != nil,
                        zoomed: state.currentView.zoomed != nil || state.explore != nil, caps: caps)
        }
        var chrome = ChromeData(header: header(state, data: data, facts: facts),
                                status: status(state, facts: facts, panelErrors: panelErrors))
        // Information (not errors) goes on the status line only when nothing more pressing is there.
        if chrome.status.errors.isEmpty, chrome.status.message == nil, let info = panelInfos.first {
            chrome.status.message = "info: " + info
        }
        renderChrome(chrome, in: buffer.area, into: &buffer, caps: caps)
        switch state.overlay {
        case .help:
            renderHelpOverlay(keys: KeyMap.helpEntries(demo: facts.demo), in: geo.body, into: &buffer, caps: caps)
        case .targets:
            renderPanel(Overlays.targets(facts.targets, sourceName: facts.sourceName, now: facts.now),
                        in: Overlays.area(in: geo.body), into: &buffer, selected: true, zoomed: true, caps: caps)
        case .alerts:
            renderPanel(Overlays.alerts(facts.alerts, now: facts.now), in: Overlays.area(in: geo.body),
                        into: &buffer, selected: true, zoomed: true, caps: caps)
        case .inspector:
            if let view = Investigation.inspector(state: state, geo: geo, data: data, plan: plan, facts: facts, expand: expand) {
                renderInspector(view, in: geo.body, into: &buffer, caps: caps)
            }
        case nil:
            break
        }
        if let prompt = facts.prompt { renderPrompt(prompt, in: geo.body, into: &buffer, caps: caps) }
        return buffer
    }

    static func header(_ state: AppState, data: DashboardData, facts: ScreenFacts) -> HeaderData {
        var title = state.currentLayout?.dashboard.title ?? "Lookout"
        let values = state.currentView.variableValues
        if !values.isEmpty {
            title += " · " + values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        // In demo mode the scenario is part of what the user is looking at.
        if facts.demo, let scenario = state.currentScenario { title += " · \(scenario)" }
        let firing = facts.alerts.filter { $0.state == .firing }
        let top = firing.max { a, b in
            AlertRows.severityRank(a.severity) != AlertRows.severityRank(b.severity)
                ? AlertRows.severityRank(a.severity) < AlertRows.severityRank(b.severity) : a.name > b.name
        }
        return HeaderData(
            title: title, source: facts.sourceName, interval: PromDuration.format(facts.intervalMs),
            lastDataMs: data.lastDataTime, nowMs: facts.now, utcOffsetSeconds: facts.utcOffsetSeconds,
            paused: state.paused, firingCount: firing.count,
            pendingCount: facts.alerts.filter { $0.state == .pending }.count, topAlert: top?.name,
            insecure: facts.insecure, serverInfo: facts.serverInfo,
            range: QueryAnnotations.rangeLabel(rangeMs: state.rangeMs,
                                               windowMs: QueryPlanner.window(rangeMs: state.rangeMs, now: facts.now,
                                                                             historyStart: facts.historyStart),
                                               format: PromDuration.format))
            .travelled(to: state.windowEnd, utcOffsetSeconds: facts.utcOffsetSeconds)
    }

    static func status(_ state: AppState, facts: ScreenFacts, panelErrors: [String]) -> StatusData {
        var hints = Investigation.hints(state) ?? KeyHint.standard
        if facts.demo { hints.insert(KeyHint("s", "scenario"), at: min(hints.count, 6)) }
        let down = facts.targets.filter { $0.health == .down }
        var errors = facts.notices
        errors += down.map { "\($0.job) down: \($0.lastError ?? "no answer")" }
        errors += panelErrors
        var seen: Set<String> = []
        errors = errors.filter { seen.insert($0).inserted }
        let up = facts.targets.filter { $0.health == .up }.count
        return StatusData(errors: state.message == nil ? errors : [], keyHints: hints,
                          targetsUp: facts.targets.isEmpty ? nil : up,
                          targetsTotal: facts.targets.isEmpty ? nil : facts.targets.count, message: state.message)
    }
}

/// The targets view and the full alert list, drawn with the ordinary widgets over the panels.
enum Overlays {
    static func area(in body: Rect) -> Rect {
        let w = max(0, min(body.width - 4, max(60, body.width * 4 / 5)))
        let h = max(0, min(body.height - 2, max(10, body.height * 4 / 5)))
        return Rect(x: body.x + (body.width - w) / 2, y: body.y + (body.height - h) / 2, width: w, height: h)
    }

    static func targets(_ targets: [TargetStatus], sourceName: String, now: Timestamp) -> PanelData {
        let nowDate = Date(timeIntervalSince1970: Double(now) / 1000)
        let rows: [[TableCell]] = targets.map { t in
            let age = t.lastScrape.map { "\(max(0, Int(nowDate.timeIntervalSince($0))))s ago" } ?? "never"
            let took = t.lastDuration.map { String(format: "%.0f ms", $0 * 1000) } ?? "–"
            return [.text(t.job), .text(t.url), .text(t.health.rawValue), .text(age), .text(took),
                    .text("\(t.seriesCount)"), .text(t.lastError ?? "")]
        }
        var pd = PanelData(title: "Targets · \(sourceName)", kind: .table)
        pd.table = TableData(columns: ["job", "url", "health", "last scrape", "took", "series", "error"], rows: rows)
        if targets.isEmpty {
            pd.kind = .text
            pd.text = "No scrape targets: the data comes from \(sourceName)."
        }
        return pd
    }

    static func alerts(_ alerts: [AlertInstance], now: Timestamp) -> PanelData {
        var pd = PanelData(title: "Alerts", kind: .alerts)
        pd.alerts = AlertRows.rows(alerts, now: now)
        if pd.alerts.isEmpty {
            pd.kind = .text
            pd.text = "No alert is pending or firing."
        }
        return pd
    }
}
