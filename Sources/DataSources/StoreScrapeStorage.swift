import Exposition
import MetricsCore
import SeriesStore
import Synchronization

/// The real scrape storage: the Exposition parser (which also rejects invalid UTF-8, with its
/// position) feeding a MemoryStore through one
/// ScrapeIngester per target (which owns `up`, `scrape_duration_seconds` and staleness).
/// With a `recorder` (`--record`) every batch the ingesters write (the scrape's samples, `up` and
/// the other report series) goes to the recording as well.
public final class StoreScrapeStorage: ScrapeStorage {
    public let store: MemoryStore
    private let appender: any SampleAppender
    private let ingesters = Mutex<[Labels: ScrapeIngester]>([:])

    public init(store: MemoryStore = MemoryStore(), recorder: RecordingWriter? = nil) {
        self.store = store
        appender = recorder.map { TeeAppender(store: store, writer: $0) } ?? store
    }

    private func ingester(for target: Labels) -> ScrapeIngester {
        ingesters.withLock { map in
            if let existing = map[target] { return existing }
            let made = ScrapeIngester(targetLabels: target, appender: appender)
            map[target] = made
            return made
        }
    }

    public func ingest(
        body: [UInt8], contentType: String?, target: Labels, at time: Timestamp, duration: Double, maxSeries: Int
    ) -> Result<Int, ScrapeIngestFailure> {
        var limits = ExpositionLimits.default
        limits.maxSamples = maxSeries
        // Straight from the bytes: the ingester's scrape cache finds known series by their text.
        let summary = ingester(for: target).ingest(
            body: body, contentType: contentType, at: time, duration: duration, limits: limits)
        if let error = summary.parseError {
            // The series bound is the target's fault as a whole, not one line's: say which limit was hit.
            if error.kind == .limit && error.reason.hasPrefix("more than \(maxSeries) samples") {
                return .failure(ScrapeIngestFailure(Self.seriesLimitMessage(maxSeries)))
            }
            return .failure(ScrapeIngestFailure("parse error at \(error.description)"))
        }
        return .success(summary.seriesCount)
    }

    /// What a target that exposes more than `limit` series is told (the scrape is dropped whole).
    public static func seriesLimitMessage(_ limit: Int) -> String {
        "over series_limit: more than \(limit) series in one scrape"
    }

    public func recordFailure(target: Labels, at time: Timestamp, duration: Double) {
        ingester(for: target).ingestFailure(at: time, duration: duration)
    }

    public func select(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] {
        store.select(matchers, mint: mint, maxt: maxt)
    }

    public func selectWindows(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesWindow] {
        store.selectWindows(matchers, mint: mint, maxt: maxt)
    }

    public func labelValues(_ name: String, matching matchers: [LabelMatcher]) -> [String] {
        store.labelValues(name, matching: matchers)
    }
}
