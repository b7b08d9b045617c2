import App
import Foundation
import Layouts
import MetricsCore
import Render
import Rules
import Testing

/// The investigation layer through the real composition (snapshot path, fake source): the travelled
/// window, the explore view, the inspector, completion and markers.
@Suite struct InvestigateScreenTests {
    let now: Timestamp = 1_800_000_000_000

    func frame(_ state: AppState, source: FakeQuerySource = FakeQuerySource(), width: Int = 100, height: Int = 30) async -> Buffer {
        let request = Snapshot.Request(state: state, settings: SessionSettings(intervalMs: 5000), width: width,
                                       height: height, caps: .full, afterMs: 0)
        return await Snapshot.frame(request, source: source, alerts: nil, now: now, clock: .fixed(now), utcOffsetSeconds: 0)
    }

    @Test func aTravelledWindowIsFetchedThereAndTheHeaderSaysNotLive() async {
        var s = Fixtures.state()
        s.windowEnd = now - 7_200_000
        let source = FakeQuerySource()
        let lines = await frame(s, source: source).lines
        #expect(lines[0].contains("NOT LIVE · at 06:00:00"))
        // Every range query ends at the travelled time (aligned to its step), none at the present.
        #expect(!source.rangeCalls.isEmpty)
        #expect(source.rangeCalls.allSatisfy { $0.2 <= now - 7_200_000 && $0.2 > now - 7_200_000 - 60_000 })
    }

    @Test func refreshesOfATravelledWindowAskOnlyWhatIsMissing() async {
        let past = now - 3_600_000
        let stat = ScreenPanel(panel: Fixtures.panel("A", .stat, x: 0, y: 0, w: 12, h: 4, exprs: ["a"]), isRow: false)
        let rect = Rect(x: 0, y: 1, width: 40, height: 6)
        func plan(refill: Bool, _ data: DashboardData) -> QueryPlan {
            QueryPlanner.plan(QueryPlanner.Input(panels: [(stat, rect)], now: past, rangeMs: 60_000,
                                                 historyEnds: data.historyEnds, refill: refill))
        }
        var data = DashboardData()
        let first = plan(refill: true, data)
        #expect(first.instants == ["a"] && first.ranges.count == 1)
        data.apply(await Fetcher.run(first, on: FakeQuerySource(), now: past, clock: { now }), rangeMs: 60_000)
        // The next refresh of the same past window: the history reaches its end, the instant is answered.
        let again = plan(refill: false, data)
        #expect(again.ranges.isEmpty)
        #expect(Investigation.missingOnly(again, travelled: true, refill: false, data: data).isEmpty)
        // Live, the instant is asked every time; a refill (pan, r) asks everything.
        #expect(Investigation.missingOnly(again, travelled: false, refill: false, data: data).instants == ["a"])
        #expect(Investigation.missingOnly(first, travelled: true, refill: true, data: data) == first)
    }

    @Test func theZoomedLegendNamesFollowFilterAndSortForTheToggleKey() async {
        var s = AppState(layouts: [LayoutEntry(name: "l", dashboard: Dashboard(title: "T", panels: [
            Fixtures.panel("By handler", .graph, x: 0, y: 0, w: 24, h: 8, exprs: ["rate(x{handler!=\"\"}[1m])"],
                           legend: "{{handler}}"),
        ]))], rangeMs: 15 * 60_000)
        s.currentView.zoomed = 0
        let geo = ScreenComposer.geometry(s, width: 100, height: 30)
        let plan = QueryPlanner.plan(QueryPlanner.Input(panels: Array(zip(geo.panels, geo.rects)).map { ($0.0, $0.1) },
                                                        now: now, rangeMs: s.rangeMs, refill: true))
        var data = DashboardData()
        data.apply(await Fetcher.run(plan, on: FakeQuerySource(), now: now, clock: { now }), rangeMs: s.rangeMs)
        func names() -> [String] {
            Investigation.legendNames(state: s, geo: geo, plan: plan, data: data, now: now, intervalMs: 5000)
        }
        #expect(names() == ["/api/auth/login", "/api/files/upload", "/api/user/profile"])
        s.currentView.filters[0] = "files|user"
        #expect(names() == ["/api/files/upload", "/api/user/profile"])
    }

    @Test func theExploreViewDrawsTheExpressionFullScreenAsGraphOrTable() async {
        var s = Fixtures.state()
        s.explore = ExploreState(expr: "rate(x_total[1m])")
        let source = FakeQuerySource()
        let graph = await frame(s, source: source).lines
        #expect(graph[1].hasPrefix("┏ rate(x_total[1m]) ━"))
        #expect(source.rangeCalls.map(\.0) == ["rate(x_total[1m])"])
        s.explore?.instant = true
        let table = await frame(s).lines
        #expect(table[2].contains("Series") && table[2].contains("Value"))
    }

    @Test func theHelpListsEveryKeyEvenAt80x24InTwoColumns() async {
        var s = Fixtures.state()
        s.overlay = .help
        let text = await frame(s, width: 80, height: 24).lines.joined(separator: "\n")
        for entry in KeyMap.helpEntries(demo: false) {
            #expect(text.contains(entry.key), "help lacks \(entry.key):\n\(text)")
        }
        #expect(text.contains("? or Esc to close"))
    }

    @Test func theInspectorShowsTheSelectedPanelsExpressionAndSource() async {
        var s = Fixtures.state()
        s.currentView.selected = 1
        s.overlay = .inspector
        let text = await frame(s).lines.joined(separator: "\n")
        #expect(text.contains("Inspect: B"))
        #expect(text.contains("fake · step"))
        #expect(text.contains("1 series"))
        // The raw rows: the legend (here the expression: no labels, no format), the labels, the last value.
        #expect(text.contains(/┃ b  \{\}  [0-9.]+ +┃/))
    }

    @Test func completionKnowsWhereTheCaretIs() {
        var v = CompletionVocabulary()
        v.metrics = ["http_requests_total", "http_request_duration_seconds_bucket", "up"]
        v.labelNames["http_requests_total"] = ["handler", "status"]
        v.labelValues["http_requests_total handler"] = ["/api/a", "/api/b"]
        #expect(Completion.candidates("rate(http_req", caret: 13, vocabulary: v).map(\.0)
            == ["http_requests_total", "http_request_duration_seconds_bucket"])
        #expect(Completion.candidates("histogram_q", caret: 11, vocabulary: v).map(\.0) == ["histogram_quantile", "histogram_quantiles"])
        #expect(Completion.slot("http_requests_total{ha", caret: 22) == .labelName(metric: "http_requests_total"))
        #expect(Completion.candidates("http_requests_total{ha", caret: 22, vocabulary: v).map(\.0) == ["handler"])
        #expect(Completion.slot("http_requests_total{handler=\"/api", caret: 32)
            == .labelValue(metric: "http_requests_total", label: "handler"))
        #expect(Completion.candidates("http_requests_total{handler=\"/api", caret: 32, vocabulary: v).map(\.0) == ["/api/a", "/api/b"])
        #expect(Completion.parseError("sum(rate(x[1m])")?.column == 16)
        #expect(Completion.parseError("sum(rate(x[1m]))") == nil)
        #expect(Completion.parseError("time -2h") == nil)
    }

    @Test func alertTransitionsBecomeMarkersOnGraphsSharingAMetricOrOnEveryExecutiveGraph() {
        var log = AnnotationLog()
        let fired = Date(timeIntervalSince1970: 1_800_000_000)
        let alert = AlertInstance(name: "HighErrorRate", state: .firing, labels: Labels(["severity": "critical"]),
                                  activeAt: fired.addingTimeInterval(-60), firedAt: fired)
        let first = log.observe([alert])
        let again = log.observe([alert])
        #expect(first && !again)
        #expect(log.transitions.map(\.letter) == ["P", "F"])
        let rules = ["HighErrorRate": "sum(rate(http_requests_total{status=~\"5..\"}[1m])) > 1"]
        let sharing = Investigation.markersForTests(["rate(http_requests_total[1m])"], layout: "technical",
                                                    log.transitions, rules)
        #expect(sharing.map(\.letter) == ["P", "F"])
        #expect(sharing.last?.color == .red)
        #expect(sharing.last?.label == "F HighErrorRate")
        #expect(Investigation.markersForTests(["node_load1"], layout: "technical", log.transitions, rules).isEmpty)
        #expect(Investigation.markersForTests(["node_load1"], layout: "executive", log.transitions, [:]).count == 2)
    }

    @Test func theSameAlertsObservedAgainAddNothingAndTheirNextTransitionIsStillSeen() {
        var log = AnnotationLog()
        let fired = Date(timeIntervalSince1970: 1_800_000_000)
        var alert = AlertInstance(name: "HighErrorRate", state: .firing, labels: Labels(["severity": "critical"]),
                                  value: 0.02, activeAt: fired.addingTimeInterval(-60), firedAt: fired)
        let added1 = log.observe([alert])
        #expect(added1)
        alert.value = 0.03
        let added2 = log.observe([alert])
        #expect(!added2)
        alert.resolvedAt = fired.addingTimeInterval(120)
        let added3 = log.observe([alert])
        #expect(added3)
        #expect(log.transitions.map(\.letter) == ["P", "F", "R"])
        // Another alert beside it, with the same name and other labels, brings its own marks.
        let other = AlertInstance(name: "HighErrorRate", state: .pending, labels: Labels(["severity": "warning"]),
                                  activeAt: fired.addingTimeInterval(130))
        let added4 = log.observe([alert, other])
        #expect(added4)
        #expect(log.transitions.map(\.letter) == ["P", "F", "R", "P"])
        let added5 = log.observe([alert, other])
        #expect(!added5)
    }

    @Test func savePanelAppendsToTheUsersOwnLayoutFile() throws {
        let file = NSTemporaryDirectory() + "lookout-saved-\(UUID().uuidString)/saved.json"
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        #expect(Investigation.saveForTests(name: "errors", expr: "rate(x[1m])", to: file) == "saved \"errors\" to \(file)")
        _ = Investigation.saveForTests(name: "up", expr: "up", to: file)
        let dashboard = try LayoutLoader.load(file: file)
        #expect(dashboard.panels.map(\.title) == ["errors", "up"])
        #expect(dashboard.panels.map { $0.targets.first?.expr } == ["rate(x[1m])", "up"])
        try Data("[1, 2]".utf8).write(to: URL(fileURLWithPath: file))
        #expect(Investigation.saveForTests(name: "x", expr: "x", to: file) == "save: \(file) is not a Lookout layout; left unchanged")
    }
}
