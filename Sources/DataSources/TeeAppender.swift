import MetricsCore
import SeriesStore

/// Appends to the store and the recording, one batch per scrape (StoreScrapeStorage with a
/// recorder, `--record`).
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
