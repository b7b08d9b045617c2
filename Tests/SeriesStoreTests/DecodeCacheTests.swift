import MetricsCore
import Testing
@testable import SeriesStore

/// Queries read decoded chunks from the store's cache and decode only what was appended since:
/// answers stay those of decoding every chunk afresh.
@Suite struct DecodeCacheTests {
    static let name = try! LabelMatcher(.equal, "__name__", "c_total")

    /// What a fresh decode of every chunk answers (the reference).
    static func fresh(_ store: MemoryStore, mint: Timestamp, maxt: Timestamp) -> [[Sample]] {
        store.state.withLock { s in
            s.series.compactMap { x -> [Sample]? in
                var out: [Sample] = []
                for c in x.sealed + [x.head] { c.decode(into: &out, mint: mint, maxt: maxt) }
                return out.isEmpty ? nil : out
            }
        }
    }

    @Test func aSlidingWindowMatchesFreshDecodingWhileAppending() {
        let store = MemoryStore(options: StoreOptions(retention: nil, maxSeries: 100, maxSamplesPerSeries: 300))
        var reads = 0
        for t in 0..<700 {
            for k in 0..<3 {
                // Irregular values and gaps, and a staleness marker now and then.
                let v = t % 97 == 0 ? StaleNaN.value : Double(t * (k + 1)) + (t % 7 == 0 ? 0.25 : 0)
                store.append(Labels(["__name__": "c_total", "k": "\(k)"]), Sample(t: Int64(t) * 1000 + Int64(t % 3), v: v))
            }
            // Windows reaching into the sealed chunk before the head, and the whole store.
            for (mint, maxt) in [(Int64(t - 60) * 1000, Int64(t) * 1000), (Int64.min, Int64.max), (Int64(t - 130) * 1000, Int64(t - 5) * 1000)] {
                let got = store.select([Self.name], mint: mint, maxt: maxt).map(\.samples)
                #expect(got.map { $0.map(\.t) } == Self.fresh(store, mint: mint, maxt: maxt).map { $0.map(\.t) })
                #expect(got.map { $0.map(\.v.bitPattern) } == Self.fresh(store, mint: mint, maxt: maxt).map { $0.map(\.v.bitPattern) })
                reads += 1
            }
        }
        #expect(reads == 2100)
        #expect(store.decodeCache.sampleCount > 0)
    }

    /// Range selects get views of the cached chunks: the same samples as a fresh decode, and the
    /// flag that lets the engine skip its scan for staleness markers is false only for windows
    /// without one, also when a marker arrives in a chunk already cached.
    @Test func windowsMatchFreshDecodingAndFlagStalenessMarkers() {
        let store = MemoryStore(options: StoreOptions(retention: nil, maxSeries: 100, maxSamplesPerSeries: 300))
        var flaggedClean = 0
        for t in 0..<400 {
            for k in 0..<2 {
                // Series 1 ends now and then (a marker) and comes back.
                let v = k == 1 && t % 50 == 49 ? StaleNaN.value : Double(t * (k + 1))
                store.append(Labels(["__name__": "c_total", "k": "\(k)"]), Sample(t: Int64(t) * 1000, v: v))
            }
            // Longer than `RecentWindow.maxSpan`, so that the windows come from this cache (shorter
            // reads are served by the series' recent windows: RecentWindowTests).
            for (mint, maxt) in [(Int64(t - 310) * 1000, Int64(t) * 1000), (Int64(t - 400) * 1000, Int64(t - 3) * 1000)] {
                #expect(!RecentWindow.isShort(mint: mint, maxt: maxt))
                let windows = store.selectWindows([Self.name], mint: mint, maxt: maxt)
                let fresh = Self.fresh(store, mint: mint, maxt: maxt)
                #expect(windows.map { $0.samples.map(\.t) } == fresh.map { $0.map(\.t) })
                #expect(windows.map { $0.samples.map(\.v.bitPattern) } == fresh.map { $0.map(\.v.bitPattern) })
                for w in windows where w.samples.contains(where: { StaleNaN.isStale($0.v) }) {
                    #expect(w.mayHoldStale, "a window with a staleness marker at t=\(t) was flagged clean")
                }
                flaggedClean += windows.filter { !$0.mayHoldStale }.count
            }
        }
        // Series 0 never has a marker: its windows are flagged clean (the point of the flag).
        #expect(flaggedClean >= 800)
    }

    @Test func renumberedSeriesAreNotConfused() {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for t in 0..<50 {
            store.append(Labels(["__name__": "c_total", "k": "gone"]), Sample(t: Int64(t) * 1000, v: 1))
        }
        for t in 0..<100 {
            store.append(Labels(["__name__": "c_total", "k": "kept"]), Sample(t: Int64(t) * 1000, v: Double(t)))
        }
        // Both series read (cached under their indexes 0 and 1).
        #expect(store.select([Self.name], mint: 0, maxt: 100_000).count == 2)
        // The first series expires, the second becomes index 0 at a new epoch.
        store.dropSamples(before: 60_000)
        let after = store.select([Self.name], mint: 0, maxt: 100_000)
        #expect(after.count == 1)
        #expect(after.first?.labels["k"] == "kept")
        #expect(after.first?.samples.map(\.v) == (0..<100).map(Double.init))
    }

    @Test func theCacheStaysWithinItsBudget() {
        let store = MemoryStore(options: .unbounded)
        for k in 0..<3000 {
            let labels = Labels(["__name__": "c_total", "k": "\(k)"])
            for t in 0..<120 { store.append(labels, Sample(t: Int64(t) * 1000, v: Double(t))) }
        }
        let all = store.select([Self.name], mint: .min, maxt: .max)
        #expect(all.count == 3000)
        #expect(all.allSatisfy { $0.samples.count == 120 })
        #expect(store.decodeCache.sampleCount <= DecodeCache.maxSamples)
    }
}
