import Foundation
import MetricsCore

/// The embedded time-series store: series by interned label set, samples in XOR-compressed chunks,
/// a postings index for selectors, a retention window and hard caps.
///
/// Thread-safe: one lock guards the state. Readers hold it only to find series and copy chunk
/// references (arrays are copy-on-write, so that is cheap); decoding happens after unlocking, so a
/// large query does not stall the scrape writer.
public final class MemoryStore: SeriesQueryable, BatchSampleAppender, @unchecked Sendable {
    struct Series {
        var labels: Labels
        var sealed: [XORChunk] = []
        var head = XORChunk()
        var sampleCount = 0

        var newest: Timestamp? { head.count > 0 ? head.maxT : sealed.last?.maxT }
    }

    private let lock = NSLock()
    private var currentOptions: StoreOptions
    // Everything below is guarded by `lock`.
    private var series: [Series] = []
    private var ids: [Labels: UInt32] = [:]
    private var postings = Postings()
    private var interner = StringInterner()
    private var newest: Timestamp?
    private var lastSweep: Timestamp?
    private var droppedOutOfOrder = 0
    private var droppedSeriesLimit = 0

    public init(options: StoreOptions = .default) {
        self.currentOptions = options
    }

    public var options: StoreOptions {
        lock.lock()
        defer { lock.unlock() }
        return currentOptions
    }

    /// Changes the retention window (e.g. when a layout with a longer graph range is opened);
    /// a shorter window takes effect at the next sweep.
    public func setRetention(_ retention: Int64?) {
        lock.lock()
        currentOptions.retention = retention
        lock.unlock()
    }

    // MARK: Writing

    public func append(_ labels: Labels, _ sample: Sample) {
        lock.lock()
        appendLocked(labels, sample)
        lock.unlock()
    }

    public func appendBatch(_ samples: [InstantSample]) {
        lock.lock()
        for s in samples { appendLocked(s.labels, s.sample) }
        lock.unlock()
    }

    private func appendLocked(_ labels: Labels, _ sample: Sample) {
        let id: UInt32
        if let existing = ids[labels] {
            id = existing
        } else {
            guard series.count < currentOptions.maxSeries else { droppedSeriesLimit += 1; return }
            let interned = interner.intern(labels)
            id = UInt32(series.count)
            series.append(Series(labels: interned))
            ids[interned] = id
            postings.add(id, interned)
        }
        let i = Int(id)
        if let last = series[i].newest, sample.t <= last {
            droppedOutOfOrder += 1
            return
        }
        if series[i].head.isFull {
            var full = series[i].head
            full.seal()
            series[i].sealed.append(full)
            series[i].head = XORChunk()
            enforceSampleCap(i)
        }
        series[i].head.append(sample.t, sample.v)
        series[i].sampleCount += 1
        if newest.map({ sample.t > $0 }) ?? true { newest = sample.t }
        sweepIfDue()
    }

    private func enforceSampleCap(_ i: Int) {
        while series[i].sampleCount > currentOptions.maxSamplesPerSeries, let first = series[i].sealed.first {
            series[i].sampleCount -= first.count
            series[i].sealed.removeFirst()
        }
    }

    /// Drops expired chunks a few times per retention window (not on every append: it walks all series).
    /// Time is the data's own (the newest timestamp appended), so test loads behave the same at any
    /// wall-clock time; but one sample stamped far in the future must not expire everything else, so
    /// the reference never runs ahead of the wall clock.
    private func sweepIfDue() {
        guard let retention = currentOptions.retention, let newest else { return }
        let wallClockLimit = Int64(Date().timeIntervalSince1970 * 1000)
        let reference = min(newest, wallClockLimit)
        let interval = max(retention / 8, 1)
        if let lastSweep {
            let (sinceLast, overflow) = reference.subtractingReportingOverflow(lastSweep)
            if !overflow && sinceLast < interval { return }
        } else {
            lastSweep = reference
            return
        }
        lastSweep = reference
        let (cutoff, overflow) = reference.subtractingReportingOverflow(retention)
        if !overflow { removeOlderThan(cutoff) }
    }

    /// Drops every sample older than `cutoff` now (whole chunks; a chunk straddling it stays) and
    /// forgets series left empty.
    public func dropSamples(before cutoff: Timestamp) {
        lock.lock()
        removeOlderThan(cutoff)
        lock.unlock()
    }

    private func removeOlderThan(_ cutoff: Timestamp) {
        var removedSeries = false
        for i in series.indices {
            while let first = series[i].sealed.first, first.maxT < cutoff {
                series[i].sampleCount -= first.count
                series[i].sealed.removeFirst()
            }
            if series[i].sealed.isEmpty, series[i].head.count > 0, series[i].head.maxT < cutoff {
                series[i].sampleCount = 0
                series[i].head = XORChunk()
                removedSeries = true
            }
        }
        if removedSeries { compact() }
    }

    /// Renumbers the live series and rebuilds the index and the interner without the dead ones.
    private func compact() {
        let live = series.filter { $0.sampleCount > 0 }
        series = []
        ids = [:]
        postings = Postings()
        interner = StringInterner()
        series.reserveCapacity(live.count)
        for var s in live {
            s.labels = interner.intern(s.labels)
            let id = UInt32(series.count)
            series.append(s)
            ids[s.labels] = id
            postings.add(id, s.labels)
        }
    }

    // MARK: Reading

    public func select(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] {
        guard mint <= maxt else { return [] }
        var snapshots: [(Labels, [XORChunk])] = []
        lock.lock()
        for i in candidates(matchers) {
            let s = series[i]
            guard matchers.allSatisfy({ $0.matches(s.labels) }) else { continue }
            var chunks: [XORChunk] = []
            for c in s.sealed where c.maxT >= mint && c.minT <= maxt { chunks.append(c) }
            if s.head.count > 0, s.head.maxT >= mint, s.head.minT <= maxt { chunks.append(s.head) }
            if !chunks.isEmpty { snapshots.append((s.labels, chunks)) }
        }
        lock.unlock()
        var out: [SeriesSamples] = []
        out.reserveCapacity(snapshots.count)
        for (labels, chunks) in snapshots {
            var samples: [Sample] = []
            samples.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
            for c in chunks { c.decode(into: &samples, mint: mint, maxt: maxt) }
            if !samples.isEmpty { out.append(SeriesSamples(labels: labels, samples: samples)) }
        }
        return out
    }

    public func labelValues(_ name: String, matching matchers: [LabelMatcher]) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        if matchers.isEmpty { return postings.values(of: name).sorted() }
        var values: Set<String> = []
        for i in candidates(matchers) {
            let labels = series[i].labels
            guard matchers.allSatisfy({ $0.matches(labels) }), let v = labels[name] else { continue }
            values.insert(v)
        }
        return values.sorted()
    }

    /// Series indexes that may match: the intersection of the postings of every matcher that needs
    /// its label present; all series when no matcher narrows. Callers still check every matcher.
    private func candidates(_ matchers: [LabelMatcher]) -> [Int] {
        var result: [UInt32]?
        for m in matchers where !m.matchesEmpty {
            let list = postings.ids(for: m)
            result = result.map { Postings.intersect($0, list) } ?? list
            if result?.isEmpty == true { return [] }
        }
        guard let result else { return Array(series.indices) }
        return result.map { Int($0) }
    }

    /// All label names in use, sorted.
    public func labelNames() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return postings.index.keys.sorted()
    }

    // MARK: Accounting

    public func stats() -> StoreStats {
        lock.lock()
        defer { lock.unlock() }
        var st = StoreStats()
        st.seriesCount = series.count
        st.droppedOutOfOrder = droppedOutOfOrder
        st.droppedSeriesLimit = droppedSeriesLimit
        st.newestTimestamp = newest
        var overhead = 0
        for s in series {
            st.sampleCount += s.sampleCount
            st.chunkCount += s.sealed.count + (s.head.count > 0 ? 1 : 0)
            st.encodedBytes += s.sealed.reduce(0) { $0 + $1.bytes.count } + s.head.bytes.count
            // Chunk headers, the series record, its label array and dictionary/postings entries.
            overhead += (s.sealed.count + 1) * MemoryLayout<XORChunk>.stride + 64 + s.labels.count * 48
        }
        st.estimatedTotalBytes = st.encodedBytes + overhead + interner.approximateBytes
        return st
    }

    /// Bytes of compressed sample data per stored sample.
    public var bytesPerSample: Double { stats().bytesPerSample }
}
