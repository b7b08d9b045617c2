@testable import App
import Foundation
import Layouts
import MetricsCore
import Render
import Testing

/// Grafana's overrides, value mappings, colour mode, table transformations and folded rows as drawn.
@Suite struct PanelFieldConfigTests {
    let now: Timestamp = 1_000_000
    let context = MappingContext(now: 1_000_000, intervalMs: 5000, rangeMs: 900_000)

    func data(_ answers: [(String, [([String: String], Double)])]) -> DashboardData {
        var d = DashboardData()
        let instants = answers.map { expr, samples in
            (expr, QueryOutcome.success(.vector(samples.map {
                InstantSample(labels: Labels($0.0), sample: Sample(t: now, v: $0.1))
            })))
        }
        d.apply(FetchResult(startedAt: now, finishedAt: now, instants: instants, ranges: []), rangeMs: 900_000)
        return d
    }

    func binding(_ expr: String, legend: String? = nil) -> TargetBinding {
        TargetBinding(expr: expr, legendFormat: legend, instant: true, range: nil)
    }

    @Test func overridesRenameHideAndSetTheUnit() {
        var p = Panel(title: "Disk", type: .gauge, targets: [Target(expr: "x", legendFormat: "{{device}}")], unit: "Bps")
        p.overrides = [
            FieldOverride(matcher: .name("sda"), displayName: "system"),
            FieldOverride(matcher: .regex("/^sd/"), unit: "bytes", decimals: 1),
            FieldOverride(matcher: .name("loop0"), hidden: true),
        ]
        let d = data([("x", [(["device": "sda"], 1), (["device": "sdb"], 2), (["device": "loop0"], 3)])])
        let pd = PanelMapper.map(ScreenPanel(panel: p, isRow: false), bindings: [binding("x", legend: "{{device}}")],
                                 data: d, context: context)
        #expect(pd.series.map(\.name) == ["system", "sdb"])
        // Every series shown is selected by the unit override: the panel's unit follows it.
        #expect(pd.unit == .bytes && pd.decimals == 1)
    }

    @Test func valueMappingsReplaceTheValueText() {
        var p = Panel(title: "Up", type: .stat, targets: [Target(expr: "up")])
        p.mappings = [ValueMapping(.value("0"), text: "down"), ValueMapping(.value("1"), text: "up")]
        p.colorMode = "none"
        p.thresholds = [Threshold(value: nil, color: "green")]
        let pd = PanelMapper.map(ScreenPanel(panel: p, isRow: false), bindings: [binding("up")],
                                 data: data([("up", [([:], 0)])]), context: context)
        #expect(pd.series.map(\.displayText) == ["down"])
        // A singlestat without colorValue/colorBackground was not coloured.
        #expect(pd.thresholds.isEmpty)
    }

    @Test func mergeAndOrganizeBuildOneRowPerLabelSet() {
        var p = Panel(title: "Versions", type: .table, targets: [Target(expr: "a", refId: "A"), Target(expr: "b", refId: "B")])
        p.transformations = [
            .merge(joinField: nil),
            .organize(excluded: ["job"], renamed: ["Value #A": "Release", "Value #B": "Boot"], order: ["instance": 0]),
        ]
        p.mappings = [ValueMapping(.value("1"), text: "yes")]
        let d = data([
            ("a", [(["instance": "h1", "job": "node"], 1), (["instance": "h2", "job": "node"], 1)]),
            ("b", [(["instance": "h1", "job": "node"], 1700), (["instance": "h2", "job": "node"], 1800)]),
        ])
        let pd = PanelMapper.map(ScreenPanel(panel: p, isRow: false), bindings: [binding("a"), binding("b")],
                                 data: d, context: context)
        #expect(pd.table == TableData(columns: ["instance", "Release", "Boot"], rows: [
            [.text("h1"), .text("yes"), .number(1700)],
            [.text("h2"), .text("yes"), .number(1800)],
        ]))
    }

    @Test func foldedRowsSayHowManyPanelsTheyHide() {
        var row = Panel(title: "Memory", type: .row, children: [Panel(title: "a", type: .stat), Panel(title: "b", type: .stat)])
        row.collapsed = true
        let pd = PanelMapper.map(ScreenPanel(panel: row, isRow: true), bindings: nil, data: DashboardData(), context: context)
        #expect(pd.title == "> Memory (2 panels folded)")
        row.collapsed = false
        #expect(PanelMapper.map(ScreenPanel(panel: row, isRow: true), bindings: nil, data: DashboardData(),
                                context: context).title == "Memory")
    }

    @Test func rowsOpenedWithZNoLongerSayFolded() {
        var row = Panel(title: "Memory", type: .row, children: [Panel(title: "a", type: .stat), Panel(title: "b", type: .stat)])
        row.collapsed = true
        let d = Dashboard(title: "d", panels: [row])
        let title = { (open: Bool) in
            ScreenPanels.flatten(d, rowsOpen: open).map { sp in
                PanelMapper.map(sp, bindings: nil, data: DashboardData(), context: context).title
            }
        }
        #expect(title(false) == ["> Memory (2 panels folded)"])
        #expect(title(true) == ["Memory", "a", "b"])
    }

    @Test func pieChartsAndBarGaugesAreBarLists() {
        var pie = Panel(title: "Modes", type: .barList, targets: [Target(expr: "m")])
        pie.sourceType = "piechart"
        let pd = PanelMapper.map(ScreenPanel(panel: pie, isRow: false), bindings: [binding("m")],
                                 data: data([("m", [([:], 1)])]), context: context)
        #expect(pd.kind == .barList(share: true))
        let bar = Panel(title: "FS", type: .barList)
        #expect(PanelMapper.map(ScreenPanel(panel: bar, isRow: false), bindings: nil, data: DashboardData(),
                                context: context).kind == .barList(share: false))
        let heat = Panel(title: "Buckets", type: .heatmap)
        #expect(PanelMapper.map(ScreenPanel(panel: heat, isRow: false), bindings: nil, data: DashboardData(),
                                context: context).kind == .heatmap)
    }

    @Test func panelsOfAnotherDatasourceSayWhy() {
        var logs = Panel(title: "Logs", type: .graph)
        logs.datasource = "loki"
        logs.skippedTargets = ["A (loki)"]
        let pd = PanelMapper.map(ScreenPanel(panel: logs, isRow: false), bindings: [], data: DashboardData(), context: context)
        #expect(pd.kind == .text && pd.text == "not drawn: datasource loki is not Prometheus")
    }

    @Test func reducersApplyOverTheWindowsHistory() {
        var p = Panel(title: "Load", type: .stat, targets: [Target(expr: "load")])
        p.reducer = "mean"
        var out = PanelData(title: "Load", kind: .stat, series: [
            SeriesData(name: "a", points: [DataPoint(t: 1, v: 1), DataPoint(t: 2, v: 2), DataPoint(t: 3, v: 6)]),
            SeriesData(name: "b", points: [DataPoint(t: 3, v: 7)]),
        ])
        PanelMapper.applyFieldConfig(p, to: &out)
        // With history the mean applies; a series with one point keeps its last value.
        #expect(out.series.map(\.lastValue) == [3, 7])
        #expect(QueryPlanner.needs(p).pointsPerColumn == 1)
    }
}
