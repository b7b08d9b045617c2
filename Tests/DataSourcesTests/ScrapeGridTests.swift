@testable import DataSources
import Foundation
import MetricsCore
import Synchronization
import Testing

@Suite struct ScrapeGridTests {
    let grid = ScrapeGrid(intervalMs: 1000)

    @Test func slotsAreWholeIntervalsAtLeastAnIntervalApart() {
        // After the opening scrape at 14.324 s: the first whole second a whole interval on.
        #expect(grid.next(after: 14_330, previous: 14_324) == 16_000)
        #expect(grid.next(after: 14_001, previous: 14_000) == 15_000)
        // An opening scrape just before a whole second is not followed a few ms later.
        #expect(grid.next(after: 14_950, previous: 14_900) == 16_000)
        // On the grid: the following slot.
        #expect(grid.next(after: 15_040, previous: 15_000) == 16_000)
        // A cycle longer than the interval skips the slots it missed.
        #expect(grid.next(after: 17_200, previous: 15_000) == 18_000)
        // Five seconds: multiples of five seconds.
        #expect(ScrapeGrid(intervalMs: 5000).next(after: 12_003, previous: 10_000) == 15_000)
    }

    @Test func aScrapeIsStampedWithItsSlotUnlessItStartsFarTooLate() {
        #expect(grid.stamp(slot: 15_000, now: 15_004) == 15_000)
        #expect(grid.stamp(slot: 15_000, now: 14_999) == 15_000)
        #expect(grid.stamp(slot: 15_000, now: 15_700) == 15_700)
    }

    @Test func answersAreAskedAtTheNewestStampWhileItIsRecent() {
        #expect(grid.evaluationTime(now: 15_320, newest: 15_000) == 15_000)
        #expect(grid.evaluationTime(now: 16_999, newest: 15_000) == 15_000)
        #expect(grid.evaluationTime(now: 17_001, newest: 15_000) == 17_001)   // the scraper has stopped
        #expect(grid.evaluationTime(now: 14_990, newest: 15_000) == 14_990)   // a stamp ahead of the clock
        #expect(grid.evaluationTime(now: 15_320, newest: nil) == 15_320)      // nothing scraped yet
    }
}

@Suite("Embedded source on the scrape grid")
final class EmbeddedSourceGridTests: Sendable {
    let server: FaultServer

    init() async throws { server = try await FaultServer.start() }
    deinit { server.stop() }

    @Test func theTimerScrapesOnWholeIntervalsAndAnswersAtTheNewestStamp() async throws {
        let store = StoreScrapeStorage()
        let target = try ScrapeTarget.parse("good=\(server.url("/ok/metrics"))")
        // A second apart: an answer is asked at the newest stamp while that is at most two intervals
        // old, and an opening scrape on a loaded machine (a CI run building beside it) took over one.
        let source = EmbeddedSource(targets: [target], store: store,
                                    options: SourceOptions(mode: .scrape([]), interval: 1), auth: nil)
        let stamps = Mutex<[Timestamp]>([])
        source.setDataHandler {
            // Asked from the data handler, as the dashboard does: the cycle that just landed.
            let now = Timestamp((Date().timeIntervalSince1970 * 1000).rounded())
            stamps.withLock { $0.append(source.evaluationTime(now: now)) }
        }
        source.start()
        let deadline = Date().addingTimeInterval(20)
        while stamps.withLock({ $0.count }) < 4 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        source.stop()
        let asked = stamps.withLock { $0 }
        try #require(asked.count >= 4)
        let up = store.select([try LabelMatcher(.equal, "__name__", "up")], mint: 0, maxt: .max)
        let times = try #require(up.first).samples.map(\.t)
        // The opening scrape runs at once; every later one on a whole second, stamped with it.
        #expect(times.dropFirst().allSatisfy { $0 % 1000 == 0 }, "\(times)")
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 >= 1000 }, "\(times)")
        // Each cycle's answers are asked at that cycle's stamp: the newest sample there is.
        #expect(Array(asked.prefix(times.count)) == Array(times.prefix(asked.count)), "asked \(asked), stamped \(times)")
    }
}
