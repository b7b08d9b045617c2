import MetricsCore
import SeriesStore

/// Appends to the store and the recording, one batch per scrape (StoreScrapeStorage with a
/// recorder, `--record`). It hands the store the scrape cache's references, so recording does not
/// put every sample back on the label-set path.
final class TeeAppender: SeriesRefAppender {
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

    func appendBatch(_ batch: inout [RefSample]) {
        store.appendBatch(&batch)
        writer.append(batch.map { InstantSample(labels: $0.labels, sample: $0.sample) })
    }
}
