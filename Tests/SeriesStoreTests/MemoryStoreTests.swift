import Foundation
import MetricsCore
import Testing
@testable import SeriesStore

@Suite struct MemoryStoreTests {
    func m(_ kind: LabelMatcher.Kind, _ name: String, _ value: String) -> LabelMatcher {
        // Test matchers are literals known to compile.
        try! LabelMatcher(kind, name, value)
    }

    func labels(_ name: String, _ extra: [String: String] = [:]) -> Labels {
        Labels(extra.merging(["__name__": name]) { a, _ in a })
    }

    @Test func appendAndSelectAcrossChunks() {
        let store = MemoryStore(options: .unbounded)
        let l = labels("up", ["job": "api"])
        for i in 0..<500 { store.append(l, Sample(t: Int64(i) * 15_000, v: Double(i))) }
        let all = store.select([m(.equal, "__name__", "up")], mint: .min, maxt: .max)
        #expect(all.count == 1)
        #expect(all[0].labels == l)
        #expect(all[0].samples.count == 500)
        #expect(all[0].samples.map(\.v) == (0..<500).map(Double.init))
        let window = store.select([m(.equal, "job", "api")], mint: 15_000 * 130, maxt: 15_000 * 250)
        let firstT: Timestamp? = window[0].samples.first?.t
        #expect(firstT == Timestamp(1_950_000))
        #expect(window[0].samples.count == 121)
        #expect(store.select([m(.equal, "job", "api")], mint: 100_000_000, maxt: 200_000_000).isEmpty)
    }

    @Test func outOfOrderAndDuplicateSamplesAreDropped() {
        let store = MemoryStore()
        let l = labels("g")
        store.append(l, Sample(t: 2000, v: 2))
        store.append(l, Sample(t: 1000, v: 1))
        store.append(l, Sample(t: 2000, v: 5))
        store.append(l, Sample(t: 3000, v: 3))
        let s = store.select([m(.equal, "__name__", "g")], mint: 0, maxt: 10_000)
        #expect(s[0].samples == [Sample(t: 2000, v: 2), Sample(t: 3000, v: 3)])
        #expect(store.stats().droppedOutOfOrder == 2)
    }

    @Test func matchersOfEveryKindAgreeWithABruteForceScan() {
        let store = MemoryStore(options: .unbounded)
        var everything: [Labels] = []
        for metric in ["cpu", "mem", "disk"] {
            for instance in 0..<20 {
                for mode in ["idle", "user", "system", ""] {
                    var dict = ["instance": "host-\(instance)", "job": instance % 2 == 0 ? "node" : "edge"]
                    if !mode.isEmpty { dict["mode"] = mode }
                    let l = labels(metric, dict)
                    everything.append(l)
                    store.append(l, Sample(t: 1000, v: Double(instance)))
                }
            }
        }
        let selectors: [[LabelMatcher]] = [
            [m(.equal, "__name__", "cpu")],
            [m(.equal, "__name__", "cpu"), m(.equal, "mode", "idle")],
            [m(.equal, "__name__", "cpu"), m(.notEqual, "mode", "idle")],
            [m(.regexMatch, "__name__", "cpu|mem"), m(.regexMatch, "instance", "host-1.*")],
            [m(.equal, "__name__", "disk"), m(.equal, "mode", "")],
            [m(.regexNoMatch, "job", "node"), m(.equal, "__name__", "mem")],
            [m(.regexMatch, "mode", ".+")],
            [m(.equal, "__name__", "nope")],
            [m(.equal, "__name__", "mem"), m(.regexMatch, "mode", "idle|")],
        ]
        for sel in selectors {
            let got = Set(store.select(sel, mint: 0, maxt: 2000).map(\.labels))
            let want = Set(everything.filter { l in sel.allSatisfy { $0.matches(l) } })
            #expect(got == want, "\(sel)")
        }
        #expect(store.labelValues("mode", matching: []) == ["idle", "system", "user"])
        #expect(store.labelValues("instance", matching: [m(.equal, "job", "edge"), m(.equal, "instance", "host-3")])
            == ["host-3"])
        #expect(store.labelValues("__name__", matching: [m(.equal, "mode", "user")]) == ["cpu", "disk", "mem"])
        #expect(store.labelNames() == ["__name__", "instance", "job", "mode"])
    }

    @Test func selectingOneMetricAmongThousandsUsesThePostings() {
        let store = MemoryStore()
        var batch: [InstantSample] = []
        for i in 0..<20_000 {
            batch.append(InstantSample(labels: labels("metric_\(i % 2000)", ["i": "\(i)"]), sample: Sample(t: 1, v: 1)))
        }
        store.appendBatch(batch)
        let clock = ContinuousClock()
        var found = 0
        let elapsed = clock.measure {
            for k in 0..<200 { found += store.select([m(.equal, "__name__", "metric_\(k)")], mint: 0, maxt: 10).count }
        }
        #expect(found == 200 * 10)
        // 200 selects touch 2000 series, not 4 million: generous bound for debug builds on a busy machine.
        #expect(elapsed < .seconds(2), "\(elapsed)")
    }

    @Test func retentionDropsOldChunksAndForgetsEmptySeries() {
        let store = MemoryStore(options: StoreOptions(retention: 3_600_000))
        let old = labels("gone")
        let live = labels("live")
        for i in 0..<200 { store.append(old, Sample(t: Int64(i) * 15_000, v: 1)) }
        // Three hours later only `live` is written.
        for i in 0..<1000 { store.append(live, Sample(t: 3 * 3_600_000 + Int64(i) * 15_000, v: 2)) }
        #expect(store.select([m(.equal, "__name__", "gone")], mint: .min, maxt: .max).isEmpty)
        #expect(store.labelValues("__name__", matching: []) == ["live"])
        let kept = store.select([m(.equal, "__name__", "live")], mint: .min, maxt: .max)[0].samples
        let newest = 3 * 3_600_000 + 999 * 15_000
        #expect(kept.last?.t == Int64(newest))
        // Whole chunks are dropped, so a little more than the window may remain, never less.
        #expect(kept.first!.t <= Int64(newest) - 3_600_000)
        #expect(kept.first!.t >= Int64(newest) - 3_600_000 - 2 * 120 * 15_000 - 3_600_000 / 8)
        #expect(store.stats().seriesCount == 1)
    }

    @Test func hardCapsOnSeriesAndSamples() {
        let store = MemoryStore(options: StoreOptions(retention: nil, maxSeries: 3, maxSamplesPerSeries: 300))
        for i in 0..<5 { store.append(labels("s\(i)"), Sample(t: 0, v: 0)) }
        #expect(store.stats().seriesCount == 3)
        #expect(store.stats().droppedSeriesLimit == 2)
        for i in 1..<1000 { store.append(labels("s0"), Sample(t: Int64(i), v: 0)) }
        let n = store.select([m(.equal, "__name__", "s0")], mint: .min, maxt: .max)[0].samples.count
        #expect(n <= 300 + XORChunk.capacity && n >= 300 - XORChunk.capacity, "\(n)")
    }

    @Test func stalenessMarkersAreStoredBitExact() {
        let store = MemoryStore()
        store.append(labels("x"), Sample(t: 1, v: 5))
        store.append(labels("x"), Sample(t: 2, v: StaleNaN.value))
        store.append(labels("x"), Sample(t: 3, v: .nan))
        let s = store.select([m(.equal, "__name__", "x")], mint: 0, maxt: 10)[0].samples
        #expect(StaleNaN.isStale(s[1].v))
        #expect(s[2].v.isNaN && !StaleNaN.isStale(s[2].v))
    }

    @Test func statsReportAFewBytesPerSample() {
        let store = MemoryStore(options: .unbounded)
        for series in 0..<100 {
            let l = labels("node_cpu_seconds_total", ["cpu": "\(series)", "mode": "user"])
            var v = 1000.0 * Double(series)
            for i in 0..<480 {
                v += Double((series * 7 + i * 13) % 50) / 4
                store.append(l, Sample(t: 1_700_000_000_000 + Int64(i) * 15_000, v: v))
            }
        }
        let st = store.stats()
        #expect(st.seriesCount == 100)
        #expect(st.sampleCount == 48_000)
        #expect(st.bytesPerSample > 0.1 && st.bytesPerSample < 3, "\(st.bytesPerSample)")
        #expect(st.totalBytesPerSample > st.bytesPerSample)
    }

    @Test func concurrentReadersAndWriterStayConsistent() async {
        let store = MemoryStore()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for i in 0..<5000 { store.append(Labels(["__name__": "c", "k": "\(i % 10)"]), Sample(t: Int64(i), v: Double(i))) }
            }
            for _ in 0..<3 {
                group.addTask {
                    for _ in 0..<200 {
                        let result = store.select([try! LabelMatcher(.equal, "__name__", "c")], mint: 0, maxt: .max)
                        for s in result { #expect(zip(s.samples, s.samples.dropFirst()).allSatisfy { $0.t < $1.t }) }
                    }
                }
            }
        }
        let total = store.select([try! LabelMatcher(.equal, "__name__", "c")], mint: 0, maxt: .max)
            .reduce(0) { $0 + $1.samples.count }
        #expect(total == 5000)
    }
}

@Suite struct MemoryStoreEdgeTests {
    @Test func aSampleFromTheFarFutureDoesNotExpireEverythingElse() {
        let store = MemoryStore(options: StoreOptions(retention: 3_600_000))
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let normal = Labels(["__name__": "normal"])
        for i in 0..<100 { store.append(normal, Sample(t: now - 600_000 + Int64(i) * 1000, v: 1)) }
        store.append(Labels(["__name__": "bogus"]), Sample(t: .max, v: 1))
        store.append(Labels(["__name__": "bogus2"]), Sample(t: .min, v: 1))
        for i in 100..<200 { store.append(normal, Sample(t: now - 600_000 + Int64(i) * 1000, v: 1)) }
        let kept = store.select([try! LabelMatcher(.equal, "__name__", "normal")], mint: .min, maxt: .max)
        #expect(kept.first?.samples.count == 200)
    }

    @Test func emptyAndInvertedWindows() {
        let store = MemoryStore()
        store.append(Labels(["__name__": "a"]), Sample(t: 10, v: 1))
        #expect(store.select([], mint: 20, maxt: 10).isEmpty)
        #expect(store.select([], mint: 0, maxt: 100).count == 1, "no matchers selects everything")
        #expect(MemoryStore().select([], mint: .min, maxt: .max).isEmpty)
        #expect(MemoryStore().stats().bytesPerSample == 0)
    }
}

@Suite struct RetentionSettingTests {
    @Test func retentionFollowsGraphRangeWithAOneHourFloor() {
        #expect(StoreOptions.retention(longestGraphRange: 600_000, longestRangeSelector: 300_000) == 3_600_000)
        #expect(StoreOptions.retention(longestGraphRange: 6 * 3_600_000, longestRangeSelector: 300_000) == 6 * 3_600_000 + 300_000)
        #expect(StoreOptions.retention(longestGraphRange: .max, longestRangeSelector: 1) == .max)
    }

    @Test func retentionCanChangeAtRunTime() {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        let l = Labels(["__name__": "x"])
        for i in 0..<2000 { store.append(l, Sample(t: Int64(i) * 15_000, v: 1)) }
        #expect(store.stats().sampleCount == 2000)
        store.setRetention(3_600_000)
        #expect(store.options.retention == 3_600_000)
        for i in 2000..<2100 { store.append(l, Sample(t: Int64(i) * 15_000, v: 1)) }
        let n = store.stats().sampleCount
        // About one hour (240 samples) plus at most two chunks and one sweep interval are left.
        #expect(n < 240 + 2 * 120 + 30 + 100, "\(n)")
        #expect(n >= 240)
    }
}
