import MetricsCore
import Synchronization
import Testing
@testable import SeriesStore

/// Targets scraping the same metrics into one store: the store shares each label string among
/// their series, and each target's ingester then holds the store's array of a series' labels
/// rather than a second one of its own.
@Suite struct SharedLabelSetTests {
    static func address(_ labels: Labels) -> UInt {
        labels.pairs.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    static let body = """
        node_filesystem_avail_bytes{mountpoint="/var/lib/docker/overlay2"} 1
        node_filesystem_avail_bytes{mountpoint="/"} 2
        node_load1 3

        """

    @Test func eachSeriesLabelSetIsHeldOnceByTheStoreAndItsTarget() {
        let store = MemoryStore()
        let targets = ["a", "b", "c"].map { ScrapeIngester(job: "node", instance: $0, appender: store) }
        for t in [Int64(1000), 2000] {
            for target in targets {
                _ = target.ingest(body: Array(Self.body.utf8), contentType: nil, at: t, duration: 0.1)
            }
        }
        let held = Set(store.state.withLock { $0.series.map { Self.address($0.labels) } })
        for target in targets {
            let (entries, keys) = target.state.withLock { st in
                (st.cache.entries.map { Self.address($0.labels) }, st.byLabels.keys.map { Self.address($0.labels) })
            }
            #expect(entries.count == 3)
            #expect(Set(entries).isSubset(of: held), "a target holds label arrays of its own")
            #expect(Set(keys) == Set(entries))
        }
        // Still found by their labels, and written by reference on the second scrape.
        let matchers = [try! LabelMatcher(.equal, "instance", "c"), try! LabelMatcher(.equal, "mountpoint", "/")]
        #expect(store.select(matchers, mint: 0, maxt: 3000).map(\.samples) == [[Sample(t: 1000, v: 2), Sample(t: 2000, v: 2)]])
        #expect(targets[2].state.withLock { st in st.cache.entries.allSatisfy { $0.ref != nil } })
    }
}
