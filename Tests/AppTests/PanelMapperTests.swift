import App
import Foundation
import Layouts
import MetricsCore
import Render
import Rules
import Testing

@Suite struct PanelMapperTests {
    let now: Timestamp = 1_000_000
    let context = MappingContext(now: 1_000_000, intervalMs: 5000, rangeMs: 900_000)

    func stat(_ expr: String = "up", legend: String? = nil) -> ScreenPanel {
        var p = Panel(title: "Up", type: .stat, targets: [Target(expr: expr, legendFormat: legend)], unit: "percent",
                      thresholds: [Threshold(value: nil, color: "green"), Threshold(value: 80, color: "red")])
        p.showSparkline = false
        return ScreenPanel(panel: p, isRow: false)
    }

    func data(_ expr: String, _ outcome: QueryOutcome, at t: Timestamp) -> DashboardData {
        var d = DashboardData()
        d.apply(FetchResult(startedAt: t, finishedAt: t, instants: [(expr, outcome)], ranges: []), rangeMs: 900_000)
        return d
    }

    let binding = [TargetBinding(expr: "up", legendFormat: nil, instant: true, range: nil)]

    @Test func unitsThresholdsAndTheCurrentValueAreCarriedOver() {
        let v = QueryOutcome.success(.vector([InstantSample(labels: Labels(["job": "a"]), sample: Sample(t: now, v: 42))]))
        let pd = PanelMapper.map(stat(), bindings: binding, data: data("up", v, at: now), context: context)
        #expect(pd.kind == .stat)
        #expect(pd.unit == .percent)
        #expect(pd.thresholds.map(\.color) == [.green, .red])
        #expect(pd.series.first?.lastValue == 42)
        #expect(pd.series.first?.name == "{job=\"a\"}")
        #expect(pd.state == .ok)
    }

    @Test func beforeAnyAnswerThePanelIsLoading() {
        let pd = PanelMapper.map(stat(), bindings: binding, data: DashboardData(), context: context)
        #expect(pd.state == .loading)
        #expect(PanelMapper.map(stat(), bindings: nil, data: DashboardData(), context: context).state == .loading)
    }

    @Test func anEmptyAnswerIsNoData() {
        let pd = PanelMapper.map(stat(), bindings: binding, data: data("up", .success(.vector([])), at: now), context: context)
        #expect(pd.state == .noData)
    }

    @Test func aFailureShowsItsReason() {
        let f = QueryOutcome.failure(QueryFailure(kind: .http, message: "HTTP 503"))
        let pd = PanelMapper.map(stat(), bindings: binding, data: data("up", f, at: now), context: context)
        #expect(pd.state == .error("HTTP 503"))
    }

    @Test func dataOlderThanTwoIntervalsIsStaleUnlessPaused() {
        let v = QueryOutcome.success(.scalar(Sample(t: now - 20_000, v: 1)))
        let d = data("up", v, at: now - 20_000)
        #expect(PanelMapper.map(stat(), bindings: binding, data: d, context: context).state == .stale(ageSeconds: 20))
        var paused = context
        paused.paused = true
        #expect(PanelMapper.map(stat(), bindings: binding, data: d, context: paused).state == .ok)
    }

    @Test func legendFormatNamesTheSeries() {
        let v = QueryOutcome.success(.vector([InstantSample(labels: Labels(["handler": "/x"]), sample: Sample(t: now, v: 1))]))
        let b = [TargetBinding(expr: "up", legendFormat: "P95 {{handler}}", instant: true, range: nil)]
        let pd = PanelMapper.map(stat(legend: "P95 {{handler}}"), bindings: b, data: data("up", v, at: now), context: context)
        #expect(pd.series.map(\.name) == ["P95 /x"])
    }

    @Test func graphsTakeTheirPointsFromTheHistory() {
        let key = RangeKey(expr: "rate(x[5m])", step: 1000)
        var d = DashboardData()
        let req = RangeRequest(expr: key.expr, start: now - 2000, end: now, step: 1000, replaces: true)
        let m = QueryOutcome.success(.matrix([SeriesSamples(labels: Labels(), samples: [
            Sample(t: now - 2000, v: 1), Sample(t: now - 1000, v: 2), Sample(t: now, v: 3)])]))
        d.apply(FetchResult(startedAt: now, finishedAt: now, instants: [], ranges: [(req, m)]), rangeMs: 900_000)
        let panel = ScreenPanel(panel: Panel(title: "G", type: .graph, targets: [Target(expr: key.expr, legendFormat: "rps")]),
                                isRow: false)
        let pd = PanelMapper.map(panel, bindings: [TargetBinding(expr: key.expr, legendFormat: "rps", instant: false, range: key)],
                                 data: d, context: context)
        #expect(pd.series.first?.points.map(\.v) == [1, 2, 3])
        #expect(pd.series.first?.lastValue == 3)
        #expect(pd.series.first?.name == "rps")
        #expect(pd.timeWindow == TimeWindow(startMs: now - 900_000, endMs: now))
    }

    @Test func tablesListSeriesLargestFirst() {
        let v = QueryOutcome.success(.vector([
            InstantSample(labels: Labels(["h": "a"]), sample: Sample(t: now, v: 1)),
            InstantSample(labels: Labels(["h": "b"]), sample: Sample(t: now, v: 3)),
        ]))
        let panel = ScreenPanel(panel: Panel(title: "T", type: .table, targets: [Target(expr: "up", legendFormat: "{{h}}")]),
                                isRow: false)
        let b = [TargetBinding(expr: "up", legendFormat: "{{h}}", instant: true, range: nil)]
        let pd = PanelMapper.map(panel, bindings: b, data: data("up", v, at: now), context: context)
        #expect(pd.table?.rows.map { $0.first } == [.text("b"), .text("a")])
    }

    @Test func alertPanelsListAlertsMostSevereFirst() {
        let t = Date(timeIntervalSince1970: 900)
        var ctx = context
        ctx.alerts = [
            AlertInstance(name: "Slow", state: .pending, labels: Labels(["severity": "warning"]), activeAt: t),
            AlertInstance(name: "Errors", state: .firing, labels: Labels(["severity": "critical"]),
                          annotations: ["summary": "5xx high"], value: 0.049, activeAt: t, firedAt: t),
            AlertInstance(name: "Gone", state: .inactive, labels: Labels()),
        ]
        let panel = ScreenPanel(panel: Panel(title: "Alerts", type: .alerts), isRow: false)
        let pd = PanelMapper.map(panel, bindings: nil, data: DashboardData(), context: ctx)
        #expect(pd.alerts.map(\.name) == ["Errors", "Slow"])
        #expect(pd.alerts.first?.state == .firing)
        #expect(pd.alerts.first?.sinceSeconds == 100)
        #expect(pd.alerts.first?.summary == "5xx high")
    }

    @Test func unsupportedPanelsBecomePlaceholders() {
        let panel = ScreenPanel(panel: Panel(title: "X", type: .unsupported("piechart")), isRow: false)
        #expect(PanelMapper.map(panel, bindings: nil, data: DashboardData(), context: context).kind == .placeholder("piechart"))
    }
}
