@testable import App
import MetricsCore
import Synchronization
import Testing

/// A refill's values come before its histories: on a server the window's range queries can take
/// many times as long as the instants, and the first frame with data should not wait for them.
@Suite struct FetcherInstantsFirstTests {
    /// Instants answer at once; range queries wait until `release()`.
    final class SlowRanges: QuerySource {
        let displayName = "slow ranges"
        private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])
        private let released = Mutex(false)

        func release() {
            let w = waiting.withLock { w in
                defer { w = [] }
                return w
            }
            released.withLock { $0 = true }
            for c in w { c.resume() }
        }

        func start() {}
        func stop() {}
        func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
            .success(.vector([InstantSample(labels: Labels(), sample: Sample(t: time, v: 1))]))
        }
        func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = released.withLock { $0 }
                if now { c.resume() } else { waiting.withLock { $0.append(c) } }
            }
            return .success(.matrix([]))
        }
        func targets() -> [TargetStatus] { [] }
        func serverInfo() -> String? { nil }
        func setDataHandler(_ handler: @escaping @Sendable () -> Void) {}
    }

    static func plan() -> QueryPlan {
        var plan = QueryPlan()
        plan.instants = ["a", "b"]
        plan.ranges = [RangeRequest(expr: "c", start: 0, end: 60_000, step: 15_000, replaces: true)]
        return plan
    }

    @Test func theInstantsArePassedOnWhileTheRangesAreStillOut() async {
        let source = SlowRanges()
        let early = Mutex<FetchResult?>(nil)
        async let full = Fetcher.run(Self.plan(), on: source, now: 60_000, clock: { 60_000 }) { partial in
            early.withLock { $0 = partial }
            source.release()
        }
        let result = await full
        let first = early.withLock { $0 }
        #expect(first?.partial == true)
        #expect(Set(first?.instants.map(\.0) ?? []) == ["a", "b"])
        #expect(first?.ranges.isEmpty == true)
        #expect(!result.partial && result.instants.count == 2 && result.ranges.count == 1)
    }

    @Test func withoutRangesOrWithoutTheCallbackThereIsNoPartialResult() async {
        let source = SlowRanges()
        source.release()
        var plan = Self.plan()
        plan.ranges = []
        let calls = Mutex(0)
        _ = await Fetcher.run(plan, on: source, now: 60_000, clock: { 60_000 }) { _ in calls.withLock { $0 += 1 } }
        #expect(calls.withLock { $0 } == 0)
        let result = await Fetcher.run(Self.plan(), on: source, now: 60_000, clock: { 60_000 })
        #expect(result.instants.count == 2 && result.ranges.count == 1)
    }
}
