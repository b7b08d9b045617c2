import Exposition
import MetricsCore
import SeriesStore
import Synchronization

/// The real scrape storage: the Exposition parser (which also rejects invalid UTF-8, with its
/// position) feeding a MemoryStore through one
/// ScrapeIngester per target (which owns `up`, `scrape_duration_seconds` and staleness).
public final class StoreScrapeStorage: ScrapeStorage {
    public let store: MemoryStore
    private let ingesters = Mutex<[Labels: ScrapeIngester]>([:])

    public init(store: MemoryStore = MemoryStore()) {
        self.store = store
    }

    private func ingester(for target: Labels) -> ScrapeIngester {
        ingesters.withLock { map in
            if let existing = map[target] { return existing }
            let made = ScrapeIngester(targetLabels: target, appender: store)
            map[target] = made
            return made
        }
    }

    public func ingest(
        body: [UInt8], contentType: String?, target: Labels, at time: Timestamp, duration: Double, maxSeries: Int
    ) -> Result<Int, ScrapeIngestFailure> {
        var limits = ExpositionLimits.default
        limits.maxSamples = maxSeries
        do {
            let parsed = try Exposition.parse(body, format: ExpositionFormat(contentType: contentType), limits: limits)
            return .success(ingester(for: target).ingest(parsed, at: time, duration: duration).seriesCount)
        } catch {
            return .failure(ScrapeIngestFailure("parse error at \(error.description)"))
        }
    }

    public func recordFailure(target: Labels, at time: Timestamp, duration: Double) {
        ingester(for: target).ingestFailure(at: time, duration: duration)
    }

    public func select(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] {
        store.select(matchers, mint: mint, maxt: maxt)
    }

    public func labelValues(_ name: String, matching matchers: [LabelMatcher]) -> [String] {
        store.labelValues(name, matching: matchers)
    }
}
