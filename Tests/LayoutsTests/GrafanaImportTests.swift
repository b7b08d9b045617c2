import Foundation
import Testing
@testable import Layouts

/// Grafana shapes that Grafana loads (and migrates): each fixture under Fixtures/grafana is one shape.
@Suite struct GrafanaImportTests {
    static func load(_ name: String) throws -> LoadedLayout {
        try LayoutLoader.loadDetailed(file: Paths.fixture("grafana/\(name)"))
    }

    @Test func oddValuesAreWarningsNotErrors() throws {
        let layout = try Self.load("odd-values.json")
        let file = Paths.fixture("grafana/odd-values.json")
        #expect(layout.warnings.map(\.description) == [
            "\(file): panels[0].fieldConfig.defaults.thresholds.steps: warning: expected an array, found an empty string; read as none (Grafana loads it)",
            "\(file): panels[3].gridPos: warning: x=20 y=4 w=30 h=0 does not fit the 24-column grid; placed at x=0 y=4 w=24 h=1 as Grafana does",
            "\(file): panels[3].content: warning: expected a string, found an array; ignored (Grafana loads it)",
        ])
        let d = layout.dashboard
        #expect(d.refresh == nil && d.timeRange == 3_600_000)
        #expect(d.panels.map(\.title) == ["grafanalib stat", "42", "mixed", "wide"])
        let stat = d.panels[0]
        #expect(stat.gridPos == GridPos(x: 0, y: 0, w: 8, h: 4))
        #expect(stat.unit == nil && stat.decimals == nil && stat.min == 0 && stat.max == nil && stat.thresholds.isEmpty)
        #expect(stat.datasource == "prometheus")
        #expect(stat.targets == [Target(expr: "up{job=\"$VAR_JOB\"}", refId: "A")])
        // A Loki query is not PromQL: it is named, not parsed.
        #expect(d.panels[1].datasource == "loki" && d.panels[1].targets.isEmpty)
        #expect(d.panels[1].skippedTargets == ["A (loki)"])
        #expect(d.panels[2].targets.map(\.refId) == ["A"])
        #expect(d.panels[2].skippedTargets == ["B (testdata)", "C (no PromQL expr)"])
        #expect(d.panels[3].gridPos == GridPos(x: 0, y: 4, w: 24, h: 1) && d.panels[3].content == nil)
        // A constant `__inputs` entry is a variable with the value the file offers.
        #expect(d.variables.map(\.name) == ["VAR_JOB"])
        #expect(Templating.defaultValues(for: d.variables)["VAR_JOB"] == "node")
        #expect(!LayoutChecker.hasErrors(LayoutChecker().check(file: file)))
    }

    @Test func grafanalibStepsDoNotReject() throws {
        let text = #"{"panels": [{"type": "stat", "datasource": "prom", "fieldConfig": {"defaults": {"thresholds": {"steps": ""}}}}]}"#
        let layout = try LayoutLoader.decode(text, file: "g.json")
        #expect(layout.dialect == .grafana)
        #expect(layout.warnings.count == 1)
        #expect(layout.dashboard.panels[0].thresholds.isEmpty)
    }

    @Test func legacyRowsMigrateToTheGrid() throws {
        let d = try Self.load("legacy-rows.json").dashboard
        #expect(d.panels.map(\.title) == ["Overview", "Details", "Spans"])
        #expect(d.panels.map(\.type) == [.row, .row, .row])
        let overview = d.panels[0]
        #expect(overview.gridPos == GridPos(x: 0, y: 0, w: 24, h: 1) && !overview.collapsed)
        // span 3 → 6 columns; "250px" → ceil(250 / 38) = 7 rows; height 400 → 11 rows.
        #expect(overview.children.map(\.gridPos) == [
            GridPos(x: 0, y: 1, w: 6, h: 7), GridPos(x: 6, y: 1, w: 6, h: 7), GridPos(x: 12, y: 1, w: 12, h: 11),
        ])
        #expect(overview.children.map(\.path) == ["rows[0].panels[0]", "rows[0].panels[1]", "rows[0].panels[2]"])
        // The next row started at y 8 (after the row's 7), under the taller graph: pushed down to 12.
        let details = d.panels[1]
        #expect(details.collapsed && details.gridPos == GridPos(x: 0, y: 12, w: 24, h: 1))
        #expect(details.children.map(\.title) == ["Filesystems", "Notes"])
        #expect(details.children.map(\.gridPos) == [GridPos(x: 0, y: 9, w: 24, h: 8), GridPos(x: 0, y: 17, w: 8, h: 8)])
        // Spans 8 + 8 do not fit one line of 24 with the second: it wraps; c (span 4 by default) fills the gap.
        let spans = d.panels[2]
        #expect(spans.children.map(\.title) == ["a", "c", "b"])
        #expect(spans.children.map(\.gridPos) == [
            GridPos(x: 0, y: 14, w: 16, h: 3), GridPos(x: 16, y: 14, w: 8, h: 3), GridPos(x: 0, y: 17, w: 16, h: 3),
        ])
    }

    @Test func oldDashboardsWithoutSchemaVersionAreGrafanas() throws {
        let text = #"{"title": "old", "rows": [{"panels": [{"type": "graph", "title": "g", "span": 12, "targets": [{"expr": "up"}]}]}]}"#
        let layout = try LayoutLoader.decode(text, file: "old.json")
        #expect(layout.dialect == .grafana)
        // No row shows a title, none is collapsed: no row header, the panel placed at the top, 250 px high.
        #expect(layout.dashboard.panels.map(\.gridPos) == [GridPos(x: 0, y: 0, w: 24, h: 7)])
    }

    @Test func gridHeightFollowsGrafana() {
        #expect(DecodeContext.gridHeight(pixels: 250) == 7)
        #expect(DecodeContext.gridHeight(pixels: 38) == 3)  // at least 90 px
        #expect(DecodeContext.gridHeight(pixels: 266) == 7)
        #expect(DecodeContext.gridHeight(pixels: 267) == 8)
    }

    @Test func singlestatMigratesLikeGrafana() throws {
        let overview = try Self.load("legacy-rows.json").dashboard.panels[0].children
        let disk = overview[0]
        #expect(disk.type == .stat && disk.sourceType == "singlestat")
        #expect(disk.unit == "percentunit" && disk.decimals == 1)
        #expect(disk.thresholds == [Threshold(value: nil, color: "#299c46"), Threshold(value: 0.5, color: "#ed8128"),
                                    Threshold(value: 0.8, color: "#d44a3a")])
        #expect(disk.colorMode == "background" && disk.reducer == "mean" && disk.showSparkline == true)
        #expect(disk.mappings == [ValueMapping(.null, text: "N/A"), ValueMapping(.value("1"), text: "full")])
        #expect(disk.datasource == "prom")
        let load = overview[1]
        #expect(load.type == .gauge && load.min == 0 && load.max == 8)
        #expect(load.colorMode == "value" && load.reducer == "lastNotNull" && load.thresholds.isEmpty)
        let traffic = overview[2]
        #expect(traffic.type == .graph && traffic.unit == "Bps" && traffic.min == 0 && traffic.max == nil)
        #expect(traffic.decimals == 2 && traffic.showLegend == false)
    }

    @Test func tableStylesBecomeOverrides() throws {
        let table = try Self.load("legacy-rows.json").dashboard.panels[1].children[0]
        #expect(table.type == .table)
        #expect(table.unit == "short" && table.decimals == 2)
        #expect(table.overrides == [
            FieldOverride(matcher: .name("Time"), hidden: true),
            FieldOverride(matcher: .name("Value"), unit: "bytes", decimals: 0,
                          thresholds: [Threshold(value: nil, color: "green"), Threshold(value: 1e9, color: "yellow"),
                                       Threshold(value: 1e10, color: "red")], displayName: "Size"),
        ])
    }

    @Test func markdownBecomesPlainText() throws {
        let notes = try Self.load("legacy-rows.json").dashboard.panels[1].children[1]
        #expect(notes.content == "About\nThis row lists filesystems (https://example.org/fs).\n\n• one\n• two")
        #expect(MarkupText.plain("<p>Disk <b>busy</b> &amp; slow</p><ul><li>a</li><li>b</li></ul>", html: true)
                == "Disk busy & slow\n• a\n• b")
        #expect(MarkupText.plain("```\ncode\n```\n> quoted `x` and ![img](u.png) _em_ snake_case")
                == "code\nquoted x and img em snake_case")
    }
}

@Suite struct GrafanaFieldConfigTests {
    @Test func overridesByNameAndRegex() throws {
        let layout = try GrafanaImportTests.load("field-config.json")
        let disk = layout.dashboard.panels[0]
        #expect(disk.unit == "Bps")
        let steps = [Threshold(value: nil, color: "green"), Threshold(value: 100, color: "red")]
        #expect(disk.overrides == [
            FieldOverride(matcher: .name("sda read"), unit: "bytes", displayName: "system disk"),
            FieldOverride(matcher: .regex("/.*write/i"), decimals: 1, thresholds: steps),
        ])
        #expect(FieldOverride.resolved(disk.overrides, for: "sda read")
                == FieldOverride(matcher: .name("sda read"), unit: "bytes", displayName: "system disk"))
        #expect(FieldOverride.resolved(disk.overrides, for: "SDB WRITE").decimals == 1)
        #expect(FieldOverride.resolved(disk.overrides, for: "sdb read") == FieldOverride(matcher: .name("sdb read")))
        #expect(!FieldOverride(matcher: .regex("([")).matches("x"))
    }

    @Test func valueMappingsOfEveryForm() throws {
        let up = try GrafanaImportTests.load("field-config.json").dashboard.panels[1]
        #expect(up.colorMode == "background" && up.reducer == "mean")
        #expect(up.mappings == [
            ValueMapping(.value("0"), text: "down", color: "red"), ValueMapping(.value("1"), text: "up", color: "green"),
            ValueMapping(.range(from: 2, to: 10), text: "many"), ValueMapping(.nullOrNaN, text: "no data"),
            ValueMapping(.value("5"), text: "five (7.0 form)"),
        ])
        let text = { (v: Double?) in ValueMapping.first(up.mappings, for: v)?.text }
        #expect(text(0) == "down" && text(1) == "up" && text(5) == "many" && text(10) == "many")
        #expect(text(nil) == "no data" && text(.nan) == "no data" && text(11) == nil && text(0.5) == nil)
    }

    @Test func grafana6FieldOptions() throws {
        let gauge = try GrafanaImportTests.load("field-config.json").dashboard.panels[2]
        #expect(gauge.type == .gauge && gauge.reducer == "lastNotNull")
        #expect(gauge.unit == "short" && gauge.min == 0 && gauge.max == 16 && gauge.decimals == 1)
        #expect(gauge.thresholds == [Threshold(value: nil, color: "green"), Threshold(value: 8, color: "red")])
        #expect(gauge.mappings == [ValueMapping(.null, text: "N/A")])
    }

    @Test func tableTransformations() throws {
        let table = try GrafanaImportTests.load("field-config.json").dashboard.panels[3]
        #expect(table.transformations == [
            .merge(joinField: nil),
            .organize(excluded: ["Time", "__name__"], renamed: ["release": "Kernel", "Value #B": "Boot"],
                      order: ["instance": 0, "release": 1]),
            .unsupported("calculateField"),
        ])
    }

    @Test func panelTypesAndPlaceholders() throws {
        let layout = try GrafanaImportTests.load("field-config.json")
        let d = layout.dashboard
        #expect(d.panels.map(\.type) == [.graph, .stat, .gauge, .table, .heatmap, .barList, .barList,
                                          .unsupported("grafana-worldmap-panel")])
        #expect(d.panels.map(\.sourceType) == ["timeseries", nil, nil, nil, nil, nil, "piechart", nil])
        // The Grafana 6 gauge overlapped the first row by one: pushed down, never hidden.
        #expect(d.panels[2].gridPos == GridPos(x: 0, y: 8, w: 8, h: 6))
        #expect(layout.warnings.map(\.description) == [
            "\(Paths.fixture("grafana/field-config.json")): panels[2]: warning: overlaps panels[0] (\"Disk\"); moved down to y=8 as Grafana does",
        ])
    }
}

@Suite struct GrafanaGridTests {
    @Test func overlapsArePushedDownAndGapsClose() throws {
        let layout = try GrafanaImportTests.load("overlap.json")
        let d = layout.dashboard
        #expect(d.panels.map(\.title) == ["A", "C", "B", "D"])
        #expect(d.panels.map(\.gridPos) == [
            GridPos(x: 0, y: 0, w: 12, h: 4), GridPos(x: 0, y: 4, w: 6, h: 2),
            GridPos(x: 6, y: 4, w: 12, h: 4), GridPos(x: 6, y: 8, w: 12, h: 4),
        ])
        let file = Paths.fixture("grafana/overlap.json")
        #expect(layout.warnings.map(\.description) == [
            "\(file): panels[1]: warning: overlaps panels[0] (\"A\"); moved down to y=4 as Grafana does",
            "\(file): panels[3]: warning: overlaps panels[1] (\"B\"); moved down to y=8 as Grafana does",
        ])
        // Resolved positions do not overlap: the checker has nothing to report as an error.
        #expect(!LayoutChecker.hasErrors(LayoutChecker().check(file: file)))
    }

    @Test func manyPanelsAtOnePlaceStackQuickly() throws {
        // An outsider's file: 1000 panels written at the same place end up stacked (one sweep per panel).
        let panel = #"{"type": "stat", "gridPos": {"x": 0, "y": 0, "w": 24, "h": 2}}"#
        let text = #"{"schemaVersion": 39, "panels": ["# + Array(repeating: panel, count: 1000).joined(separator: ",") + "]}"
        let d = try LayoutLoader.decode(text, file: "many.json").dashboard
        #expect(d.panels.count == 1000)
        #expect(d.panels.last?.gridPos == GridPos(x: 0, y: 1998, w: 24, h: 2))
    }

    @Test func repeatsExpandOverSelectedValues() throws {
        let d = try GrafanaImportTests.load("repeat.json").dashboard
        #expect(d.panels.map(\.repeatVariable) == ["instance", nil, "device"])
        #expect(d.panels[2].children.map(\.repeatVariable) == [nil, "instance"])
        #expect(d.panels[2].children[1].repeatDirection == .vertical && d.panels[0].maxPerRow == 2)
        let e = expandRepeats(d, values: ["instance": ["a", "b", "c"], "device": ["sda", "sdb"]])
        #expect(e.panels.map(\.title) == ["Up a", "Up b", "Up c", "After", "Disk sda", "Disk sdb"])
        // maxPerRow 2: two copies of 12 columns per line, the third on the next; what followed moves down.
        #expect(e.panels.prefix(4).map(\.gridPos) == [
            GridPos(x: 0, y: 0, w: 12, h: 4), GridPos(x: 12, y: 0, w: 12, h: 4), GridPos(x: 0, y: 4, w: 12, h: 4),
            GridPos(x: 0, y: 8, w: 24, h: 5),
        ])
        #expect(e.panels.prefix(3).map { $0.targets[0].expr } == [
            "up{instance=\"a\"}", "up{instance=\"b\"}", "up{instance=\"c\"}",
        ])
        #expect(e.panels.prefix(3).map(\.path) == ["panels[0]", "panels[0][instance=b]", "panels[0][instance=c]"])
        let sdb = e.panels[5]
        #expect(sdb.children.map(\.title) == ["IO sdb", "Stacked a", "Stacked b", "Stacked c"])
        #expect(sdb.children[0].targets[0].expr == "rate(node_disk_io_time_seconds_total{device=\"sdb\"}[5m])")
        // Vertical repeats stack in their column.
        #expect(e.panels[4].children.map(\.gridPos) == [
            GridPos(x: 0, y: 14, w: 12, h: 5), GridPos(x: 12, y: 14, w: 12, h: 2),
            GridPos(x: 12, y: 16, w: 12, h: 2), GridPos(x: 12, y: 18, w: 12, h: 2),
        ])
        #expect(e.panels[4].gridPos?.y == 13 && sdb.gridPos?.y == 20)
        // No repeat selected: the dashboard is unchanged.
        #expect(expandRepeats(d, values: [:]) == d)
    }
}

@Suite struct ValueReducerTests {
    @Test func reducersAsGrafanaComputesThem() {
        let v: [Double] = [4, .nan, 2, 6, 1]
        #expect(ValueReducer.reduce(v, "mean") == 3.25)
        #expect(ValueReducer.reduce(v, "max") == 6 && ValueReducer.reduce(v, "min") == 1)
        #expect(ValueReducer.reduce(v, "sum") == 13 && ValueReducer.reduce(v, "count") == 4)
        #expect(ValueReducer.reduce(v, "firstNotNull") == 4 && ValueReducer.reduce(v, "lastNotNull") == 1)
        #expect(ValueReducer.reduce(v, "range") == 5 && ValueReducer.reduce(v, "diff") == -3)
        // delta: increases added up, a drop counted as a counter reset (4 → 2 adds 2, 2 → 6 adds 4, 6 → 1 adds 1).
        #expect(ValueReducer.reduce(v, "delta") == 7)
        #expect(ValueReducer.reduce([.nan], "mean") == nil)
        #expect(ValueReducer.needsHistory("mean") && !ValueReducer.needsHistory("lastNotNull"))
        #expect(!ValueReducer.needsHistory("stdDev") && !ValueReducer.needsHistory(nil))
    }
}
