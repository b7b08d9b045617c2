import Exposition
import Foundation
import MetricsCore
import Synchronization

/// Prometheus' scrape semantics for one target, independent of any network code: attaches the
/// target's labels (honor_labels: false, so clashing labels become `exported_<name>`), writes the
/// synthetic `up`, `scrape_duration_seconds`, `scrape_samples_scraped`,
/// `scrape_samples_post_metric_relabeling` and `scrape_series_added`, and writes staleness markers
/// for series that vanished since the previous scrape, or for all of them when the scrape failed.
///
/// Series are remembered between scrapes by the bytes of their text (`ScrapeCache`), with the
/// store's reference: a series seen before costs a hash of its text, not a label set built, sorted
/// and hashed twice (here and in the store).
public final class ScrapeIngester: Sendable {
    /// `job`, `instance` and any other target labels, attached to every sample.
    public var targetLabels: Labels { target.labels }
    /// Ready to be attached to new series.
    private let target: TargetLabels
    let appender: any SampleAppender
    let state = Mutex(IngestState())
    /// The report series' label sets, in `reportNames` order.
    let reportLabelSets: [Labels]

    public init(targetLabels: Labels, appender: any SampleAppender) {
        target = TargetLabels(targetLabels)
        self.appender = appender
        reportLabelSets = Self.reportNames.map { targetLabels.setting(Labels.metricName, $0) }
    }

    public convenience init(job: String, instance: String, appender: any SampleAppender) {
        self.init(targetLabels: Labels(["job": job, "instance": instance]), appender: appender)
    }

    /// A successful scrape: `duration` in seconds, `time` the scrape's timestamp (milliseconds).
    @discardableResult
    public func ingest(_ scrape: ParsedScrape, at time: Timestamp, duration: Double) -> ScrapeSummary {
        state.withLock { st in
            st.attempt += 1
            var scraped: [ScrapedSample] = []
            scraped.reserveCapacity(scrape.samples.count)
            for s in scrape.samples {
                let entry = st.entry(for: attachTargetLabels(s.labels), key: nil)
                scraped.append(ScrapedSample(entry: entry, value: s.value, timestamp: s.timestamp))
            }
            st.order = ScrapeOrder()
            return commit(&st, scraped, at: time, duration: duration)
        }
    }

    /// Parses a response body (format from its Content-Type) and ingests it; a malformed body
    /// counts as a failed scrape, as in Prometheus, and its error is in `parseError`.
    @discardableResult
    public func ingest<Bytes: Collection<UInt8>>(
        body: Bytes, contentType: String?, at time: Timestamp, duration: Double,
        limits: ExpositionLimits = .default
    ) -> ScrapeSummary {
        // An array is kept as it is (the next scrape compares its lines with this body's).
        let bytes = body as? [UInt8] ?? Array(body)
        let format = ExpositionFormat(contentType: contentType)
        return bytes.withUnsafeBytes {
            ingest($0, keeping: bytes, format: format, at: time, duration: duration, limits: limits)
        }
    }

    /// Room for a body's samples, guessed from its size (a first scrape has no series to count). A big
    /// body gets a sample per 48 bytes: so large an array is mapped afresh, and room never written is
    /// never resident, while outgrowing a sample per 128 bytes copied every sample so far into new
    /// pages (16 MB on 50 MB of node_exporter bodies, at 114 bytes a sample). Later scrapes reuse the
    /// array. A small body keeps the tighter guess: its array comes from the heap and is kept.
    static func sampleRoom(bodySize: Int, limits: ExpositionLimits) -> Int {
        Swift.min(bodySize / (bodySize >= 4 << 20 ? 48 : 128), limits.maxSamples)
    }

    /// The body as kept until the next scrape: a response read by appending can hold up to twice its
    /// size in spare room, kept for every target all along; then it is kept as a copy of its bytes.
    static func compact(_ body: [UInt8]) -> [UInt8] {
        body.capacity - body.count <= body.count / 8 ? body : body.withUnsafeBufferPointer { Array($0) }
    }

    private func ingest(_ body: UnsafeRawBufferPointer, keeping owner: [UInt8], format: ExpositionFormat,
                        at time: Timestamp, duration: Double, limits: ExpositionLimits) -> ScrapeSummary {
        let parsed: Result<ScrapeSummary, ExpositionError> = state.withLock { st in
            st.attempt += 1
            // A first scrape of a big target meets all its series at once: room for them up front
            // (about one per 128 bytes, never more than the limit) spares the label-set index its
            // rehashing as it grows. Later scrapes find it sized.
            let expected = Swift.min(body.count / 128, limits.maxSamples)
            if st.byLabels.isEmpty { st.byLabels.reserveCapacity(expected) }
            // The previous body's lines are expected again only when they passed the same checks.
            let order = format == .text && body.count <= Int(UInt32.max) && st.order.limits == limits
                ? st.order : ScrapeOrder()
            var out = st.spareScraped
            st.spareScraped = []
            out.removeAll(keepingCapacity: true)
            out.reserveCapacity(Swift.max(st.cache.entries.count, Self.sampleRoom(bodySize: body.count, limits: limits)) + 16)
            do throws(ExpositionError) {
                try order.body.withUnsafeBytes { previous -> Result<Void, ExpositionError> in
                    do throws(ExpositionError) {
                        return .success(try ExpositionPullParser.withParser(body, format: format, limits: limits) {
                            (p: inout ExpositionPullParser) throws(ExpositionError) in
                            try read(&p, &st, body, previous, order.samples, into: &out)
                        })
                    } catch { return .failure(error) }
                }.get()
                // Before the commit, which renumbers the entries of the series this body lacks.
                if format == .text {
                    st.spareScraped = st.order.samples
                    st.order = ScrapeOrder(body: Self.compact(owner), samples: out, limits: limits)
                } else {
                    st.order = ScrapeOrder()
                    st.spareScraped = out
                }
                return .success(commit(&st, out, at: time, duration: duration))
            } catch {
                // Series first met in the rejected body are forgotten again.
                st.forgetNeverSeen()
                return .failure(error)
            }
        }
        switch parsed {
        case .success(let summary): return summary
        case .failure(let error):
            var summary = ingestFailure(at: time, duration: duration)
            summary.parseError = error
            return summary
        }
    }

    /// The body's samples with their cache entries. The sample line expected next is the one after
    /// the previous line's place in the previous body; when it is not there, its series is looked up
    /// by its text, and the order goes on from where that series was.
    private func read(_ p: inout ExpositionPullParser, _ st: inout IngestState, _ body: UnsafeRawBufferPointer,
                      _ previous: UnsafeRawBufferPointer, _ order: [ScrapedSample],
                      into out: inout [ScrapedSample]) throws(ExpositionError) {
        var reader: SeriesLabelReader?
        var next = 0
        let previous = previous.baseAddress
        while true {
            if next < order.count, order[next].entry >= 0, let previous {
                let line = order[next]
                p.expectSeries(UnsafeRawBufferPointer(start: previous + Int(line.textStart), count: Int(line.textCount)))
            }
            guard let e = try p.next() else { return }
            guard e == .sample, !p.isCreatedSeries else { continue }
            let key = p.seriesText
            let entry: Int
            if p.seriesWasExpected {
                entry = order[next].entry
                next += 1
            } else if let cached = st.cache.lookup(key) {
                entry = cached
                let at = Int(st.cache[cached].position)
                if at >= 0 { next = at + 1 }
            } else {
                if reader == nil { reader = SeriesLabelReader(bodySize: body.count) }
                entry = st.entry(for: attachTargetLabels(reader!.labels(of: p)), key: key)
            }
            let start = key.baseAddress.map { $0 - body.baseAddress! } ?? 0
            out.append(ScrapedSample(entry: entry, value: p.value, timestamp: p.timestamp,
                                     textStart: UInt32(truncatingIfNeeded: start), textCount: UInt32(truncatingIfNeeded: key.count)))
        }
    }

    /// A failed scrape (network error, bad status, parse error): `up` 0 and every series stale.
    @discardableResult
    public func ingestFailure(at time: Timestamp, duration: Double) -> ScrapeSummary {
        state.withLock { st in
            let stale = st.previousTracked
            let summary = ScrapeSummary(up: false, staleMarkers: stale.count)
            var batch = stale.map { RefSample(labels: st.cache[$0].labels, ref: st.cache[$0].ref,
                                              sample: Sample(t: time, v: StaleNaN.value)) }
            st.previousTracked = []
            st.previousAttempt = nil
            appendReport(&batch, st.reportRefs, summary, at: time, duration: duration)
            write(&batch)
            st.reportRefs = batch.suffix(Self.reportNames.count).map(\.ref)
            return summary
        }
    }

    /// The target went away: every series it wrote, the synthetic ones included, becomes stale.
    public func markTargetGone(at time: Timestamp) {
        state.withLock { st in
            var batch = st.previousTracked.map { RefSample(labels: st.cache[$0].labels, ref: st.cache[$0].ref,
                                                           sample: Sample(t: time, v: StaleNaN.value)) }
            for (labels, ref) in zip(reportLabelSets, st.reportRefs) {
                batch.append(RefSample(labels: labels, ref: ref, sample: Sample(t: time, v: StaleNaN.value)))
            }
            st.previousTracked = []
            st.previousAttempt = nil
            write(&batch)
        }
    }

    /// Writes the scrape's samples, the staleness markers of series gone since the previous scrape
    /// and the report series in one batch, then forgets the series this scrape did not have.
    private func commit(_ st: inout IngestState, _ scraped: [ScrapedSample], at time: Timestamp,
                        duration: Double) -> ScrapeSummary {
        let now = st.attempt
        var seriesCount = 0
        var added = 0
        var current = st.spareTracked
        var batch = st.batch
        st.spareTracked = []
        st.batch = ReusedBatch()
        current.removeAll(keepingCapacity: true)
        current.reserveCapacity(st.previousTracked.count + 16)
        batch.samples.reserveCapacity(scraped.count + st.previousTracked.count + Self.reportNames.count)
        let previousAttempt = st.previousAttempt
        // A series the body repeats keeps its first sample at the scrape's time, as in Prometheus.
        // The later ones stay out of the batch: the store would drop them too, but in the series'
        // first scrape, before it has a reference, only after hashing its label set for each one.
        var written = 0
        var duplicates = 0
        st.cache.withEntries { entries in
            for (i, s) in scraped.enumerated() {
                entries[s.entry].position = Int32(truncatingIfNeeded: i)
                if s.timestamp == nil, entries[s.entry].tracked == now { duplicates += 1; continue }
                if entries[s.entry].seen != now { entries[s.entry].seen = now; seriesCount += 1 }
                // Samples with their own timestamp are not tracked for staleness (as in Prometheus).
                if s.timestamp == nil, entries[s.entry].tracked != now {
                    if previousAttempt == nil || entries[s.entry].tracked != previousAttempt { added += 1 }
                    entries[s.entry].tracked = now
                    current.append(s.entry)
                }
                batch.put(written, entry: s.entry, ref: entries[s.entry].ref,
                          sample: Sample(t: s.timestamp ?? time, v: s.value), labels: entries[s.entry].labels)
                written += 1
            }
        }
        batch.keep(written)
        var gone = 0
        for e in st.previousTracked where st.cache[e].tracked != now {
            batch.samples.append(RefSample(labels: st.cache[e].labels, ref: st.cache[e].ref, sample: Sample(t: time, v: StaleNaN.value)))
            gone += 1
        }
        let summary = ScrapeSummary(up: true, samplesScraped: scraped.count, seriesCount: seriesCount,
                                    seriesAdded: added, staleMarkers: gone, duplicateSamples: duplicates)
        appendReport(&batch.samples, st.reportRefs, summary, at: time, duration: duration)
        write(&batch.samples)
        var adopted: [Int] = []
        st.cache.withEntries { entries in
            for k in 0..<written {
                let e = batch.entries[k]
                if entries[e].ref != batch.samples[k].ref, !Self.sameArray(entries[e].labels, batch.samples[k].labels) {
                    adopted.append(k)
                }
                entries[e].ref = batch.samples[k].ref
            }
        }
        for k in adopted { st.adopt(batch.samples[k].labels, forEntry: batch.entries[k]) }
        st.reportRefs = batch.samples.suffix(Self.reportNames.count).map(\.ref)
        st.spareTracked = st.previousTracked
        st.previousTracked = current
        st.previousAttempt = now
        batch.keep(written)  // the label sets of series gone now are not held on to
        st.batch = batch
        if seriesCount < st.cache.entries.count { st.forget(notSeenIn: now) }
        return summary
    }

    static let reportNames = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
        "scrape_series_added",
    ]

    private func appendReport(_ batch: inout [RefSample], _ refs: [SeriesRef?], _ s: ScrapeSummary, at time: Timestamp,
                              duration: Double) {
        let values = [s.up ? 1 : 0, duration, Double(s.samplesScraped), Double(s.samplesScraped), Double(s.seriesAdded)]
        for (i, v) in values.enumerated() {
            batch.append(RefSample(labels: reportLabelSets[i], ref: i < refs.count ? refs[i] : nil, sample: Sample(t: time, v: v)))
        }
    }

    /// Whether two label sets are one array (the ingester's and the store's copy of a series'
    /// labels become one, see `IngestState.adopt`).
    static func sameArray(_ a: Labels, _ b: Labels) -> Bool {
        a.pairs.withUnsafeBufferPointer { x in b.pairs.withUnsafeBufferPointer { x.baseAddress == $0.baseAddress } }
    }

    /// By reference into a MemoryStore; by labels into any other appender.
    private func write(_ batch: inout [RefSample]) {
        if let byRef = appender as? any SeriesRefAppender {
            byRef.appendBatch(&batch)
        } else if let batching = appender as? any BatchSampleAppender {
            batching.appendBatch(batch.map { InstantSample(labels: $0.labels, sample: $0.sample) })
        } else {
            for s in batch { appender.append(s.labels, s.sample) }
        }
    }

    /// honor_labels: false; see `TargetLabels`.
    func attachTargetLabels(_ labels: Labels) -> Labels { target.attach(to: labels) }

    /// Series without their own timestamps written by the last successful scrape (those tracked
    /// for staleness).
    public var lastSeriesCount: Int { state.withLock { $0.previousTracked.count } }
}
