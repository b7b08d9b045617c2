import Exposition
import Foundation
import MetricsCore
import SeriesStore

extension BenchSupport {
    /// The embedded scraper's own path for one body, in process: the pull parser, the scrape cache
    /// and the store (`ScrapeIngester.ingest(body:…)`), with nothing of a whole process around it
    /// (start-up, reading the body, giving the memory back at exit). `repeated`: one ingester
    /// scrapes the body again and again, a second apart, as a dashboard does every interval (each
    /// line is found where the previous body had it); otherwise every round is a target's first
    /// scrape into a new store, as `lookout query --scrape` does. Returns (MB/s, samples a scrape).
    public static func scrapeThroughput(_ body: [UInt8], minSeconds: Double, repeated: Bool) throws -> (mbPerSecond: Double, samples: Int) {
        func fresh() -> ScrapeIngester {
            ScrapeIngester(job: "bench", instance: "127.0.0.1:9100",
                           appender: MemoryStore(options: StoreOptions(retention: nil, maxSeries: 1_000_000)))
        }
        var ingester = fresh()
        var samples = 0
        var rounds = 0
        var time: Int64 = 1_700_000_000_000
        func scrape() throws -> Int {
            let summary = ingester.ingest(body: body, contentType: "text/plain; version=0.0.4", at: time, duration: 0.01)
            if let error = summary.parseError { throw error }
            time += 1000
            return summary.samplesScraped
        }
        // The target's first scrape, untimed: the rounds measured are the ones after it.
        if repeated { _ = try scrape() }
        let clock = ContinuousClock()
        let start = clock.now
        var elapsed = 0.0
        repeat {
            if !repeated { ingester = fresh() }
            samples = try scrape()
            rounds += 1
            let d = clock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        } while elapsed < minSeconds
        return (Double(body.count * rounds) / elapsed / 1_000_000, samples)
    }
}
