@testable import App
import Layouts
import MetricsCore
import Render
import Testing

/// A source that takes 150 ms to answer `slow` and answers everything else at once.
final class SlowSource: QuerySource, @unchecked Sendable {
    var displayName: String { "slow" }
    func start() {}
    func stop() {}
    func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        if expr == "slow" { try? await Task.sleep(nanoseconds: 150_000_000) }
        return .success(.vector([InstantSample(labels: Labels(), sample: Sample(t: time, v: 1))]))
    }
    func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
        if expr == "slow" { try? await Task.sleep(nanoseconds: 150_000_000) }
        return .success(.matrix([SeriesSamples(labels: Labels(), samples: [Sample(t: end, v: 1)])]))
    }
    func targets() -> [TargetStatus] { [] }
    func serverInfo() -> String? { nil }
    func setDataHandler(_ handler: @escaping @Sendable () -> Void) {}
}

/// The inspector shows each query's own time, not the batch's.
@Suite struct QueryTimeTests {
    let now: Timestamp = 1_800_000_000_000

    @Test func eachRequestIsTimedOnItsOwn() async {
        var plan = QueryPlan()
        plan.instants = ["slow", "fast"]
        plan.ranges = [RangeRequest(expr: "slow", start: 0, end: 60_000, step: 15_000, replaces: true),
                       RangeRequest(expr: "fast", start: 0, end: 60_000, step: 15_000, replaces: true)]
        let r = await Fetcher.run(plan, on: SlowSource(), now: now, clock: WallClock.system.now)
        // Run side by side: the fast ones do not wait for the slow ones, and the slow ones are not charged 0.
        #expect((r.instantDurations["slow"] ?? 0) >= 150)
        #expect((r.instantDurations["fast"] ?? .max) < 150)
        #expect((r.rangeDurations[RangeKey(expr: "slow", step: 15_000)] ?? 0) >= 150)
        #expect((r.rangeDurations[RangeKey(expr: "fast", step: 15_000)] ?? .max) < 150)
    }

    @Test func theInspectorShowsEachExpressionsTime() throws {
        var state = AppState(layouts: [LayoutEntry(name: "t", dashboard: Dashboard(title: "T", panels: [
            Fixtures.panel("Both", .graph, x: 0, y: 0, w: 24, h: 8, exprs: ["a", "b"]),
        ]))], rangeMs: 900_000)
        state.overlay = .inspector
        let geo = ScreenComposer.geometry(state, width: 100, height: 30)
        let plan = QueryPlanner.plan(.init(panels: Array(zip(geo.panels, geo.rects)).map { ($0.0, $0.1) }, now: now,
                                           rangeMs: 900_000))
        let requests = plan.ranges.sorted { $0.expr < $1.expr }
        #expect(requests.map(\.expr) == ["a", "b"])
        var fetched = FetchResult(startedAt: now, finishedAt: now + 90, instants: [],
                                  ranges: requests.map { ($0, .success(.matrix([]))) })
        fetched.rangeDurations = [requests[0].key: 12, requests[1].key: 87]
        var data = DashboardData()
        data.apply(fetched, rangeMs: 900_000)
        var facts = ScreenFacts(sourceName: "src", intervalMs: 5000, now: now)
        facts.lastBatchMs = 90
        let view = try #require(Investigation.inspector(state: state, geo: geo, data: data, plan: plan, facts: facts,
                                                        expand: { $0 }))
        #expect(view.facts == "src · step \(PromDuration.format(requests[0].step)) · 0 series · queries 12 ms, 87 ms · batch 90 ms")
    }
}
