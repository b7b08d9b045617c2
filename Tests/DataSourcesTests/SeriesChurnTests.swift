import DataSources
import Foundation
import MetricsCore
import SeriesStore
import Testing

/// A target that invents new label values on every scrape must not grow memory without end: series
/// that stopped appearing leave the store once the retention window has passed them.
@Suite("Series churn stays bounded")
struct SeriesChurnTests {
    static let retention: Int64 = 60_000
    static let interval: Int64 = 1_000
    static let stable = 10
    static let churnPerScrape = 5

    /// Stable series plus `churnPerScrape` series whose `request_id` is new in scrape `n`.
    static func body(_ n: Int) -> [UInt8] {
        var text = "# TYPE churn_requests gauge\n"
        for i in 0..<stable { text += "churn_stable{i=\"\(i)\"} \(n)\n" }
        for k in 0..<churnPerScrape { text += "churn_requests{request_id=\"r\(n)-\(k)\"} 1\n" }
        return Array(text.utf8)
    }

    @Test func oldSeriesGoAfterTheRetentionWindow() throws {
        let store = MemoryStore(options: StoreOptions(retention: Self.retention, maxSeries: 100_000))
        let storage = StoreScrapeStorage(store: store)
        let target = Labels(["job": "churn", "instance": "h:1"])
        // Data time ends a minute before now: the store never lets its reference run ahead of the wall clock.
        let scrapes = 900
        let start = Int64(Date().timeIntervalSince1970 * 1000) - Int64(scrapes) * Self.interval - 60_000
        var peak = 0
        var countsAfterWarmUp: [Int] = []
        for n in 0..<scrapes {
            let result = storage.ingest(
                body: Self.body(n), contentType: nil, target: target, at: start + Int64(n) * Self.interval,
                duration: 0.001, maxSeries: 100_000)
            #expect((try? result.get()) == Self.stable + Self.churnPerScrape)
            let count = store.stats().seriesCount
            peak = max(peak, count)
            if Int64(n) * Self.interval > 2 * Self.retention { countsAfterWarmUp.append(count) }
        }
        // What the window can hold: the churned series of one retention plus one sweep interval (an
        // eighth of it) and the staleness marker's extra scrape, the stable series and the report series
        // (up, scrape_duration_seconds, scrape_samples_scraped, ...).
        let windowScrapes = Int((Self.retention + Self.retention / 8) / Self.interval) + 2
        let bound = windowScrapes * Self.churnPerScrape + Self.stable + 10
        #expect(peak <= bound, "peak \(peak) series, bound \(bound); \(scrapes * Self.churnPerScrape) were ever created")
        // Flat after warm-up: the last count is within the first post-warm-up count's range.
        #expect(countsAfterWarmUp.max()! - countsAfterWarmUp.min()! <= (Self.retention / 8 / Self.interval + 2) * Int64(Self.churnPerScrape))

        let now = start + Int64(scrapes) * Self.interval
        func requests(_ id: String) throws -> Int {
            store.select([try LabelMatcher(.equal, "request_id", id)], mint: 0, maxt: .max).count
        }
        #expect(try requests("r0-0") == 0)                          // churned out long ago
        #expect(try requests("r\(scrapes - 1)-0") == 1)             // the newest scrape's series stays
        #expect(try requests("r\(scrapes - 30)-4") == 1)            // inside the window
        let stable = store.select([try LabelMatcher(.equal, "__name__", "churn_stable")], mint: now - 10_000, maxt: .max)
        #expect(stable.count == Self.stable)
        #expect(store.stats().droppedSeriesLimit == 0)
    }
}
