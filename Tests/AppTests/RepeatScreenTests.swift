@testable import App
import Layouts
import MetricsCore
import Render
import Testing

/// Grafana's `repeat` on the live screen and in snapshots: one copy per selected value, `$var` bound per copy.
@Suite struct RepeatScreenTests {
    let now: Timestamp = 1_800_000_000_000

    /// A stat repeated over `$instance` (All of the values the source lists), then a row repeated over a
    /// multi-value custom `$disk` with two of its three values selected.
    static let text = #"""
    {"schemaVersion": 39, "title": "R",
     "templating": {"list": [
       {"name": "instance", "type": "query", "query": "label_values(up, instance)", "includeAll": true,
        "multi": true, "current": {"value": ["$__all"]}},
       {"name": "disk", "type": "custom", "query": "sda,sdb,sdc", "multi": true,
        "current": {"value": ["sda", "sdc"]}}]},
     "panels": [
       {"type": "stat", "title": "Up $instance", "repeat": "instance", "gridPos": {"x": 0, "y": 0, "w": 24, "h": 4},
        "targets": [{"expr": "up{instance=\"$instance\"}"}]},
       {"type": "row", "title": "Disk $disk", "repeat": "disk", "gridPos": {"x": 0, "y": 4, "w": 24, "h": 1}, "panels": []},
       {"type": "stat", "title": "IO $disk", "gridPos": {"x": 0, "y": 5, "w": 24, "h": 4},
        "targets": [{"expr": "io{device=\"$disk\"}"}]}]}
    """#

    func state() throws -> AppState {
        let d = try LayoutLoader.decode(Self.text, file: "repeat.json").dashboard
        return AppState(layouts: [LayoutEntry(name: "r", dashboard: d)], rangeMs: 3_600_000)
    }

    func source() -> TableSource {
        TableSource(["count by (instance) (up)": [Labels(["instance": "a"]), Labels(["instance": "b"])]])
    }

    @Test func theSnapshotDrawsOneCopyPerValueWithItsOwnQuery() async throws {
        let source = source()
        let request = Snapshot.Request(state: try state(), settings: SessionSettings(intervalMs: 5000), width: 60,
                                       height: 24, caps: .full, afterMs: 0)
        _ = await Snapshot.frame(request, source: source, alerts: nil, now: now, clock: .fixed(now), utcOffsetSeconds: 0)
        // Each copy asks for its own value; the row's panel once per selected disk.
        #expect(Set(source.asked.filter { !$0.hasPrefix("count") }) == [
            #"up{instance="a"}"#, #"up{instance="b"}"#, #"io{device="sda"}"#, #"io{device="sdc"}"#,
        ])
    }

    @Test func theScreenListsTheCopiesInReadingOrder() async throws {
        var state = try state()
        let discovered = await Expansion.discover(state.layouts[0].dashboard, source: source(), at: now,
                                                  intervalMs: 5000, state: state)
        Expansion.updateRepeats(&state, layout: 0, intervalMs: 5000, discovered: discovered)
        #expect(state.views[0].repeatValues == ["instance": ["a", "b"], "disk": ["sda", "sdc"]])
        let geo = ScreenComposer.geometry(state, width: 120, height: 24)
        #expect(geo.panels.map(\.panel.title) == ["Up a", "Up b", "Disk sda", "IO sda", "Disk sdc", "IO sdc"])
        #expect(geo.panels.map(\.isRow) == [false, false, true, false, true, false])
        // Two stats side by side (12 columns each), then the rows stacked.
        #expect(geo.rects.map(\.width) == [60, 60, 120, 120, 120, 120])
        // Without values the panels are drawn once, as written.
        state.views[0].repeatValues = [:]
        #expect(ScreenComposer.geometry(state, width: 120, height: 24).panels.map(\.panel.title)
            == ["Up $instance", "Disk $disk", "IO $disk"])
    }
}
