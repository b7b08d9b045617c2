@testable import App
import Layouts
import MetricsCore
import Render
import Testing

/// A source whose `restarts` series is 1 for two runs (the events) and 0 elsewhere; every other
/// expression is a flat line at 5. Records the range queries asked.
final class AnnotationSource: QuerySource, @unchecked Sendable {
    let now: Timestamp
    private(set) var ranges: [(String, Int64)] = []
    init(now: Timestamp) { self.now = now }

    var displayName: String { "annotations" }
    func start() {}
    func stop() {}
    func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        .success(.vector([InstantSample(labels: Labels(), sample: Sample(t: time, v: 5))]))
    }
    func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
        ranges.append((expr, step))
        let times = Array(stride(from: start - start % step, through: end, by: Int(step)))
        guard expr.hasPrefix("restarts") else {
            return .success(.matrix([SeriesSamples(labels: Labels(), samples: times.map { Sample(t: $0, v: 5) })]))
        }
        // Active from 5 minutes ago for three steps, and again 2 minutes ago (a zero point between).
        let active = { (t: Timestamp) in (t >= self.now - 300_000 && t < self.now - 240_000) || t == self.now - 120_000 }
        return .success(.matrix([SeriesSamples(labels: Labels(["instance": "db1"]),
                                               samples: times.map { Sample(t: $0, v: active($0) ? 1 : 0) })]))
    }
    func targets() -> [TargetStatus] { [] }
    func serverInfo() -> String? { nil }
    func setDataHandler(_ handler: @escaping @Sendable () -> Void) {}
}

@Suite struct GrafanaAnnotationTests {
    let now: Timestamp = 1_800_000_000_000

    static let text = #"""
    {"schemaVersion": 39, "title": "A",
     "templating": {"list": [{"name": "job", "type": "constant", "query": "db"}]},
     "annotations": {"list": [
       {"builtIn": 1, "datasource": {"type": "datasource", "uid": "grafana"}, "enable": true, "name": "Annotations & Alerts"},
       {"datasource": {"type": "prometheus", "uid": "p"}, "enable": true, "expr": "restarts{job=\"$job\"}",
        "name": "Restart", "iconColor": "rgba(224, 47, 68, 1)", "titleFormat": "{{instance}} restarted", "step": "60s"},
       {"datasource": {"type": "loki", "uid": "l"}, "enable": true, "expr": "{job=\"x\"}", "name": "Logs"}]},
     "panels": [{"type": "timeseries", "title": "Load", "gridPos": {"x": 0, "y": 0, "w": 24, "h": 8},
                 "targets": [{"expr": "load"}]}]}
    """#

    @Test func runsOfActivePointsBecomeEventsWhereTheyStart() {
        let samples = [0, 1, 1, 0, 0, 1, .nan, 2].enumerated().map { Sample(t: Int64($0.offset) * 60_000, v: $0.element) }
        #expect(GrafanaAnnotationMarkers.eventStarts(samples, stepMs: 60_000) == [60_000, 300_000, 420_000])
        // A wider step joins points two steps apart into one region.
        #expect(GrafanaAnnotationMarkers.eventStarts(samples, stepMs: 240_000) == [60_000])
        #expect(GrafanaAnnotationMarkers.color(of: "rgba(224, 47, 68, 1)") == .red)
        #expect(GrafanaAnnotationMarkers.color(of: "purple") == .magenta)
        #expect(GrafanaAnnotationMarkers.color(of: "rgba(nonsense)") == .cyan)
    }

    func state() throws -> AppState {
        let d = try LayoutLoader.decode(Self.text, file: "a.json").dashboard
        return AppState(layouts: [LayoutEntry(name: "a", dashboard: d)], rangeMs: 600_000)
    }

    @Test func braceKeysJumpToAnnotationEvents() async throws {
        var state = try state()
        state.currentView.zoomed = 0
        let d = state.layouts[0].dashboard
        let markers = await GrafanaAnnotationMarkers.fetch(d, source: AnnotationSource(now: now), end: now, rangeMs: 600_000,
                                                           intervalMs: 15_000, expand: { $0.replacingOccurrences(of: "$job", with: "db") })
        #expect(markers.map(\.t) == [now - 300_000, now - 120_000])
        #expect(markers.map(\.label) == ["A Restart: db1 restarted", "A Restart: db1 restarted"])
        var memory = InvestigationMemory()
        var context = ReduceContext(panelRects: [], variableOptions: [])
        let geo = ScreenComposer.geometry(state, width: 60, height: 10)
        memory.fill(&context, state: state, geo: geo, data: DashboardData(), now: now, utcOffsetSeconds: 0,
                    windowMs: 600_000, annotations: markers)
        _ = Reducer.reduce(&state, .jumpMarker(-1), context: context)
        #expect(state.currentView.cursor == now - 120_000)
        _ = Reducer.reduce(&state, .jumpMarker(-1), context: context)
        #expect(state.currentView.cursor == now - 300_000)
        _ = Reducer.reduce(&state, .jumpMarker(-1), context: context)
        #expect(state.message == "no earlier alert transition or annotation")
    }

    @Test func theCursorOnAnAnnotationNamesItInTheLegendBox() async throws {
        var state = try state()
        state.currentView.zoomed = 0
        state.currentView.cursor = now - 300_000
        let source = AnnotationSource(now: now)
        let request = Snapshot.Request(state: state, settings: SessionSettings(intervalMs: 15_000), width: 72,
                                       height: 10, caps: .full, afterMs: 0)
        let lines = await Snapshot.frame(request, source: source, alerts: nil, now: now, clock: .fixed(now),
                                         utcOffsetSeconds: 0).lines
        // The annotation's own step, its variables expanded.
        #expect(source.ranges.filter { $0.0.hasPrefix("restarts") }.map(\.1) == [60_000])
        #expect(source.ranges.map(\.0).contains(#"restarts{job="db"}"#))
        // Markers (A) at both events on the time axis; the cursor's box names the one under it.
        #expect(lines == [
            " LOOKOUT  A   every 15s · 08:00:00 (0s ago) · range 10m        0 firing ",
            "┏ Load · cursor 07:55:00 ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
            "┃5.5                                  │ ┌ 07:55:00 ────────────────┐   ┃",
            "┃                                     │ │ ● load  5                │   ┃",
            "┃    ⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉│⠉│ A Restart: db1 restarted │⠉⠉⠉┃",
            "┃4.5                                  │ └──────────────────────────┘   ┃",
            "┃               07:52        07:54    A    07:56        0A:58     (10m)┃",
            "┃ ● load  last 5  min 5  max 5  mean 5                                 ┃",
            "┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛",
            " ←→ H L cursor · [ ] pan · 0 live · / filter · ↑↓ x series · ? help     ",
        ])
    }
}
