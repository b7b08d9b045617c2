import MetricsCore

/// Keeps the planner's bindings across frames and refreshes. Which query each panel target reads
/// depends only on what `Key` holds (the state: layout, zoom, range, travelled window, variables,
/// investigate state; the screen size; the window's rung; the values found for variables), not on
/// the clock or the data, so planning once per change is enough. Frames then read the bindings,
/// and refreshes derive from them the few requests still missing (`QueryPlanner.requests`).
struct PlanCache {
    struct Key: Hashable {
        var state: AppState
        var width: Int
        var height: Int
        /// The window histories cover (`QueryPlanner.window`): it moves the steps, so the bindings.
        var windowMs: Int64
        /// Values the source found for `label_values` variables of the current layout.
        var discovered: [String: [String]]

        init(_ state: AppState, width: Int, height: Int, now: Timestamp, historyStart: Timestamp?,
             discovered: [String: [String]]) {
            self.state = state
            self.width = width
            self.height = height
            windowMs = QueryPlanner.window(rangeMs: state.rangeMs, now: now, historyStart: historyStart)
            self.discovered = discovered
        }
    }

    /// What the planner reads for `key` at `now` (no histories: the bindings do not depend on them).
    static func input(_ key: Key, now: Timestamp, expand: @escaping @Sendable (String) -> String,
                      historyStart: Timestamp?) -> QueryPlanner.Input {
        let geo = ScreenComposer.geometry(key.state, width: key.width, height: key.height)
        return QueryPlanner.Input(panels: Array(zip(geo.panels, geo.rects)).map { ($0.0, $0.1) }, now: now,
                                  rangeMs: key.state.rangeMs, expand: expand, historyStart: historyStart)
    }

    private var key: Key?
    private var bound = QueryPlan()
    /// How many times the planner ran: once per change of the key.
    private(set) var plannings = 0

    /// The bindings for `key` (no requests), planned again only when the key changed.
    mutating func bindings(for key: Key, input: () -> QueryPlanner.Input) -> QueryPlan {
        if key != self.key {
            bound = QueryPlanner.bindings(input())
            self.key = key
            plannings += 1
        }
        return bound
    }

    /// The whole plan of a refresh: the cached bindings and the requests missing at `input.now`.
    /// `input` is only built when the key changed; `now`, `historyEnds` and `refill` are read always.
    mutating func plan(for key: Key, now: Timestamp, historyEnds: [RangeKey: Timestamp], refill: Bool,
                       historyStart: Timestamp?, input: () -> QueryPlanner.Input) -> QueryPlan {
        let bound = bindings(for: key, input: input)
        let timing = QueryPlanner.Input(panels: [], now: now, rangeMs: key.state.rangeMs, historyEnds: historyEnds,
                                        refill: refill, historyStart: historyStart)
        return QueryPlanner.requests(bound, input: timing)
    }
}
