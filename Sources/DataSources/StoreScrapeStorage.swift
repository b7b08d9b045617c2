import Exposition
import MetricsCore
import SeriesStore
import Synchronization

/// The real scrape storage: the Exposition parser feeding a MemoryStore through one
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
        if let bad = Self.firstInvalidUTF8Line(body) {
            return .failure(ScrapeIngestFailure("parse error at line \(bad): invalid UTF-8"))
        }
        var limits = ExpositionLimits.default
        limits.maxSamples = maxSeries
        do {
            let parsed = try Exposition.parse(body, format: ExpositionFormat(contentType: contentType), limits: limits)
            return .success(ingester(for: target).ingest(parsed, at: time, duration: duration).seriesCount)
        } catch {
            return .failure(ScrapeIngestFailure("parse error at \(error.description)"))
        }
    }

    /// Both exposition formats are UTF-8; Prometheus rejects invalid label values, and invalid
    /// bytes must not reach names, labels or HELP text shown on screen. Returns the 1-based line.
    static func firstInvalidUTF8Line(_ body: [UInt8]) -> Int? {
        if String(validating: body, as: UTF8.self) != nil { return nil }
        var line = 1
        for slice in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if String(validating: slice, as: UTF8.self) == nil { return line }
            line += 1
        }
        return line
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
