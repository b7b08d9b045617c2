@testable import App
import MetricsCore
import Rules
import Synchronization
import Testing

/// Embedded mode's opening evaluation: the rules wait for the first scrape instead of evaluating the
/// empty store at launch, run once when it lands, and only then is the dashboard told of the scrape.
@Suite struct RulesFirstScrapeTests {
    /// Records the time of every query the rules send.
    final class QueryLog: Sendable {
        private let times = Mutex<[Timestamp]>([])
        var all: [Timestamp] { times.withLock { $0 } }
        func note(_ t: Timestamp) { times.withLock { $0.append(t) } }
    }

    static func feed(log: QueryLog) async -> RulesFeed {
        let manager = RuleManager(query: { _, t in
            log.note(t)
            return .success(.vector([]))
        }, appender: nil)
        await manager.load(groups: [RuleGroupDefinition(name: "g", interval: 5_000, rules: [
            RuleDefinition(kind: .recording, name: "score", expr: "vector(1)"),
        ])])
        return RulesFeed(manager: manager)
    }

    @Test func theFirstScrapeIsEvaluatedBeforeTheDashboardHearsOfIt() async throws {
        let log = QueryLog()
        let feed = await Self.feed(log: log)
        // The clock stands still, so the loop's deadline never passes: only the scrape can open it.
        feed.start(clock: .fixed(12_345), firstScrapeWithinMs: 60_000)
        defer { feed.stop() }
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(log.all.isEmpty, "the loop evaluated the empty store before any scrape")

        let seenAtNotify = Mutex<[Timestamp]?>(nil)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            feed.scrapeLanded(at: 12_345) {
                seenAtNotify.withLock { $0 = log.all }
                done.resume()
            }
        }
        #expect(seenAtNotify.withLock { $0 } == [12_345])

        // A later scrape evaluates what is due at its stamp before notifying: nothing at 13 000 (the
        // slot of 10 000 is before the opening evaluation), the slot of 15 000 at 15 000.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            feed.scrapeLanded(at: 13_000) { done.resume() }
        }
        #expect(log.all == [12_345])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            feed.scrapeLanded(at: 15_000) {
                seenAtNotify.withLock { $0 = log.all }
                done.resume()
            }
        }
        #expect(seenAtNotify.withLock { $0 } == [12_345, 15_000])
        // The loop, a tick later, finds nothing left to do.
        try await Task.sleep(nanoseconds: 1_200_000_000)
        #expect(log.all == [12_345, 15_000])
    }

    /// In embedded mode the loop leaves a slot to the scrape stamped with it for a while: evaluated a
    /// moment before that scrape landed, the rules would read the data without it.
    @Test func theLoopTakesASlotOnlyWhenItsScrapeHasNotComeByThen() async throws {
        let log = QueryLog()
        let feed = await Self.feed(log: log)
        let now = Mutex<Timestamp>(20_000)
        feed.start(clock: WallClock { now.withLock { $0 } }, firstScrapeWithinMs: 100)
        defer { feed.stop() }
        // No scrape ever lands: the wait for the first one ends, and the loop evaluates the slot of
        // 15 000 (20 500 less the lag), not that of 20 000.
        now.withLock { $0 = 20_500 }
        try await Self.waitUntil { !log.all.isEmpty }
        #expect(log.all == [15_000])
        // Two seconds after the slot of 20 000, the loop takes it.
        now.withLock { $0 = 22_000 }
        try await Self.waitUntil { log.all.count > 1 }
        #expect(log.all == [15_000, 20_000])
    }

    /// Polls (the loop wakes when a group is due; a loaded machine may be slower): fails after 20 s.
    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<200 where !condition() { try await Task.sleep(nanoseconds: 100_000_000) }
        #expect(condition(), "not reached within 20 s")
    }

    /// The loop sleeps until the next group is due or the next file check, never busy and never
    /// past a file check; while the opening waits for its first scrape, a second at most.
    @Test func theLoopSleepsUntilTheNextDueGroupOrFileCheck() {
        #expect(RulesFeed.sleepMs(now: 10_000, nextDue: 12_000, waitingForFirstScrape: false, nextFileCheck: 14_000) == 2_000)
        #expect(RulesFeed.sleepMs(now: 10_000, nextDue: 17_000, waitingForFirstScrape: false, nextFileCheck: 14_000) == 4_000)
        #expect(RulesFeed.sleepMs(now: 10_000, nextDue: 9_000, waitingForFirstScrape: false, nextFileCheck: 14_000) == 10)
        #expect(RulesFeed.sleepMs(now: 10_000, nextDue: nil, waitingForFirstScrape: false, nextFileCheck: 15_000) == 5_000)
        #expect(RulesFeed.sleepMs(now: 10_000, nextDue: 10_000, waitingForFirstScrape: true, nextFileCheck: 15_000) == 1_000)
        #expect(RulesFeed.sleepMs(now: 10_000, nextDue: 90_000, waitingForFirstScrape: false, nextFileCheck: 90_000) == 5_000)
    }

    @Test func theOpeningClaimIsTakenOnceAndTheScheduleWaitsForItOrForTheDeadline() {
        let gate = OpeningEvaluation()
        #expect(gate.scheduleMayRun(now: 0), "without a wait the schedule runs from the start")
        #expect(!gate.claim())

        gate.wait(until: 1_000)
        #expect(!gate.scheduleMayRun(now: 500))
        #expect(gate.claim())
        #expect(!gate.claim(), "only the first scrape evaluates")
        #expect(!gate.scheduleMayRun(now: 2_000), "never beside the opening evaluation")
        gate.finish()
        #expect(gate.scheduleMayRun(now: 2_000))

        let late = OpeningEvaluation()
        late.wait(until: 1_000)
        #expect(late.scheduleMayRun(now: 1_000), "a target that never answers holds the rules back no longer")
        #expect(!late.claim(), "the schedule has taken over")
    }

    /// A source on the scrape grid, whose newest scrape was stamped 12 000.
    final class GridSource: QuerySource, @unchecked Sendable {
        let displayName = "grid"
        let handler = Mutex<(@Sendable () -> Void)?>(nil)
        func start() {}
        func stop() {}
        func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome { .success(.vector([])) }
        func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome { .success(.matrix([])) }
        func targets() -> [TargetStatus] { [] }
        func serverInfo() -> String? { nil }
        func setDataHandler(_ handler: @escaping @Sendable () -> Void) { self.handler.withLock { $0 = handler } }
        func evaluationTime(now: Timestamp) -> Timestamp { 12_000 }
    }

    /// The opening evaluation runs at the instant the dashboard will ask its values at, the scrape's
    /// stamp: a recorded output stamped later (the clock's now) would be invisible there until the
    /// next scrape (with `--interval 60s`, a minute without a Health score).
    @Test func theOpeningEvaluationRunsAtTheScrapesStamp() async throws {
        let log = QueryLog()
        let feed = await Self.feed(log: log)
        feed.start(clock: .fixed(12_345), firstScrapeWithinMs: 60_000)
        defer { feed.stop() }
        let inner = GridSource()
        let wrapped = RulesAfterFirstScrape(inner, feed: feed, clock: .fixed(12_345))
        #expect(wrapped.evaluationTime(now: 12_345) == 12_000)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            wrapped.setDataHandler { done.resume() }
            inner.handler.withLock { $0 }?()
        }
        #expect(log.all == [12_000])
    }
}
