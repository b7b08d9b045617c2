import MetricsCore
import Testing
@testable import SeriesStore

/// Short reads of the recent past are served by each series' `RecentWindow`, kept up to date as
/// samples arrive: answers stay those of decoding every chunk afresh, through trims, expired chunks,
/// renumbering and the windows' budget, and the windows stay small.
@Suite struct RecentWindowTests {
    static let name = DecodeCacheTests.name

    static func labels(_ k: Int) -> Labels { Labels(["__name__": "c_total", "k": "\(k)"]) }

    /// Compares a read with a fresh decode, value bits included (staleness markers are NaNs).
    static func expectFresh(_ store: MemoryStore, mint: Timestamp, maxt: Timestamp, _ at: Int,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let windows = store.selectWindows([name], mint: mint, maxt: maxt)
        let fresh = DecodeCacheTests.fresh(store, mint: mint, maxt: maxt)
        #expect(windows.map { $0.samples.map(\.t) } == fresh.map { $0.map(\.t) }, "t=\(at)", sourceLocation: sourceLocation)
        #expect(windows.map { $0.samples.map(\.v.bitPattern) } == fresh.map { $0.map(\.v.bitPattern) }, "t=\(at)",
                sourceLocation: sourceLocation)
        for w in windows where w.samples.contains(where: { StaleNaN.isStale($0.v) }) {
            #expect(w.mayHoldStale, "a window with a staleness marker at t=\(at) was flagged clean", sourceLocation: sourceLocation)
        }
        for w in windows where zip(w.samples, w.samples.dropFirst()).contains(where: { $1.v < $0.v }) {
            #expect(w.mayDecrease, "a window with a decrease at t=\(at) was flagged without one", sourceLocation: sourceLocation)
        }
    }

    /// What the windows hold and take (slots: their arrays' capacity plus their bookkeeping), and
    /// the store's running count of the slots, to compare with.
    static func held(_ store: MemoryStore) -> (windows: Int, samples: Int, largest: Int, slots: Int, counted: Int) {
        store.state.withLock { s in
            let windows = s.series.compactMap(\.recent)
            return (windows.count, windows.reduce(0) { $0 + $1.samples.count }, windows.map(\.samples.count).max() ?? 0,
                    windows.reduce(0) { $0 + $1.samples.capacity + RecentWindow.overheadSlots }, s.recentSlots)
        }
    }

    @Test func slidingShortReadsMatchFreshDecodingAndStaySmall() {
        let store = MemoryStore(options: StoreOptions(retention: nil, maxSeries: 100, maxSamplesPerSeries: 10_000))
        var largest = 0
        for t in 0..<1500 {
            for k in 0..<3 {
                // Irregular values and gaps, a staleness marker now and then, a counter reset.
                let v = t % 97 == 0 ? StaleNaN.value : Double((t % 400) * (k + 1)) + (t % 7 == 0 ? 0.25 : 0)
                store.append(Self.labels(k), Sample(t: Int64(t) * 1000 + Int64(t % 3), v: v))
            }
            let now = Int64(t) * 1000
            // The dashboard's minute, a rule group's a few seconds behind, and now and then longer.
            Self.expectFresh(store, mint: now - 60_000, maxt: now, t)
            Self.expectFresh(store, mint: now - 65_000, maxt: now - 5_000, t)
            if t % 100 == 50 { Self.expectFresh(store, mint: now - 200_000, maxt: now, t) }
            largest = max(largest, Self.held(store).largest)
        }
        let held = Self.held(store)
        #expect(held.windows == 3)
        #expect(held.counted == held.slots)
        // A 200 s read is kept (plus half, plus the half a trim waits for): not the 1,500 s appended.
        #expect(largest <= 455, "a window held \(largest) samples")
        // The reads were served by the windows, not by the decode cache.
        #expect(store.decodeCache.sampleCount == 0)
    }

    @Test func windowsSayWhetherTheyHoldACounterReset() {
        let store = MemoryStore(options: StoreOptions(retention: nil, maxSeries: 100, maxSamplesPerSeries: 10_000))
        // A counter that resets at t = 100 s, a gauge that dips at t = 30 s and one that never falls.
        var before = 0, after = 0
        func decreases(_ mint: Timestamp, _ maxt: Timestamp) -> [Bool] {
            store.selectWindows([Self.name], mint: mint, maxt: maxt).map(\.mayDecrease)
        }
        for t in 0..<200 {
            let counter = Double(t < 100 ? t * 10 : (t - 100) * 3)
            store.append(Self.labels(0), Sample(t: Int64(t) * 1000, v: counter))
            store.append(Self.labels(1), Sample(t: Int64(t) * 1000, v: t == 30 ? 1 : Double(t)))
            store.append(Self.labels(2), Sample(t: Int64(t) * 1000, v: Double(t / 5)))
            let now = Int64(t) * 1000
            guard t >= 60 else { continue }
            let flags = decreases(now - 60_000 + 1, now)
            // The minute holds the pair (99 s, 100 s) until t = 158, and (29 s, 30 s) until t = 88:
            // the first is appended to a window, the second found when the window was made.
            #expect(flags[0] == (100...158).contains(t), "counter at t=\(t)")
            #expect(flags[1] == (t <= 88), "gauge at t=\(t)")
            #expect(flags[2] == false, "steady at t=\(t)")
            if flags[0] { after += 1 } else { before += 1 }
        }
        #expect(before > 0 && after > 0)
        // A read reaching back to the dip sees it; one starting on the reset's own sample does not.
        #expect(decreases(20_000, 50_000)[1] == true)
        #expect(decreases(100_000, 150_000)[0] == false)
        #expect(decreases(99_000, 150_000)[0] == true)
    }

    @Test func expiredChunksLeaveTheWindowsToo() {
        // 250 samples at most per series: a 290 s read at one sample a second reaches past them.
        let store = MemoryStore(options: StoreOptions(retention: nil, maxSeries: 10, maxSamplesPerSeries: 250))
        for t in 0..<900 {
            store.append(Self.labels(0), Sample(t: Int64(t) * 1000, v: Double(t)))
            let now = Int64(t) * 1000
            Self.expectFresh(store, mint: now - 290_000, maxt: now, t)
        }
        let held = Self.held(store)
        #expect(held.windows == 1)
        #expect(held.counted == held.slots)
    }

    @Test func windowsNoLongerReadAreLetGo() {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for t in 0..<100 { store.append(Self.labels(0), Sample(t: Int64(t) * 1000, v: Double(t))) }
        Self.expectFresh(store, mint: 39_000, maxt: 99_000, 99)
        #expect(Self.held(store).windows == 1)
        // Two minutes of data without a read (the span read was one minute).
        for t in 100..<300 { store.append(Self.labels(0), Sample(t: Int64(t) * 1000, v: Double(t))) }
        let held = Self.held(store)
        #expect(held.windows == 0)
        #expect(held.counted == 0)
        // Read again: made again, and right.
        Self.expectFresh(store, mint: 239_000, maxt: 299_000, 299)
        #expect(Self.held(store).windows == 1)
    }

    @Test func olderPastAndLongReadsGoThroughTheDecodeCache() {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for t in 0..<1000 { store.append(Self.labels(0), Sample(t: Int64(t) * 1000, v: Double(t))) }
        // A minute from a quarter of an hour ago: making a window would decode 15 minutes.
        Self.expectFresh(store, mint: 100_000, maxt: 160_000, 160)
        // Fifteen minutes up to now: longer than a window serves.
        Self.expectFresh(store, mint: 100_000, maxt: 999_000, 999)
        #expect(Self.held(store).windows == 0)
        #expect(store.decodeCache.sampleCount > 0)
    }

    @Test func theWindowsStayWithinTheirBudget() {
        let store = MemoryStore(options: .unbounded)
        let perSeries = 120
        let series = RecentWindow.budget / perSeries + 100
        for k in 0..<series {
            for t in 0..<perSeries { store.append(Self.labels(k), Sample(t: Int64(t) * 1000, v: Double(k + t))) }
        }
        let windows = store.selectWindows([Self.name], mint: 0, maxt: Int64(perSeries - 1) * 1000)
        #expect(windows.count == series)
        #expect(windows.allSatisfy { $0.samples.count == perSeries })
        let held = Self.held(store)
        #expect(held.counted == held.slots)
        // Once the budget is spent, the rest is read through the decode cache.
        #expect(held.slots <= RecentWindow.budget + 2 * perSeries)
        #expect(held.windows < series)
        #expect(store.decodeCache.sampleCount > 0)
    }

    /// A query over every series of a huge target reads each once, with a sample or two: the
    /// windows it makes must stay within the budget in memory, not only in samples (a window
    /// reserving room for appends would otherwise take 30 times its samples).
    @Test func windowsOfSeriesReadOnceStayWithinTheBudgetInMemory() {
        let store = MemoryStore(options: .unbounded)
        let series = 200_000
        for k in 0..<series { store.append(Self.labels(k), Sample(t: 1000, v: Double(k))) }
        let windows = store.selectWindows([Self.name], mint: 1000 - 300_000, maxt: 1000)
        #expect(windows.count == series)
        let held = Self.held(store)
        #expect(held.counted == held.slots)
        #expect(held.slots <= RecentWindow.budget + 64, "the windows take \(held.slots * 16) bytes")
        #expect(held.windows < series)
    }

    @Test func renumberingKeepsTheCountRight() {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for t in 0..<50 { store.append(Self.labels(0), Sample(t: Int64(t) * 1000, v: 1)) }
        for t in 0..<100 { store.append(Self.labels(1), Sample(t: Int64(t) * 1000, v: Double(t))) }
        Self.expectFresh(store, mint: 0, maxt: 100_000, 100)
        #expect(Self.held(store).windows == 2)
        // Series 0 expires; series 1 becomes index 0 at a new epoch.
        store.dropSamples(before: 60_000)
        Self.expectFresh(store, mint: 0, maxt: 100_000, 100)
        let held = Self.held(store)
        #expect(held.windows == 1)
        #expect(held.counted == held.slots)
    }

    @Test func spansOverflowingTimestampsAreNotShort() {
        #expect(!RecentWindow.isShort(mint: .min, maxt: .max))
        #expect(!RecentWindow.isShort(mint: .min, maxt: 0))
        #expect(RecentWindow.isShort(mint: .max - 1000, maxt: .max))
        #expect(!RecentWindow.isShort(mint: 10, maxt: 0))
    }
}
