import Foundation
import Layouts
import MetricsCore
import Render

/// A range query as sent: everything aligned to the step so that refreshes extend the same grid.
public struct RangeRequest: Hashable, Sendable {
    public var expr: String
    public var start: Timestamp
    public var end: Timestamp
    public var step: Int64
    /// The request covers the whole range: its answer replaces the history instead of extending it.
    public var replaces: Bool

    public init(expr: String, start: Timestamp, end: Timestamp, step: Int64, replaces: Bool) {
        self.expr = expr
        self.start = start
        self.end = end
        self.step = step
        self.replaces = replaces
    }

    public var key: RangeKey { RangeKey(expr: expr, step: step) }
}

/// Identifies a history: the same expression at the same step.
public struct RangeKey: Hashable, Sendable {
    public var expr: String
    public var step: Int64

    public init(expr: String, step: Int64) {
        self.expr = expr
        self.step = step
    }
}

/// Where one target of one panel gets its data.
public struct TargetBinding: Hashable, Sendable {
    public var expr: String
    public var legendFormat: String?
    /// The current value comes from this instant query, if any.
    public var instant: Bool
    /// The trend or graph comes from this history, if any.
    public var range: RangeKey?
    /// Why the target is not queried: a variable it uses has no value (`no value for $job`).
    public var unresolved: String?

    public init(expr: String, legendFormat: String?, instant: Bool, range: RangeKey?, unresolved: String? = nil) {
        self.expr = expr
        self.legendFormat = legendFormat
        self.instant = instant
        self.range = range
        self.unresolved = unresolved
    }
}

/// The queries of one refresh, each expression sent once.
public struct QueryPlan: Hashable, Sendable {
    public var instants: [String] = []
    public var ranges: [RangeRequest] = []
    /// For each screen panel index: how its targets bind to the queries.
    public var bindings: [Int: [TargetBinding]] = [:]

    public var isEmpty: Bool { instants.isEmpty && ranges.isEmpty }
}

/// Decides which queries a refresh sends. Pure.
public enum QueryPlanner {
    public struct Input: Sendable {
        /// The layout's panels in screen order and where each is drawn (empty: not on screen).
        public var panels: [(panel: ScreenPanel, rect: Rect)]
        public var now: Timestamp
        public var rangeMs: Int64
        /// Substitutes variables (`$job`, `$__rate_interval`...) into an expression.
        public var expand: @Sendable (String) -> String
        /// Where each history ends now (nil or absent: no history yet).
        public var historyEnds: [RangeKey: Timestamp]
        /// Fetch every history from the start of the range.
        public var refill: Bool
        /// The oldest time the source can have data for (embedded mode: the first scrape); nil: the whole
        /// range exists (a server). Histories then cover only the window that exists, at a step fitted to it.
        public var historyStart: Timestamp?

        public init(panels: [(panel: ScreenPanel, rect: Rect)], now: Timestamp, rangeMs: Int64,
                    expand: @escaping @Sendable (String) -> String = { $0 },
                    historyEnds: [RangeKey: Timestamp] = [:], refill: Bool = false, historyStart: Timestamp? = nil) {
            self.panels = panels
            self.now = now
            self.rangeMs = rangeMs
            self.expand = expand
            self.historyEnds = historyEnds
            self.refill = refill
            self.historyStart = historyStart
        }

        /// The window histories cover: the range, or less while the data that exists is shorter.
        public var windowMs: Int64 { QueryPlanner.window(rangeMs: rangeMs, now: now, historyStart: historyStart) }
    }

    public static func plan(_ input: Input) -> QueryPlan {
        requests(bindings(input), input: input)
    }

    /// The plan's bindings alone (no requests). They do not read the clock except through the window's
    /// rung, nor the histories, so `PlanCache` keeps them across frames and refreshes.
    public static func bindings(_ input: Input) -> QueryPlan {
        var plan = QueryPlan()
        for (index, entry) in input.panels.enumerated() {
            let panel = entry.panel.panel
            // Panels not on screen are not queried at all.
            guard !entry.panel.isRow, !entry.rect.isEmpty else { continue }
            let (wantsInstant, columnsPerCell) = needs(panel)
            guard wantsInstant || columnsPerCell > 0 else { continue }
            var bindings: [TargetBinding] = []
            for target in panel.targets where !target.hidden {
                let expr = input.expand(target.expr).trimmingCharacters(in: .whitespacesAndNewlines)
                guard !expr.isEmpty else { continue }
                let missing = Templating.variableReferences(in: expr)
                guard missing.isEmpty else {
                    // Sending `$job` to the source would only give a parse error: say which value is missing.
                    bindings.append(TargetBinding(expr: expr, legendFormat: target.legendFormat, instant: false, range: nil,
                                                  unresolved: "no value for $" + missing.joined(separator: ", $")))
                    continue
                }
                var binding = TargetBinding(expr: expr, legendFormat: target.legendFormat, instant: wantsInstant, range: nil)
                if columnsPerCell > 0 {
                    let step = self.step(range: input.windowMs, plotWidth: entry.rect.width - 2, pointsPerColumn: columnsPerCell)
                    binding.range = RangeKey(expr: expr, step: step)
                }
                bindings.append(binding)
            }
            plan.bindings[index] = bindings
        }
        return plan
    }

    /// The queries a refresh at `input.now` sends for these bindings: each instant expression once, and
    /// each history only for the steps it is missing (in panel order, as first bound).
    public static func requests(_ bound: QueryPlan, input: Input) -> QueryPlan {
        var plan = QueryPlan()
        plan.bindings = bound.bindings
        var instantSet: Set<String> = []
        var rangeSet: Set<RangeKey> = []
        for index in bound.bindings.keys.sorted() {
            for binding in bound.bindings[index] ?? [] {
                if binding.instant, instantSet.insert(binding.expr).inserted { plan.instants.append(binding.expr) }
                if let key = binding.range, rangeSet.insert(key).inserted, let request = rangeRequest(key, input: input) {
                    plan.ranges.append(request)
                }
            }
        }
        return plan
    }

    /// (instant query for the current value, points per character column of history; 0 = none).
    /// Graphs draw braille (two dot columns per cell); stat trends draw one block per cell.
    static func needs(_ panel: Panel) -> (instant: Bool, pointsPerColumn: Int) {
        // A reducer such as mean or max (Grafana's calcs) needs the window's values, not only the last.
        let reduces = ValueReducer.needsHistory(panel.reducer)
        switch panel.type {
        case .graph: return (false, 2)
        case .stat: return (true, panel.showSparkline == false && !reduces ? 0 : 1)
        case .gauge, .barList: return (true, reduces ? 1 : 0)
        case .table: return (true, 0)
        case .heatmap: return (false, 2)
        case .text, .alerts, .row, .unsupported: return (false, 0)
        }
    }

    /// The step that puts one point on each plotted column: range / points, rounded up to whole
    /// seconds (whole seconds read better and keep refreshes on one grid), at least one second.
    public static func step(range: Int64, plotWidth: Int, pointsPerColumn: Int) -> Int64 {
        let points = Int64(max(1, plotWidth * max(1, pointsPerColumn)))
        let raw = max(1, range / points)
        return max(1000, (raw + 999) / 1000 * 1000)
    }

    /// The window that has data: the range, or (embedded mode, young history) the time since the first
    /// scrape rounded up to a rung of 1m, 2m, 5m, 10m, 15m, 30m, 1h, 2h, 3h, 6h, 12h, 1d, 2d, 7d, so the
    /// step (and the history it keys) changes only a few times while the history grows.
    public static func window(rangeMs: Int64, now: Timestamp, historyStart: Timestamp?) -> Int64 {
        guard let historyStart else { return rangeMs }
        let age = max(0, now - historyStart)
        let minute: Int64 = 60_000
        let rungs: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10_080].map { $0 * minute }
        let rung = rungs.first { $0 >= age } ?? rangeMs
        return min(rangeMs, rung)
    }

    /// The window still missing from a history, aligned to its step; nil when it is up to date.
    static func rangeRequest(_ key: RangeKey, input: Input) -> RangeRequest? {
        let end = input.now / key.step * key.step
        let fullStart = (input.now - input.windowMs) / key.step * key.step
        var start = fullStart
        if !input.refill, let last = input.historyEnds[key], last >= fullStart {
            start = last + key.step
        }
        guard start <= end else { return nil }
        return RangeRequest(expr: key.expr, start: start, end: end, step: key.step, replaces: start == fullStart)
    }
}
