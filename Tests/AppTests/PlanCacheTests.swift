@testable import App
import Layouts
import MetricsCore
import Render
import Testing

/// The planner runs once per change of what it reads, not once per frame or refresh, and the cached
/// plan asks exactly what planning afresh would ask.
@Suite struct PlanCacheTests {
    let start: Timestamp = 1_800_000_000_000

    func state(range: Int64 = 900_000) -> AppState {
        AppState(layouts: [LayoutEntry(name: "d", dashboard: Dashboard(title: "d", panels: [
            Panel(title: "Latency", type: .graph, gridPos: GridPos(x: 0, y: 0, w: 12, h: 8),
                  targets: [Target(expr: "histogram_quantile(0.9, rate(h_bucket[1m]))"), Target(expr: "rate(x[1m])")]),
            Panel(title: "Up", type: .stat, gridPos: GridPos(x: 12, y: 0, w: 12, h: 8), targets: [Target(expr: "up")]),
        ]))], rangeMs: range)
    }

    func key(_ s: AppState, width: Int = 120, height: Int = 40, now: Timestamp) -> PlanCache.Key {
        PlanCache.Key(s, width: width, height: height, now: now, historyStart: nil, discovered: [:])
    }

    func fresh(_ s: AppState, now: Timestamp, ends: [RangeKey: Timestamp] = [:], width: Int = 120) -> QueryPlan {
        let geo = ScreenComposer.geometry(s, width: width, height: 40)
        return QueryPlanner.plan(.init(panels: Array(zip(geo.panels, geo.rects)).map { ($0.0, $0.1) }, now: now,
                                       rangeMs: s.rangeMs, historyEnds: ends))
    }

    func cached(_ cache: inout PlanCache, _ s: AppState, now: Timestamp, ends: [RangeKey: Timestamp] = [:],
                width: Int = 120) -> QueryPlan {
        let k = key(s, width: width, now: now)
        return cache.plan(for: k, now: now, historyEnds: ends, refill: false, historyStart: nil) {
            PlanCache.input(k, now: now, expand: { $0 }, historyStart: nil)
        }
    }

    @Test func framesAndRefreshesWithUnchangedStatePlanOnce() {
        var cache = PlanCache()
        let s = state()
        var ends: [RangeKey: Timestamp] = [:]
        for second in 0..<30 {
            let now = start + Int64(second) * 1000
            let k = key(s, now: now)
            // Two frames and one refresh a second, as the live loop does.
            _ = cache.bindings(for: k) { PlanCache.input(k, now: now, expand: { $0 }, historyStart: nil) }
            _ = cache.bindings(for: k) { PlanCache.input(k, now: now, expand: { $0 }, historyStart: nil) }
            let plan = cached(&cache, s, now: now, ends: ends)
            #expect(plan == fresh(s, now: now, ends: ends))
            for r in plan.ranges { ends[r.key] = r.end }
        }
        #expect(cache.plannings == 1)
    }

    @Test func aChangeOfSizeRangeOrStatePlansAgain() {
        var cache = PlanCache()
        let s = state()
        _ = cached(&cache, s, now: start)
        _ = cached(&cache, s, now: start + 1000)
        #expect(cache.plannings == 1)
        let narrow = cached(&cache, s, now: start + 2000, width: 80)
        #expect(cache.plannings == 2)
        #expect(narrow == fresh(s, now: start + 2000, width: 80))
        let shorter = state(range: 300_000)
        #expect(cached(&cache, shorter, now: start + 3000) == fresh(shorter, now: start + 3000))
        #expect(cache.plannings == 3)
        var paused = shorter
        paused.paused = true
        _ = cached(&cache, paused, now: start + 4000)
        #expect(cache.plannings == 4)
    }

    @Test func theWindowsRungIsPartOfTheKey() {
        // Embedded mode: the window grows 1m, 2m, 5m... with the history, and the steps with it.
        let s = state()
        let first = PlanCache.Key(s, width: 120, height: 40, now: start + 30_000, historyStart: start, discovered: [:])
        let same = PlanCache.Key(s, width: 120, height: 40, now: start + 59_000, historyStart: start, discovered: [:])
        let next = PlanCache.Key(s, width: 120, height: 40, now: start + 61_000, historyStart: start, discovered: [:])
        #expect(first == same)
        #expect(first.windowMs == 60_000)
        #expect(next.windowMs == 120_000)
        #expect(first != next)
    }
}

/// Issue 12: a steady refresh asks the range queries only for the new step, in embedded mode too.
@Suite struct SteadyRefreshTests {
    @Test func executiveLayoutAtOneSecondAsksOnlyTheNewSteps() throws {
        let path = Fixtures.repoRoot.appendingPathComponent("layouts/executive.json").path
        let state = AppState(layouts: [LayoutEntry(name: "executive", dashboard: try LayoutLoader.load(file: path), path: path)],
                             rangeMs: 15 * 60_000)
        let started: Timestamp = 1_800_000_000_000
        var cache = PlanCache()
        var data = DashboardData()
        var asked: [Int64] = []
        // 200 refreshes a second apart after the source started: the window climbs the 1m, 2m, 5m rungs.
        for second in 1...200 {
            let now = started + Int64(second) * 1000 + 137
            let key = PlanCache.Key(state, width: 120, height: 40, now: now, historyStart: started, discovered: [:])
            let plan = cache.plan(for: key, now: now, historyEnds: data.historyEnds, refill: false, historyStart: started) {
                PlanCache.input(key, now: now, expand: { $0 }, historyStart: started)
            }
            let ranges = plan.ranges.map { r in
                (r, QueryOutcome.success(.matrix([SeriesSamples(labels: Labels(), samples: stride(from: r.start, through: r.end, by: Int(r.step))
                    .map { Sample(t: $0, v: 1) })]), warnings: []))
            }
            data.apply(FetchResult(startedAt: now, finishedAt: now, instants: [], ranges: ranges), rangeMs: state.rangeMs)
            asked.append(plan.ranges.map { ($0.end - $0.start) / $0.step + 1 }.max() ?? 0)
        }
        // Full windows only when the window changes rung (and so the step): the first refresh, 1m→2m, 2m→5m.
        let full = asked.enumerated().filter { $0.element > 1 }.map(\.offset)
        #expect(full.count <= 3, "refreshes asking more than one step: \(full.map { ($0, asked[$0]) })")
        #expect(cache.plannings <= 3)
    }
}
