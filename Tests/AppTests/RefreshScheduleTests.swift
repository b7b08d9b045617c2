import App
import Testing

@Suite struct RefreshScheduleTests {
    @Test func theFirstBatchIsARefillAndLaterOnesComeEveryInterval() {
        var s = RefreshSchedule(intervalMs: 5000)
        #expect(s.start(now: 0, paused: false) == (true, true))
        // One batch in flight at most.
        #expect(s.start(now: 10_000, paused: false).started == false)
        s.finished()
        #expect(s.start(now: 4000, paused: false).started == false)
        #expect(s.start(now: 5000, paused: false) == (false, true))
    }

    @Test func userRequestsStartAtOnceAndRefillWins() {
        var s = RefreshSchedule(intervalMs: 5000)
        _ = s.start(now: 0, paused: false)
        s.finished()
        s.request(refill: false)
        s.request(refill: true)
        #expect(s.start(now: 100, paused: false) == (true, true))
    }

    @Test func pausedDashboardsFetchOnlyForARefill() {
        var s = RefreshSchedule(intervalMs: 5000)
        _ = s.start(now: 0, paused: true)
        s.finished()
        s.dataArrived(now: 9000)
        #expect(s.start(now: 60_000, paused: true).started == false)
        s.request(refill: true)
        #expect(s.start(now: 60_001, paused: true) == (true, true))
    }

    @Test func theFirstScrapeBringsTheRefreshForwardEvenRightAfterTheOpeningBatch() {
        var s = RefreshSchedule(intervalMs: 10_000)
        _ = s.start(now: 0, paused: false)
        s.finished()
        s.dataArrived(now: 50)
        #expect(s.start(now: 50, paused: false) == (false, true))
    }

    @Test func aFinishedScrapeBringsTheRefreshForwardUnlessOneJustRan() {
        var s = RefreshSchedule(intervalMs: 10_000)
        s.dataArrived(now: -1)  // not the first scrape
        _ = s.start(now: 0, paused: false)
        s.finished()
        s.dataArrived(now: 2000)
        #expect(s.start(now: 2000, paused: false).started == false)
        s.dataArrived(now: 6000)
        #expect(s.start(now: 6000, paused: false) == (false, true))
    }

    /// Embedded mode: the scrape's notice starts each batch, so a batch never asks a moment before
    /// the scrape lands (for the old data); the interval starts one only when no notice came.
    @Test func aSourceThatReportsItsScrapesStartsEachBatchItself() {
        var s = RefreshSchedule(intervalMs: 1000)
        _ = s.start(now: 0, paused: false)
        s.finished()
        s.dataArrived(now: 8)
        #expect(s.start(now: 8, paused: false) == (false, true))
        s.finished()
        // A second later the scrape is a few milliseconds late: no batch until it lands.
        #expect(s.start(now: 1008, paused: false).started == false)
        #expect(s.start(now: 1012, paused: false).started == false)
        s.dataArrived(now: 1013)
        #expect(s.start(now: 1013, paused: false) == (false, true))
        s.finished()
        // No notice at all (the source stalled): the interval still refreshes, half an interval late.
        #expect(s.start(now: 2400, paused: false).started == false)
        #expect(s.timeout(now: 2400, paused: false, clockFrameAt: 3000) == 113)
        #expect(s.start(now: 2513, paused: false) == (false, true))
    }

    /// A server (no scrape notices): every interval, on the interval.
    @Test func withoutScrapeNoticesTheIntervalStartsEachBatch() {
        var s = RefreshSchedule(intervalMs: 1000)
        _ = s.start(now: 0, paused: false)
        s.finished()
        #expect(s.start(now: 999, paused: false).started == false)
        #expect(s.start(now: 1000, paused: false) == (false, true))
    }

    @Test func theWaitIsNeverZeroAndNeverSpinsWhileNothingCanStart() {
        var s = RefreshSchedule(intervalMs: 5000)
        _ = s.start(now: 0, paused: false)
        // In flight with a forced refresh queued: wait for the clock, not the 10 ms floor.
        s.request(refill: false)
        #expect(s.timeout(now: 200, paused: false, clockFrameAt: nextSecond(200)) == 800)
        s.finished()
        #expect(s.timeout(now: 200, paused: false, clockFrameAt: nextSecond(200)) == 10)
        _ = s.start(now: 200, paused: false)
        s.finished()
        // Paused with a scrape notice pending: only the clock's second.
        s.dataArrived(now: 4000)
        #expect(s.timeout(now: 4000, paused: true, clockFrameAt: nextSecond(4000)) == 1000)
        #expect(s.start(now: 4000, paused: false) == (false, true))
        s.finished()
        // Idle: the next second or the next timed start, whichever first (scrapes have reported,
        // so the interval is only the fallback, half an interval late: 4000 + 5000 + 2500).
        #expect(s.timeout(now: 4500, paused: false, clockFrameAt: nextSecond(4500)) == 500)
        #expect(s.timeout(now: 8800, paused: false, clockFrameAt: nextSecond(8800)) == 200)
        #expect(s.timeout(now: 9100, paused: false, clockFrameAt: nextSecond(9100)) == 900)
        #expect(s.timeout(now: 11_600, paused: false, clockFrameAt: nextSecond(11_600)) == 10)
        for t in stride(from: Int64(0), to: 20_000, by: 137) {
            #expect(s.timeout(now: t, paused: false, clockFrameAt: nextSecond(t)) >= 10)
            #expect(s.timeout(now: t, paused: true, clockFrameAt: nextSecond(t)) >= 10)
        }
    }

    /// The clock's frame at the next whole second (what `ClockFrames` gives right after a frame at a
    /// whole second).
    private func nextSecond(_ now: Int64) -> Int64 { (now / 1000 + 1) * 1000 }
}
