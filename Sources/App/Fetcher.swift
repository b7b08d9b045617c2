import MetricsCore

/// Runs a plan's queries against the source, all at once, and returns every answer.
/// Concurrency is the source's business (the HTTP client multiplexes; the engine is fast).
public enum Fetcher {
    public static func run(_ plan: QueryPlan, on source: any QuerySource, now: Timestamp,
                           clock: @Sendable () -> Timestamp) async -> FetchResult {
        await withTaskGroup(of: Answer.self) { group in
            for expr in plan.instants {
                group.addTask { .instant(expr, await source.instantQuery(expr, at: now)) }
            }
            for r in plan.ranges {
                group.addTask { .range(r, await source.rangeQuery(r.expr, start: r.start, end: r.end, step: r.step)) }
            }
            var instants: [(String, QueryOutcome)] = []
            var ranges: [(RangeRequest, QueryOutcome)] = []
            for await answer in group {
                switch answer {
                case .instant(let e, let o): instants.append((e, o))
                case .range(let r, let o): ranges.append((r, o))
                }
            }
            return FetchResult(startedAt: now, finishedAt: clock(), instants: instants, ranges: ranges)
        }
    }

    enum Answer: Sendable {
        case instant(String, QueryOutcome)
        case range(RangeRequest, QueryOutcome)
    }
}
