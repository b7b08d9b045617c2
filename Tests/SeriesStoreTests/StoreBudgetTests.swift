import MetricsCore
import Testing
@testable import SeriesStore

@Suite("The store's byte budget")
struct StoreBudgetTests {
    /// Ten series, a sample a second each for `seconds`, values that change (so chunks have bytes).
    func filled(_ options: StoreOptions, seconds: Int) -> MemoryStore {
        let store = MemoryStore(options: options)
        for t in 0..<seconds {
            for k in 0..<10 {
                store.append(Labels(["__name__": "m", "k": "\(k)"]), Sample(t: Int64(t) * 1000, v: Double((t * 7919 + k * 104_729) % 1000) / 7))
            }
        }
        return store
    }

    func sealedBytes(_ store: MemoryStore) -> Int { store.state.withLock { $0.sealedBytes } }

    @Test func theOldestSamplesGoWhenTheSealedChunksPassTheBudget() {
        let budget = 20_000
        let store = filled(StoreOptions(retention: nil, maxSealedBytes: budget), seconds: 20_000)
        let kept = sealedBytes(store)
        #expect(kept <= budget)
        // The same count as the chunks hold, not an estimate that drifted.
        let counted = store.state.withLock { s in s.series.reduce(0) { $0 + $1.sealed.reduce(0) { $0 + $1.bytes.count } } }
        #expect(kept == counted)
        // Every series lost the same old span and kept the newest samples.
        let all = store.select([try! LabelMatcher(.equal, "__name__", "m")], mint: 0, maxt: .max)
        #expect(all.count == 10)
        let firsts = Set(all.map { $0.samples.first!.t / 120_000 })
        #expect(firsts.count == 1, "series start in different chunks: \(firsts)")
        #expect(all.allSatisfy { $0.samples.last!.t == 19_999_000 })
        #expect(all.allSatisfy { $0.samples.first!.t > 0 })
    }

    @Test func withoutABudgetEverySampleStays() {
        let store = filled(StoreOptions(retention: nil), seconds: 5_000)
        let all = store.select([try! LabelMatcher(.equal, "__name__", "m")], mint: 0, maxt: .max)
        #expect(all.allSatisfy { $0.samples.count == 5_000 })
        #expect(sealedBytes(store) > 20_000)
    }

    @Test func theBudgetIsKeptAsTheStoreGoesOn() {
        let budget = 8_000
        let store = MemoryStore(options: StoreOptions(retention: nil, maxSealedBytes: budget))
        var peak = 0
        for t in 0..<30_000 {
            store.append(Labels(["__name__": "g"]), Sample(t: Int64(t) * 1000, v: Double(t % 977) * 1.37))
            if t % 500 == 0 { peak = max(peak, sealedBytes(store)) }
        }
        #expect(peak <= budget)
        #expect(sealedBytes(store) >= budget / 2, "trimmed far below the budget: \(sealedBytes(store))")
    }
}

/// A trim can drop a short-lived series and renumber the rest while a sample is being appended: the
/// sample must still go to its own series (it once went to the next one, or past the end).
@Suite("The byte budget while series come and go")
struct StoreBudgetRenumberingTests {
    @Test func aTrimThatDropsASeriesLeavesEverySampleInItsOwnSeries() {
        let store = MemoryStore(options: StoreOptions(retention: nil, maxSealedBytes: 4_000))
        let gone = Labels(["__name__": "gone"])
        let a = Labels(["__name__": "a"]), b = Labels(["__name__": "b"])
        for t in 0..<5 { store.append(gone, Sample(t: Int64(t) * 1000, v: 1)) }
        for t in 10..<2_010 {
            store.append(a, Sample(t: Int64(t) * 1000, v: Double(t % 97) * 1.7))
            store.append(b, Sample(t: Int64(t) * 1000, v: Double(t % 89) * -2.3))
        }
        #expect(store.stats().droppedOutOfOrder == 0)
        let all = store.select([try! LabelMatcher(.regexMatch, "__name__", "a|b")], mint: 0, maxt: .max)
        #expect(all.count == 2)
        for s in all {
            let expected: (Int) -> Double = s.labels.name == "a" ? { Double($0 % 97) * 1.7 } : { Double($0 % 89) * -2.3 }
            #expect(s.samples.allSatisfy { $0.v == expected(Int($0.t / 1000)) }, "\(s.labels) holds another series' values")
            #expect(s.samples.last?.t == 2_009_000)
        }
        #expect(store.select([try! LabelMatcher(.equal, "__name__", "gone")], mint: 0, maxt: .max).isEmpty)
    }

    @Test func aTrimThatDropsTheSeriesBeforeTheLastOneDoesNotTrap() {
        let store = MemoryStore(options: StoreOptions(retention: nil, maxSealedBytes: 4_000))
        for t in 0..<5 { store.append(Labels(["__name__": "gone"]), Sample(t: Int64(t) * 1000, v: 1)) }
        for t in 10..<4_010 { store.append(Labels(["__name__": "a"]), Sample(t: Int64(t) * 1000, v: Double(t % 97) * 1.7)) }
        #expect(store.stats().seriesCount == 1)
        #expect(store.stats().droppedOutOfOrder == 0)
    }
}

@Suite("What a target keeps between scrapes")
struct KeptBodyTests {
    @Test func aBodyWithMuchSpareRoomIsKeptAsACopyOfItsBytes() {
        var grown: [UInt8] = []
        for i in 0..<70_000 { grown.append(UInt8(i % 251)) }  // grown by doubling: up to twice the room
        grown.reserveCapacity(140_000)
        let kept = ScrapeIngester.compact(grown)
        #expect(kept == grown)
        #expect(kept.capacity < grown.count + grown.count / 8)
        let tight = Array(grown)
        #expect(ScrapeIngester.compact(tight).capacity <= tight.count + tight.count / 8)
    }
}
