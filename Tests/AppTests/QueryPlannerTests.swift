import App
import Layouts
import MetricsCore
import Render
import Testing

@Suite struct QueryPlannerTests {
    let now: Timestamp = 1_800_000_000_000
    let onScreen = Rect(x: 0, y: 0, width: 62, height: 10)
    let hidden = Rect(x: 0, y: 0, width: 0, height: 0)

    func entry(_ type: PanelType, _ exprs: [String], rect: Rect? = nil) -> (panel: ScreenPanel, rect: Rect) {
        (ScreenPanel(panel: Panel(title: "p", type: type, targets: exprs.map { Target(expr: $0) }), isRow: false),
         rect ?? onScreen)
    }

    @Test func identicalExpressionsAreSentOncePerRefresh() {
        let plan = QueryPlanner.plan(.init(panels: [
            entry(.stat, ["up"]), entry(.gauge, ["up"]), entry(.table, ["up", "x"]),
        ], now: now, rangeMs: 900_000))
        #expect(plan.instants == ["up", "x"])
        // The stat's trend is one range query; the gauge and table need none.
        #expect(plan.ranges.count == 1)
        #expect(plan.bindings.count == 3)
    }

    @Test func panelsNotOnScreenAreNotQueried() {
        let plan = QueryPlanner.plan(.init(panels: [
            entry(.graph, ["a"], rect: hidden), entry(.stat, ["b"], rect: hidden), entry(.gauge, ["c"]),
        ], now: now, rangeMs: 900_000))
        #expect(plan.instants == ["c"])
        #expect(plan.ranges.isEmpty)
        #expect(plan.bindings[0] == nil)
        #expect(plan.bindings[2] != nil)
    }

    @Test func graphStepPutsOnePointOnEachBrailleColumn() {
        // 62 cells wide, 60 inside the border, two dot columns each: 120 points over 15 minutes.
        let plan = QueryPlanner.plan(.init(panels: [entry(.graph, ["rate(x[5m])"])], now: now, rangeMs: 900_000))
        let r = try! #require(plan.ranges.first)
        #expect(r.step == 7_500 / 1000 * 1000 + 1000)  // 7.5 s rounded up to whole seconds
        #expect(r.start % r.step == 0 && r.end % r.step == 0)
        #expect(r.end <= now && now - r.end < r.step)
        #expect(r.end - r.start >= 900_000 - r.step)
        #expect(r.replaces)
    }

    @Test func stepIsAtLeastOneSecond() {
        #expect(QueryPlanner.step(range: 60_000, plotWidth: 500, pointsPerColumn: 2) == 1000)
        #expect(QueryPlanner.step(range: 3_600_000, plotWidth: 60, pointsPerColumn: 1) == 60_000)
        #expect(QueryPlanner.step(range: 900_000, plotWidth: 0, pointsPerColumn: 2) == 900_000)
    }

    @Test func laterRefreshesAskOnlyForTheMissingWindow() {
        let first = QueryPlanner.plan(.init(panels: [entry(.graph, ["a"])], now: now, rangeMs: 900_000))
        let r = try! #require(first.ranges.first)
        let later = now + 3 * r.step
        let second = QueryPlanner.plan(.init(panels: [entry(.graph, ["a"])], now: later, rangeMs: 900_000,
                                             historyEnds: [r.key: r.end]))
        let r2 = try! #require(second.ranges.first)
        #expect(r2.start == r.end + r.step)
        #expect(r2.end == later / r.step * r.step)
        #expect(!r2.replaces)
        // Within the same step nothing is missing.
        let third = QueryPlanner.plan(.init(panels: [entry(.graph, ["a"])], now: r2.end + 10, rangeMs: 900_000,
                                            historyEnds: [r.key: r2.end]))
        #expect(third.ranges.isEmpty)
        // A refill asks for everything again.
        let refill = QueryPlanner.plan(.init(panels: [entry(.graph, ["a"])], now: later, rangeMs: 900_000,
                                             historyEnds: [r.key: r.end], refill: true))
        #expect(refill.ranges.first?.replaces == true)
    }

    @Test func variablesAreExpandedBeforeDeduplication() {
        let plan = QueryPlanner.plan(.init(panels: [entry(.stat, ["up{job=\"$job\"}"]), entry(.gauge, ["up{job=\"api\"}"])],
                                           now: now, rangeMs: 900_000,
                                           expand: { $0.replacingOccurrences(of: "$job", with: "api") }))
        #expect(plan.instants == ["up{job=\"api\"}"])
    }

    @Test func hiddenTargetsRowsAndTextAreSkipped() {
        var p = Panel(title: "t", type: .stat, targets: [Target(expr: "a", hidden: true), Target(expr: "b")])
        p.showSparkline = false
        let row = (ScreenPanel(panel: Panel(title: "r", type: .row), isRow: true), onScreen)
        let plan = QueryPlanner.plan(.init(panels: [(ScreenPanel(panel: p, isRow: false), onScreen), row,
                                                    entry(.text, ["c"])], now: now, rangeMs: 900_000))
        #expect(plan.instants == ["b"])
        #expect(plan.ranges.isEmpty)
    }
}

@Suite struct HistoryTests {
    func request(_ start: Timestamp, _ end: Timestamp, replaces: Bool) -> RangeRequest {
        RangeRequest(expr: "x", start: start, end: end, step: 10, replaces: replaces)
    }

    func matrix(_ points: [(Timestamp, Double)], labels: Labels = Labels(["a": "1"])) -> QueryOutcome {
        .success(.matrix([SeriesSamples(labels: labels, samples: points.map { Sample(t: $0.0, v: $0.1) })]))
    }

    @Test func incrementalAnswersExtendAndOldPointsAreTrimmed() {
        var h = History()
        h.apply(request(0, 30, replaces: true), matrix([(0, 1), (10, 2), (20, 3), (30, 4)]), at: 30, keepFrom: 0)
        h.apply(request(40, 50, replaces: false), matrix([(30, 99), (40, 5), (50, 6)]), at: 50, keepFrom: 20)
        let s = h.series.first?.samples.map(\.v)
        // The overlapping point at 30 is not duplicated; points before 20 are gone.
        #expect(s == [3, 4, 5, 6])
        #expect(h.end == 50)
    }

    @Test func aRefillReplacesAndSeriesThatDisappearAgeOut() {
        var h = History()
        h.apply(request(0, 10, replaces: true), matrix([(0, 1), (10, 2)], labels: Labels(["a": "old"])), at: 10, keepFrom: 0)
        h.apply(request(0, 20, replaces: true), matrix([(20, 7)]), at: 20, keepFrom: 0)
        #expect(h.series.map(\.labels) == [Labels(["a": "1"])])
        h.trim(before: 30)
        #expect(h.series.isEmpty)
    }

    @Test func failuresKeepTheDataAndRecordTheReason() {
        var h = History()
        h.apply(request(0, 10, replaces: true), matrix([(0, 1)]), at: 10, keepFrom: 0)
        h.apply(request(20, 20, replaces: false), .failure(QueryFailure(kind: .timeout, message: "timeout after 2s")),
                at: 20, keepFrom: 0)
        #expect(h.failure?.message == "timeout after 2s")
        #expect(h.series.count == 1)
        #expect(h.lastSuccess == 10)
    }

    @Test func staleMarkersAreNotPlotted() {
        var h = History()
        h.apply(request(0, 20, replaces: true), matrix([(0, 1), (10, StaleNaN.value), (20, 2)]), at: 20, keepFrom: 0)
        #expect(h.series.first?.samples.map(\.t) == [0, 20])
    }
}

@Suite struct LegendFormatTests {
    let labels = Labels(["__name__": "http_requests_total", "handler": "/api/login", "code": "200"])

    @Test func templatesExpandLabelsAndDropMissingOnes() {
        #expect(LegendFormat.expand("{{handler}} ({{ code }})", labels: labels) == "/api/login (200)")
        #expect(LegendFormat.expand("{{nope}}-x", labels: labels) == "-x")
        #expect(LegendFormat.expand("P95 {{handler", labels: labels) == "P95 {{handler")
        // Expanded on bytes: text around and between templates is kept whole, whatever its script.
        #expect(LegendFormat.expand("→ {{\thandler }}·{{code}} µs 漢", labels: labels) == "→ /api/login·200 µs 漢")
        #expect(LegendFormat.expand("{{{handler}}}", labels: labels) == "}")
        #expect(LegendFormat.expand("", labels: labels) == "")
    }

    @Test func withoutAFormatTheLabelSetOrTheExpressionNamesTheSeries() {
        #expect(LegendFormat.name(for: labels, format: nil, expr: "e") == labels.description)
        #expect(LegendFormat.name(for: Labels(), format: "", expr: "sum(x)") == "sum(x)")
        #expect(LegendFormat.name(for: labels, format: "P99", expr: "e") == "P99")
    }
}

@Suite struct VariableTests {
    @Test func labelValuesAreListedWithACountByQuery() {
        #expect(Expansion.labelValuesQuery(metric: "up{job=\"a\"}", label: "instance") == "count by (instance) (up{job=\"a\"})")
        #expect(Expansion.labelValuesQuery(metric: nil, label: "job") == "count by (job) ({job!=\"\"})")
    }
}
