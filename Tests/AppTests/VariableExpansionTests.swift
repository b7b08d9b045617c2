@testable import App
import Layouts
import MetricsCore
import Render
import Testing

/// A source that answers instant queries from a table (the lookups' `count by` queries) and records them.
final class TableSource: QuerySource, @unchecked Sendable {
    let answers: [String: [Labels]]
    private(set) var asked: [String] = []
    init(_ answers: [String: [Labels]]) { self.answers = answers }

    var displayName: String { "table" }
    func start() {}
    func stop() {}
    func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        asked.append(expr)
        guard let series = answers[expr] else {
            return .failure(QueryFailure(kind: .parse, message: "unexpected \(expr)"))
        }
        return .success(.vector(series.map { InstantSample(labels: $0, sample: Sample(t: time, v: 1)) }))
    }
    func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
        .success(.matrix([]))
    }
    func targets() -> [TargetStatus] { [] }
    func serverInfo() -> String? { nil }
    func setDataHandler(_ handler: @escaping @Sendable () -> Void) {}
}

@Suite struct VariableExpansionTests {
    let now: Timestamp = 1_800_000_000_000

    /// Node Exporter Full's three chained variables.
    let dashboard = Dashboard(title: "n", timeRange: 86_400_000, panels: [], variables: [
        Variable(name: "job", kind: .labelValues(metric: "node_uname_info", label: "job")),
        Variable(name: "nodename", kind: .labelValues(metric: #"node_uname_info{job="$job"}"#, label: "nodename")),
        Variable(name: "node", kind: .labelValues(metric: #"node_uname_info{job="$job", nodename="$nodename"}"#, label: "instance")),
    ])

    @Test func chainedLookupsUseTheParentsValues() async {
        let source = TableSource([
            "count by (job) (node_uname_info)": [Labels(["job": "node"])],
            #"count by (nodename) (node_uname_info{job="node"})"#: [Labels(["nodename": "box"])],
            #"count by (instance) (node_uname_info{job="node", nodename="box"})"#: [Labels(["instance": "127.0.0.1:9100"])],
        ])
        let state = AppState(layouts: [LayoutEntry(name: "n", dashboard: dashboard)], rangeMs: 86_400_000)
        let found = await Expansion.discover(dashboard, source: source, at: now, intervalMs: 5_000, state: state)
        #expect(source.asked == [
            "count by (job) (node_uname_info)",
            #"count by (nodename) (node_uname_info{job="node"})"#,
            #"count by (instance) (node_uname_info{job="node", nodename="box"})"#,
        ])
        let expand = Expansion.expander(state: state, intervalMs: 5_000, discovered: found)
        #expect(expand(#"node_load1{instance="$node",job="$job"} [$__rate_interval]"#)
            == #"node_load1{instance="127.0.0.1:9100",job="node"} [305s]"#)
    }

    @Test func unresolvedVariablesReachThePanel() async {
        let source = TableSource(["count by (job) (node_uname_info)": []])
        let state = AppState(layouts: [LayoutEntry(name: "n", dashboard: dashboard)], rangeMs: 86_400_000)
        let found = await Expansion.discover(dashboard, source: source, at: now, intervalMs: 5_000, state: state)
        // The children are not asked with a literal `$job`.
        #expect(source.asked == ["count by (job) (node_uname_info)"])
        let expand = Expansion.expander(state: state, intervalMs: 5_000, discovered: found)
        let panel = ScreenPanel(panel: Panel(title: "Load", type: .stat, targets: [Target(expr: #"node_load1{instance="$node"}"#)]),
                                isRow: false)
        let plan = QueryPlanner.plan(.init(panels: [(panel, Rect(x: 0, y: 0, width: 30, height: 6))], now: now,
                                           rangeMs: 86_400_000, expand: expand))
        #expect(plan.isEmpty)
        #expect(plan.bindings[0]?.first?.unresolved == "no value for $node")
        let mapped = PanelMapper.map(panel, bindings: plan.bindings[0], data: DashboardData(),
                                     context: MappingContext(now: now, intervalMs: 5_000, rangeMs: 86_400_000))
        #expect(mapped.state == .error("no value for $node"))
        // An empty answer is asked again at the next refresh.
        #expect(Expansion.needsDiscovery(dashboard, known: found, refill: false))
    }

    @Test func adhocFiltersJoinEverySelector() {
        let filters = [AdhocFilter(key: "env", op: "=", value: "prod")]
        #expect(AdhocFilters.apply(filters, to: #"sum(rate(x[5m])) / y{a="b"} + z{ } + {__name__="w",}"#)
            == #"sum(rate(x{env="prod"}[5m])) / y{a="b",env="prod"} + z{ env="prod"} + {__name__="w",env="prod"}"#)
        // Not PromQL: left alone.
        #expect(AdhocFilters.apply(filters, to: "x{") == "x{")
    }

    @Test func longRangesUseTheHistoryThatExists() {
        // 24h dashboard, 40 s after the first scrape: histories cover the last minute at a 1 s step.
        #expect(QueryPlanner.window(rangeMs: 86_400_000, now: now, historyStart: now - 40_000) == 60_000)
        #expect(QueryPlanner.window(rangeMs: 86_400_000, now: now, historyStart: now - 7_000_000) == 7_200_000)
        #expect(QueryPlanner.window(rangeMs: 900_000, now: now, historyStart: now - 7_000_000) == 900_000)
        #expect(QueryPlanner.window(rangeMs: 86_400_000, now: now, historyStart: nil) == 86_400_000)
        let graph = ScreenPanel(panel: Panel(title: "g", type: .graph, targets: [Target(expr: "up")]), isRow: false)
        let plan = QueryPlanner.plan(.init(panels: [(graph, Rect(x: 0, y: 0, width: 62, height: 10))], now: now,
                                           rangeMs: 86_400_000, historyStart: now - 40_000))
        #expect(plan.ranges == [RangeRequest(expr: "up", start: now - 60_000, end: now, step: 1_000, replaces: true)])
        #expect(QueryAnnotations.rangeLabel(rangeMs: 86_400_000, windowMs: 60_000, format: PromDuration.format) == "1m of 1d")
        #expect(QueryAnnotations.rangeLabel(rangeMs: 900_000, windowMs: 900_000, format: PromDuration.format) == "15m")
    }

    @Test func informationIsNotAWarning() {
        let (infos, warnings) = QueryAnnotations.split([
            "PromQL warning: sort is ineffective for range queries since results are always ordered by labels",
            "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"x\"",
            "PromQL warning: quantile value should be between 0 and 1, got 2",
        ])
        #expect(infos.count == 2)
        #expect(warnings == ["PromQL warning: quantile value should be between 0 and 1, got 2"])
    }

    @Test func informationGoesOnTheStatusLineAsInfo() {
        let panel = Panel(title: "Top", type: .stat, gridPos: GridPos(x: 0, y: 0, w: 24, h: 4),
                          targets: [Target(expr: "sort(up)")], showSparkline: false)
        let state = AppState(layouts: [LayoutEntry(name: "d", dashboard: Dashboard(title: "d", panels: [panel]))],
                             rangeMs: 900_000)
        let geo = ScreenComposer.geometry(state, width: 60, height: 8)
        let plan = QueryPlanner.plan(.init(panels: Array(zip(geo.panels, geo.rects)).map { ($0.0, $0.1) },
                                           now: now, rangeMs: 900_000))
        var data = DashboardData()
        let info = "PromQL warning: sort is ineffective for range queries since results are always ordered by labels"
        data.apply(FetchResult(startedAt: now, finishedAt: now, instants: [
            ("sort(up)", .success(.vector([InstantSample(labels: Labels(), sample: Sample(t: now, v: 1))]), warnings: [info])),
        ], ranges: []), rangeMs: 900_000)
        let frame = ScreenComposer.compose(state: state, data: data, plan: plan, facts: ScreenFacts(sourceName: "s", intervalMs: 5_000, now: now),
                                           caps: TerminalCaps(unicode: true, colors: 0), width: 60, height: 8)
        let status = frame.lines.last ?? ""
        #expect(status == " info: Top: PromQL warning: sort is ineffective f… · ? help ")
        #expect(!frame.lines.joined().contains("error:"))
    }

    @Test func headerSaysHowMuchHistoryThereIs() {
        let state = AppState(layouts: [LayoutEntry(name: "d", dashboard: Dashboard(title: "d", panels: []))],
                             rangeMs: 86_400_000)
        var facts = ScreenFacts(sourceName: "s", intervalMs: 5_000, now: now)
        facts.historyStart = now - 200_000
        let header = ScreenComposer.header(state, data: DashboardData(), facts: facts)
        #expect(header.range == "5m of 1d")
    }
}
