import MetricsCore
import Synchronization
import Testing
@testable import SeriesStore

/// The cache decodes a head chunk's new samples into its entry under the lock, while other queries
/// may still hold that entry's samples: every query must still see exactly the chunk's samples.
@Suite struct DecodeCacheSharingTests {
    static let name = try! LabelMatcher(.equal, "__name__", "c_total")

    final class Newest: Sendable { let second = Mutex(-1) }

    static func value(_ t: Int, _ k: Int) -> Double { Double(t * (k + 1)) + 0.5 }

    /// Whether `got` is a run of the samples series `k` was given (one a second from 0), all in
    /// `mint...maxt`, and reaching `maxt`'s second when `upTo` (the newest appended before the read) says so.
    static func isRun(_ got: [Sample], k: Int, mint: Timestamp, maxt: Timestamp, upTo: Int) -> Bool {
        guard let first = got.first, let last = got.last, first.t >= mint, last.t <= maxt else { return false }
        let expectedFirst = max(0, (mint + 999) / 1000)
        guard first.t == expectedFirst * 1000, last.t / 1000 >= min(Int64(upTo), maxt / 1000) else { return false }
        for (i, s) in got.enumerated() {
            let t = Int(first.t / 1000) + i
            guard s.t == Int64(t) * 1000, s.v == value(t, k) else { return false }
        }
        return true
    }

    @Test func concurrentQueriesWhileAppendingSeeTheSamplesOfAFreshDecode() async {
        let store = MemoryStore(options: StoreOptions(retention: nil, maxSeries: 100, maxSamplesPerSeries: 10_000))
        let series = 24, seconds = 1_000, readers = 4
        let labels = (0..<series).map { Labels(["__name__": "c_total", "k": "\($0)"]) }
        // The newest second every series has been given, published after the append.
        let newest = Newest()
        let bad = await withTaskGroup(of: Int.self) { group in
            group.addTask {
                for t in 0..<seconds {
                    store.appendBatch((0..<series).map { InstantSample(labels: labels[$0], sample: Sample(t: Int64(t) * 1000, v: Self.value(t, $0))) })
                    newest.second.withLock { $0 = t }
                    if t % 10 == 0 { await Task.yield() }
                }
                return 0
            }
            for r in 0..<readers {
                group.addTask {
                    var bad = 0
                    var last = -1
                    while last < seconds - 1 {
                        // The pool may have as few threads as there are readers: let the writer on.
                        await Task.yield()
                        let upTo = newest.second.withLock { $0 }
                        last = upTo
                        guard upTo >= 0 else { continue }
                        // A one-minute window (inside the head chunk or across two), and everything.
                        let (mint, maxt) = r % 2 == 0 ? (Int64(upTo - 60) * 1000, Int64(upTo) * 1000) : (Int64.min / 2, Int64.max / 2)
                        let got = store.select([Self.name], mint: mint, maxt: maxt)
                        if got.count != series { bad += 1 }
                        for s in got {
                            guard let k = s.labels["k"].flatMap(Int.init) else { bad += 1; continue }
                            if !Self.isRun(s.samples, k: k, mint: mint, maxt: maxt, upTo: upTo) { bad += 1 }
                        }
                    }
                    return bad
                }
            }
            return await group.reduce(0, +)
        }
        #expect(bad == 0)
        // Settled: the same as decoding every chunk afresh, and every sample counted once.
        for (mint, maxt) in [(Int64(seconds - 61) * 1000, Int64(seconds) * 1000), (Int64.min, Int64.max)] {
            let got = store.select([Self.name], mint: mint, maxt: maxt).map(\.samples)
            #expect(got.map { $0.map(\.t) } == DecodeCacheTests.fresh(store, mint: mint, maxt: maxt).map { $0.map(\.t) })
            #expect(got.map { $0.map(\.v) } == DecodeCacheTests.fresh(store, mint: mint, maxt: maxt).map { $0.map(\.v) })
        }
        #expect(store.decodeCache.sampleCount == series * seconds)
    }

    /// Reads after appends (decoded under the lock) and cold reads (decoded after it) of more series
    /// than the budget holds: the count stays bounded and the answers right.
    @Test func theBudgetHoldsWhileHeadsGrow() {
        let store = MemoryStore(options: .unbounded)
        let labels = (0..<3000).map { Labels(["__name__": "c_total", "k": "\($0)"]) }
        for l in labels { for t in 0..<100 { store.append(l, Sample(t: Int64(t) * 1000, v: Double(t))) } }
        for t in 100..<130 {
            for l in labels { store.append(l, Sample(t: Int64(t) * 1000, v: Double(t))) }
            let mint = Int64(t - 110) * 1000, maxt = Int64(t) * 1000
            let got = store.select([Self.name], mint: mint, maxt: maxt)
            #expect(got.count == 3000)
            #expect(got.allSatisfy { $0.samples.map(\.v) == (max(0, t - 110)...t).map(Double.init) })
            #expect(store.decodeCache.sampleCount <= DecodeCache.maxSamples)
        }
    }

    /// A query whose snapshot predates a renumbering that another query has already brought to the
    /// cache decodes without it: right answers, nothing cached for the old numbering.
    @Test func anOlderEpochIsNotCached() {
        let store = MemoryStore(options: .unbounded)
        for t in 0..<50 { store.append(Labels(["__name__": "c_total"]), Sample(t: Int64(t) * 1000, v: Double(t))) }
        let snapshot = store.state.withLock { s in
            DecodeCache.Snapshot(id: 0, labels: s.series[0].labels, sealed: s.series[0].sealed[...], head: s.series[0].head, hasHead: true)
        }
        let cache = DecodeCache()
        #expect(cache.samples(epoch: 2, [snapshot], mint: 0, maxt: 100_000).first?.samples.count == 50)
        let counted = cache.sampleCount
        let old = cache.samples(epoch: 1, [snapshot], mint: 10_000, maxt: 19_000)
        #expect(old.first?.samples.map(\.v) == (10...19).map(Double.init))
        #expect(cache.sampleCount == counted)
        // The newer epoch's entries are still there: a read decodes nothing and counts nothing more.
        #expect(cache.samples(epoch: 2, [snapshot], mint: 0, maxt: 100_000).first?.samples.count == 50)
        #expect(cache.sampleCount == counted)
        // A newer epoch forgets them.
        #expect(cache.samples(epoch: 3, [snapshot], mint: 0, maxt: 100_000).first?.samples.count == 50)
        #expect(cache.sampleCount == 50)
    }
}

extension DecodeCache {
    /// The cache's windows as arrays, series without samples left out (what these tests compare).
    func samples(epoch: UInt32, _ snapshots: [Snapshot], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] {
        windows(epoch: epoch, snapshots, mint: mint, maxt: maxt).compactMap { $0 }
            .map { SeriesSamples(labels: $0.labels, samples: Array($0.samples)) }
    }
}
