import Foundation
import MetricsCore
import Synchronization

/// The embedded time-series store: series by interned label set, samples in XOR-compressed chunks,
/// a postings index for selectors, a retention window and hard caps.
///
/// Thread-safe: one `Mutex` guards the state. Readers hold it only to find series and copy chunk
/// references (arrays are copy-on-write, so that is cheap); regular expressions are matched and
/// chunks decoded after unlocking, so neither a large query nor a slow pattern stalls the scrape
/// writer (see MemoryStore+Reading.swift).
public final class MemoryStore: SeriesQueryable, SeriesRefAppender, Sendable {
    struct Series {
        var labels: Labels
        /// Index of the series' metric name in `StoreState.nameStamps`.
        var nameSlot: Int
        var sealed: [XORChunk] = []
        var head = XORChunk()
        var sampleCount = 0
        /// Decoded recent samples, while live queries read them (see RecentWindow.swift).
        var recent: RecentWindow?

        var newest: Timestamp? { head.count > 0 ? head.maxT : sealed.last?.maxT }
    }

    let state: Mutex<StoreState>
    /// Decoded samples of the chunks read last (see DecodeCache.swift).
    let decodeCache = DecodeCache()

    public init(options: StoreOptions = .default) {
        state = Mutex(StoreState(options: options))
    }

    public var options: StoreOptions { state.withLock { $0.options } }

    /// Changes the retention window (e.g. when a layout with a longer graph range is opened);
    /// a shorter window takes effect at the next sweep.
    public func setRetention(_ retention: Int64?) {
        state.withLock { $0.options.retention = retention }
    }

    // MARK: Writing

    public func append(_ labels: Labels, _ sample: Sample) {
        state.withLock { s in
            if let id = s.id(for: labels) { s.append(id, sample) }
        }
    }

    public func appendBatch(_ samples: [InstantSample]) {
        state.withLock { s in
            for x in samples {
                if let id = s.id(for: x.labels) { s.append(id, x.sample) }
            }
        }
    }

    /// Appends by reference where the reference is current (no label-set hashing), by labels
    /// otherwise, and hands back each sample's current reference (and, for one found by its
    /// labels, the store's copy of them).
    public func appendBatch(_ batch: inout [RefSample]) {
        state.withLock { s in
            // A first scrape of a big target brings thousands of series at once: the index grows to
            // their number in one step instead of by doubling, rehashing every label set each time.
            var unknown = 0
            for i in batch.indices where batch[i].ref?.epoch != s.epoch { unknown += 1 }
            if unknown > 256 { s.reserve(newSeries: unknown) }
            for i in batch.indices {
                let id: UInt32
                if let ref = batch[i].ref, ref.epoch == s.epoch, Int(ref.id) < s.series.count {
                    id = ref.id
                } else if let found = s.id(for: batch[i].labels) {
                    id = found
                    batch[i].ref = SeriesRef(id: found, epoch: s.epoch)
                    // The store's copy, its strings shared with other targets' series: the caller
                    // can hold this one instead of its own.
                    batch[i].labels = s.series[Int(found)].labels
                } else {
                    batch[i].ref = nil
                    continue
                }
                s.append(id, batch[i].sample)
            }
        }
    }

    /// Drops every sample older than `cutoff` now (whole chunks; a chunk straddling it stays) and
    /// forgets series left empty.
    public func dropSamples(before cutoff: Timestamp) {
        state.withLock { $0.removeOlderThan(cutoff) }
    }

    /// Changes so far (see `StoreState.changes`): equal values mean every query sees the same data.
    public var changeCount: UInt64 { state.withLock { $0.changes } }

    /// A stamp of the data of the series named `metricNames` (all series when nil): equal values
    /// mean a query that selects only those names sees the same data. A recording rule writing its
    /// output moves the stamp of its own name, not that of the scraped metrics it reads.
    public func changeStamp(metricNames: [String]?) -> UInt64 {
        state.withLock { s in
            guard let metricNames else { return s.changes }
            var stamp = s.dropStamp
            for name in metricNames {
                if let slot = s.nameSlots[name] { stamp = max(stamp, s.nameStamps[slot]) }
            }
            return stamp
        }
    }

    // MARK: Accounting

    /// All label names in use, sorted.
    public func labelNames() -> [String] {
        state.withLock { $0.postings.labelNames }.sorted()
    }

    public func stats() -> StoreStats {
        state.withLock { s in
            var st = StoreStats()
            st.seriesCount = s.series.count
            st.droppedOutOfOrder = s.droppedOutOfOrder
            st.droppedSeriesLimit = s.droppedSeriesLimit
            st.newestTimestamp = s.newest
            var overhead = 0
            for x in s.series {
                st.sampleCount += x.sampleCount
                st.chunkCount += x.sealed.count + (x.head.count > 0 ? 1 : 0)
                st.encodedBytes += x.sealed.reduce(0) { $0 + $1.bytes.count } + x.head.bytes.count
                // Chunk headers, the series record, its label array and dictionary/postings entries.
                overhead += (x.sealed.count + 1) * MemoryLayout<XORChunk>.stride + 64 + x.labels.count * 48
            }
            st.estimatedTotalBytes = st.encodedBytes + overhead + s.postings.approximateBytes
                + s.recentSlots * MemoryLayout<Sample>.stride
            return st
        }
    }

    /// Bytes of compressed sample data per stored sample.
    public var bytesPerSample: Double { stats().bytesPerSample }
}

/// Everything the store's mutex guards.
struct StoreState: ~Copyable {
    var options: StoreOptions
    var series: [MemoryStore.Series] = []
    var ids: [LabelSetKey: UInt32] = [:]
    /// Seeds `ids`' label-set hashes (see `LabelSetKey`).
    let labelSeed = UInt64.random(in: 0...UInt64.max)
    /// The label index, also the one copy of each label string the series share.
    var postings = Postings()
    var newest: Timestamp?
    var lastSweep: Timestamp?
    var droppedOutOfOrder = 0
    var droppedSeriesLimit = 0
    /// Compressed bytes of all sealed chunks (see `StoreOptions.maxSealedBytes`).
    var sealedBytes = 0
    /// Bumped whenever series are renumbered, which invalidates every `SeriesRef` handed out.
    var epoch: UInt32 = 0
    /// Bumped on every change a reader could see (a sample appended, samples dropped), so query
    /// results computed at one value stay valid while it holds (PromQL's SubexpressionMemo).
    var changes: UInt64 = 0
    /// Per metric name (`""` for series without one): the value of `changes` at the last sample
    /// appended to a series of that name; and at the last drop of samples (any name).
    var nameSlots: [String: Int] = [:]
    var nameStamps: [UInt64] = []
    var dropStamp: UInt64 = 0
    /// Sample-sized slots the series' `RecentWindow`s take (`footprint`), against `RecentWindow.budget`.
    var recentSlots = 0

    init(options: StoreOptions) { self.options = options }

    mutating func reserve(newSeries n: Int) {
        let total = min(series.count + n, options.maxSeries)
        series.reserveCapacity(total)
        ids.reserveCapacity(total)
    }

    /// The series' index, creating it; nil when the series limit is reached.
    mutating func id(for labels: Labels) -> UInt32? {
        let key = LabelSetKey(labels, seed: labelSeed)
        if let existing = ids[key] { return existing }
        guard series.count < options.maxSeries else { droppedSeriesLimit += 1; return nil }
        let id = UInt32(series.count)
        let interned = postings.add(id, labels)
        let name = interned.name ?? ""
        let slot: Int
        if let known = nameSlots[name] { slot = known } else {
            slot = nameStamps.count
            nameSlots[name] = slot
            nameStamps.append(0)
        }
        series.append(MemoryStore.Series(labels: interned, nameSlot: slot))
        ids[LabelSetKey(interned, hash: key.hash)] = id
        return id
    }

    mutating func append(_ id: UInt32, _ sample: Sample) {
        let i = Int(id)
        if let last = series[i].newest, sample.t <= last {
            droppedOutOfOrder += 1
            return
        }
        if series[i].head.isFull {
            var full = series[i].head
            full.seal()
            series[i].sealed.append(full)
            sealedBytes += full.bytes.count
            series[i].head = XORChunk()
            enforceSampleCap(i)
        }
        series[i].head.append(sample.t, sample.v)
        series[i].sampleCount += 1
        if series[i].recent != nil { appendToRecent(i, sample) }
        changes &+= 1
        nameStamps[series[i].nameSlot] = changes
        if newest.map({ sample.t > $0 }) ?? true { newest = sample.t }
        // Both may renumber the series (a series left empty is compacted away), so they run only
        // once `i` is no longer used; callers holding ids check the epoch before the next append.
        if let budget = options.maxSealedBytes, sealedBytes > budget { trimToBudget(budget) }
        sweepIfDue()
    }

    mutating func enforceSampleCap(_ i: Int) {
        while series[i].sampleCount > options.maxSamplesPerSeries, !series[i].sealed.isEmpty { dropOldestChunk(of: i) }
    }

    /// Drops series `i`'s oldest sealed chunk, keeping the sample and byte counts that go with it.
    mutating func dropOldestChunk(of i: Int) {
        let first = series[i].sealed.removeFirst()
        series[i].sampleCount -= first.count
        if series[i].recent != nil { dropFromRecent(i, through: first.maxT) }
        sealedBytes -= first.bytes.count
    }

    /// Drops expired chunks a few times per retention window (not on every append: it walks all series).
    /// Time is the data's own (the newest timestamp appended), so test loads behave the same at any
    /// wall-clock time; but one sample stamped far in the future must not expire everything else, so
    /// the reference never runs ahead of the wall clock.
    @inline(__always)
    mutating func sweepIfDue() {
        guard let retention = options.retention, let newest else { return }
        if let lastSweep {
            // Cheap test first (inlined into every append): the wall clock is read only when the
            // data's own time says a sweep may be due.
            let (sinceLast, overflow) = newest.subtractingReportingOverflow(lastSweep)
            if !overflow && sinceLast < max(retention / 8, 1) { return }
        }
        sweepIfDueByTheClock(retention: retention, newest: newest)
    }

    mutating func sweepIfDueByTheClock(retention: Int64, newest: Timestamp) {
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

    mutating func removeOlderThan(_ cutoff: Timestamp) {
        changes &+= 1
        dropStamp = changes
        var removedSeries = false
        for i in series.indices {
            while let first = series[i].sealed.first, first.maxT < cutoff { dropOldestChunk(of: i) }
            if series[i].sealed.isEmpty, series[i].head.count > 0, series[i].head.maxT < cutoff {
                series[i].sampleCount = 0
                series[i].head = XORChunk()
                dropRecent(i)
                removedSeries = true
            }
        }
        if removedSeries { compact() }
    }

    /// Renumbers the live series and rebuilds the index (and so the shared strings) without the dead ones.
    mutating func compact() {
        let live = series.filter { $0.sampleCount > 0 }
        series = []
        ids = [:]
        postings = Postings()
        epoch &+= 1
        series.reserveCapacity(live.count)
        recentSlots = live.reduce(0) { $0 + ($1.recent?.footprint ?? 0) }
        for var s in live {
            let id = UInt32(series.count)
            s.labels = postings.add(id, s.labels)
            series.append(s)
            ids[LabelSetKey(s.labels, seed: labelSeed)] = id
        }
    }
}
