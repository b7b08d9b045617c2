import Foundation
import Layouts
import MetricsCore
import Render

/// What one panel of the first screen showed after a probe.
public struct PanelProbe: Hashable, Sendable {
    public var title: String
    public var path: String
    /// `ok`, `no data`, `loading`, `stale` or the error text.
    public var state: String
    /// It shows a value or a graph: a finite number somewhere in its series.
    public var drawn: Bool
}

/// Runs a dashboard against a source as the live screen would (variables looked up parents first,
/// histories extended refresh after refresh) and says what each panel on the first screen shows.
/// For `lookout` users wanting a coverage figure, and for the real-dashboard tests.
public enum DashboardProbe {
    public struct Result: Sendable {
        /// Panels with queries on the first screen, in screen order.
        public var panels: [PanelProbe]
        public var variables: [ResolvedVariable]

        public var drawnCount: Int { panels.filter(\.drawn).count }
        /// `panels drawn / total` for reports.
        public var summary: String { "\(drawnCount)/\(panels.count) panels drawn" }
    }

    /// - Parameters:
    ///   - source: already started.
    ///   - historyStart: when the source's data starts (embedded mode), as the session passes it.
    public static func run(state initial: AppState, source: any QuerySource, intervalMs: Int64, refreshes: Int,
                           width: Int, height: Int, historyStart: Timestamp?, clock: WallClock = .system) async -> Result {
        var data = DashboardData()
        var discovered: [String: [String]] = [:]
        var state = initial
        let dashboard = state.currentLayout?.dashboard
        for i in 0..<max(1, refreshes) {
            if i > 0 { try? await Task.sleep(nanoseconds: UInt64(max(0, intervalMs)) * 1_000_000) }
            let now = clock.now()
            if let dashboard, Expansion.needsDiscovery(dashboard, known: discovered, refill: i == 0) {
                discovered = await Expansion.discover(dashboard, source: source, at: now, intervalMs: intervalMs, state: state)
            }
            Expansion.updateRepeats(&state, layout: state.current, intervalMs: intervalMs, discovered: discovered)
            let plan = QueryPlanner.plan(input(state, data: data, discovered: discovered, intervalMs: intervalMs,
                                               width: width, height: height, now: now, historyStart: historyStart))
            guard !plan.isEmpty else { continue }
            data.apply(await Fetcher.run(plan, on: source, now: now, clock: clock.now), rangeMs: state.rangeMs)
        }
        let now = clock.now()
        let plan = QueryPlanner.plan(input(state, data: data, discovered: discovered, intervalMs: intervalMs,
                                           width: width, height: height, now: now, historyStart: historyStart))
        let geo = ScreenComposer.geometry(state, width: width, height: height)
        let context = MappingContext(now: now, intervalMs: intervalMs,
                                     rangeMs: QueryPlanner.window(rangeMs: state.rangeMs, now: now, historyStart: historyStart))
        var panels: [PanelProbe] = []
        for (i, sp) in geo.panels.enumerated() where !sp.isRow && !geo.rects[i].isEmpty && !sp.panel.targets.isEmpty {
            let pd = PanelMapper.map(sp, bindings: plan.bindings[i], data: data, context: context)
            let finite = pd.series.contains { s in (s.lastValue?.isFinite ?? false) || s.points.contains { $0.v.isFinite } }
            panels.append(PanelProbe(title: sp.panel.title, path: sp.panel.path, state: describe(pd.state),
                                     drawn: finite && pd.state != .noData && !isError(pd.state)))
        }
        let resolved = dashboard.map { Expansion.resolve($0, state: state, intervalMs: intervalMs, discovered: discovered,
                                                         rangeMs: state.rangeMs) } ?? []
        return Result(panels: panels, variables: resolved)
    }

    static func input(_ state: AppState, data: DashboardData, discovered: [String: [String]], intervalMs: Int64,
                      width: Int, height: Int, now: Timestamp, historyStart: Timestamp?) -> QueryPlanner.Input {
        let geo = ScreenComposer.geometry(state, width: width, height: height)
        return QueryPlanner.Input(
            panels: Array(zip(geo.panels, geo.rects)).map { ($0.0, $0.1) }, now: now, rangeMs: state.rangeMs,
            expand: Expansion.expander(state: state, intervalMs: intervalMs, discovered: discovered),
            historyEnds: data.historyEnds, refill: false, historyStart: historyStart)
    }

    static func describe(_ state: PanelState) -> String {
        switch state {
        case .ok: return "ok"
        case .loading: return "loading"
        case .noData: return "no data"
        case .error(let why): return "error: \(why)"
        case .stale(let age): return "stale \(age)s"
        }
    }

    static func isError(_ state: PanelState) -> Bool {
        if case .error = state { return true }
        return false
    }
}
