import MetricsCore

/// Runs a plan's queries against the source, all at once, and returns every answer.
/// Concurrency is the source's business (the HTTP client multiplexes; the engine is fast).
public enum Fetcher {
    /// `instantsFirst` gets the instants' answers as soon as they are all in while ranges are still
    /// out (a `partial` result); the returned result has every answer.
    public static func run(_ plan: QueryPlan, on source: any QuerySource, now: Timestamp,
                           clock: @escaping @Sendable () -> Timestamp,
                           instantsFirst: (@Sendable (FetchResult) -> Void)? = nil) async -> FetchResult {
        await withTaskGroup(of: Answer.self) { group in
            // Each request is timed on its own (the inspector shows a panel's own queries' time, not the batch's).
            for expr in plan.instants {
                group.addTask {
                    let sent = clock()
                    let outcome = await source.instantQuery(expr, at: now)
                    return .instant(expr, outcome, clock() - sent)
                }
            }
            for r in plan.ranges {
                group.addTask {
                    let sent = clock()
                    let outcome = await source.rangeQuery(r.expr, start: r.start, end: r.end, step: r.step)
                    return .range(r, outcome, clock() - sent)
                }
            }
            var instants: [(String, QueryOutcome)] = []
            var ranges: [(RangeRequest, QueryOutcome)] = []
            var result = FetchResult(startedAt: now, finishedAt: now, instants: [], ranges: [])
            for await answer in group {
                switch answer {
                case .instant(let e, let o, let ms):
                    instants.append((e, o))
                    result.instantDurations[e] = ms
                    if let instantsFirst, instants.count == plan.instants.count, ranges.count < plan.ranges.count {
                        var early = FetchResult(startedAt: now, finishedAt: clock(), instants: instants, ranges: [])
                        early.instantDurations = result.instantDurations
                        early.partial = true
                        instantsFirst(early)
                    }
                case .range(let r, let o, let ms):
                    ranges.append((r, o))
                    result.rangeDurations[r.key] = ms
                }
            }
            result.instants = instants
            result.ranges = ranges
            result.finishedAt = clock()
            return result
        }
    }

    enum Answer: Sendable {
        /// With how long the request took (milliseconds, by the batch's clock).
        case instant(String, QueryOutcome, Int64)
        case range(RangeRequest, QueryOutcome, Int64)
    }
}
