import Exposition
import Foundation
import MetricsCore
import Synchronization

/// What one scrape did to the store.
public struct ScrapeSummary: Hashable, Sendable {
    public var up: Bool
    /// Samples in the body (what `scrape_samples_scraped` reports).
    public var samplesScraped: Int
    /// Distinct series this scrape wrote (without the synthetic ones).
    public var seriesCount: Int
    /// Series not present in the previous scrape.
    public var seriesAdded: Int
    /// Staleness markers written for series that disappeared.
    public var staleMarkers: Int
    /// Why the body was rejected, when `ingest(body:contentType:…)` was given a malformed one.
    public var parseError: ExpositionError?

    public init(up: Bool, samplesScraped: Int = 0, seriesCount: Int = 0, seriesAdded: Int = 0, staleMarkers: Int = 0,
                parseError: ExpositionError? = nil) {
        self.up = up
        self.samplesScraped = samplesScraped
        self.seriesCount = seriesCount
        self.seriesAdded = seriesAdded
        self.staleMarkers = staleMarkers
        self.parseError = parseError
    }
}

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
    public let targetLabels: Labels
    /// The same, ready to be attached to new series.
    private let target: TargetLabels
    let appender: any SampleAppender
    let state = Mutex(IngestState())

    public init(targetLabels: Labels, appender: any SampleAppender) {
        self.targetLabels = targetLabels
        target = TargetLabels(targetLabels)
        self.appender = appender
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
        let format = ExpositionFormat(contentType: contentType)
        if let done = body.withContiguousStorageIfAvailable({ buffer in
            ingest(UnsafeRawBufferPointer(buffer), format: format, at: time, duration: duration, limits: limits)
        }) {
            return done
        }
        return Array(body).withUnsafeBytes { ingest($0, format: format, at: time, duration: duration, limits: limits) }
    }

    private func ingest(_ body: UnsafeRawBufferPointer, format: ExpositionFormat, at time: Timestamp, duration: Double,
                        limits: ExpositionLimits) -> ScrapeSummary {
        let parsed: Result<ScrapeSummary, ExpositionError> = state.withLock { st in
            st.attempt += 1
            // A first scrape of a big target meets all its series at once: room for them up front
            // (about one per 128 bytes, never more than the limit) spares the label-set index its
            // rehashing as it grows. Later scrapes find it sized.
            let expected = Swift.min(body.count / 128, limits.maxSamples)
            if st.byLabels.isEmpty { st.byLabels.reserveCapacity(expected) }
            do throws(ExpositionError) {
                let scraped = try ExpositionPullParser.withParser(body, format: format, limits: limits) {
                    (p: inout ExpositionPullParser) throws(ExpositionError) -> [ScrapedSample] in
                    var out: [ScrapedSample] = []
                    out.reserveCapacity(Swift.max(st.cache.entries.count, expected) + 16)
                    var reader: SeriesLabelReader?
                    while let e = try p.next() {
                        guard e == .sample, !p.isCreatedSeries else { continue }
                        let key = p.seriesText
                        let entry: Int
                        if let cached = st.cache.lookup(key) {
                            entry = cached
                        } else {
                            if reader == nil { reader = SeriesLabelReader(bodySize: body.count) }
                            entry = st.entry(for: attachTargetLabels(reader!.labels(of: p)), key: key)
                        }
                        out.append(ScrapedSample(entry: entry, value: p.value, timestamp: p.timestamp))
                    }
                    return out
                }
                return .success(commit(&st, scraped, at: time, duration: duration))
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
            for (name, ref) in zip(Self.reportNames, st.reportRefs) {
                batch.append(RefSample(labels: reportLabels(name), ref: ref, sample: Sample(t: time, v: StaleNaN.value)))
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
        var current: [Int] = []
        current.reserveCapacity(st.previousTracked.count + 16)
        var batch: [RefSample] = []
        batch.reserveCapacity(scraped.count + st.previousTracked.count + Self.reportNames.count)
        for s in scraped {
            if st.cache[s.entry].seen != now { st.cache[s.entry].seen = now; seriesCount += 1 }
            // Samples with their own timestamp are not tracked for staleness (as in Prometheus).
            if s.timestamp == nil, st.cache[s.entry].tracked != now {
                if st.previousAttempt == nil || st.cache[s.entry].tracked != st.previousAttempt { added += 1 }
                st.cache[s.entry].tracked = now
                current.append(s.entry)
            }
            batch.append(RefSample(labels: st.cache[s.entry].labels, ref: st.cache[s.entry].ref,
                                   sample: Sample(t: s.timestamp ?? time, v: s.value)))
        }
        let gone = st.previousTracked.filter { st.cache[$0].tracked != now }
        for e in gone {
            batch.append(RefSample(labels: st.cache[e].labels, ref: st.cache[e].ref, sample: Sample(t: time, v: StaleNaN.value)))
        }
        let summary = ScrapeSummary(up: true, samplesScraped: scraped.count, seriesCount: seriesCount,
                                    seriesAdded: added, staleMarkers: gone.count)
        appendReport(&batch, st.reportRefs, summary, at: time, duration: duration)
        write(&batch)
        for (i, s) in scraped.enumerated() { st.cache[s.entry].ref = batch[i].ref }
        st.reportRefs = batch.suffix(Self.reportNames.count).map(\.ref)
        st.previousTracked = current
        st.previousAttempt = now
        if seriesCount < st.cache.entries.count { st.forget(notSeenIn: now) }
        return summary
    }

    static let reportNames = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
        "scrape_series_added",
    ]

    private func reportLabels(_ name: String) -> Labels { targetLabels.setting(Labels.metricName, name) }

    private func appendReport(_ batch: inout [RefSample], _ refs: [SeriesRef?], _ s: ScrapeSummary, at time: Timestamp,
                              duration: Double) {
        let values: [Double] = [
            s.up ? 1 : 0, duration, Double(s.samplesScraped), Double(s.samplesScraped), Double(s.seriesAdded),
        ]
        for (i, (name, v)) in zip(Self.reportNames, values).enumerated() {
            batch.append(RefSample(labels: reportLabels(name), ref: i < refs.count ? refs[i] : nil, sample: Sample(t: time, v: v)))
        }
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
