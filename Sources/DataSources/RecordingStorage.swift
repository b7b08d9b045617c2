import Exposition
import MetricsCore
import SeriesStore
import Synchronization

/// Scrape storage that also records: the same parser, ingester and MemoryStore as
/// StoreScrapeStorage, with every batch the ingester writes (the scrape's samples, `up` and the
/// other report series) handed to a RecordingWriter as well. Used only with `--record`.
public final class RecordingScrapeStorage: ScrapeStorage {
    public let store: MemoryStore
    public let writer: RecordingWriter
    private let tee: TeeAppender
    private let ingesters = Mutex<[Labels: ScrapeIngester]>([:])

    public init(store: MemoryStore, writer: RecordingWriter) {
        self.store = store
        self.writer = writer
        tee = TeeAppender(store: store, writer: writer)
    }

    private func ingester(for target: Labels) -> ScrapeIngester {
        ingesters.withLock { map in
            if let existing = map[target] { return existing }
            let made = ScrapeIngester(targetLabels: target, appender: tee)
            map[target] = made
            return made
        }
    }

    public func ingest(
        body: [UInt8], contentType: String?, target: Labels, at time: Timestamp, duration: Double, maxSeries: Int
    ) -> Result<Int, ScrapeIngestFailure> {
        var limits = ExpositionLimits.default
        limits.maxSamples = maxSeries
        let summary = ingester(for: target).ingest(
            body: body, contentType: contentType, at: time, duration: duration, limits: limits)
        if let error = summary.parseError {
            return .failure(ScrapeIngestFailure("parse error at \(error.description)"))
        }
        return .success(summary.seriesCount)
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

/// Appends to the store and the recording, one batch per scrape.
final class TeeAppender: BatchSampleAppender {
    let store: MemoryStore
    let writer: RecordingWriter

    init(store: MemoryStore, writer: RecordingWriter) {
        self.store = store
        self.writer = writer
    }

    func append(_ labels: Labels, _ sample: Sample) { appendBatch([InstantSample(labels: labels, sample: sample)]) }

    func appendBatch(_ samples: [InstantSample]) {
        store.appendBatch(samples)
        writer.append(samples)
    }
}
