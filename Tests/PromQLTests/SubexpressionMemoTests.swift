import Dispatch
import MetricsCore
import SeriesStore
import Synchronization
import Testing
@testable import PromQL

/// The executive layout's latency queries share one `sum by (le) (rate(…_bucket[1m]))` per refresh.
@Suite struct SubexpressionMemoTests {
    static let quantiles = ["0.99", "0.95", "0.50"].map {
        "histogram_quantile(\($0), sum by (le) (rate(http_request_duration_seconds_bucket[1m])))"
    }
    static let heatmap = "sum by (le) (rate(http_request_duration_seconds_bucket[1m]))"

    /// Two handlers' buckets, counted once a second for 20 minutes.
    static func store() -> MemoryStore {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for handler in ["/a", "/b"] {
            for (k, le) in ["0.1", "0.5", "1", "+Inf"].enumerated() {
                let labels = Labels(["__name__": "http_request_duration_seconds_bucket", "handler": handler, "le": le])
                for t in 0..<1200 { store.append(labels, Sample(t: Int64(t) * 1000, v: Double(t * (k + 1)))) }
            }
        }
        return store
    }

    func batch(_ engine: Engine) throws -> [String] {
        let (start, end, step): (Int64, Int64, Int64) = (300_000, 1_200_000, 15_000)
        return try (Self.quantiles + [Self.heatmap]).map { q in
            "\(try engine.range(try PromQLParser.parse(q), start: start, end: end, step: step).value)"
        }
    }

    @Test func oneRefreshEvaluatesTheSharedAggregationOnce() throws {
        let store = Self.store()
        let memo = SubexpressionMemo()
        let shared = Engine(storage: store, memo: memo, version: { store.changeCount })
        let memoised = try batch(shared)
        // First quantile: the aggregation and its rate are evaluated (2 misses); the other two
        // quantiles and the heatmap take the aggregation from the memo (3 hits).
        #expect(memo.counts.hits == 3)
        #expect(memo.counts.misses == 2)
        #expect(memoised == (try batch(Engine(storage: store))))
        // New data (a counter reset inside the last step's window): nothing is reused, and the answers follow it.
        let labels = Labels(["__name__": "http_request_duration_seconds_bucket", "handler": "/a", "le": "0.1"])
        store.append(labels, Sample(t: 1_199_500, v: 0))
        let after = try batch(shared)
        #expect(memo.counts.hits == 6)
        #expect(memo.counts.misses == 4)
        #expect(after == (try batch(Engine(storage: store))))
        #expect(after != memoised)
    }

    /// The app fetches a refresh's queries concurrently: the shared aggregation is still computed once.
    @Test func concurrentQueriesWaitForTheOneComputing() throws {
        let store = Self.store()
        let queries = Self.quantiles + [Self.heatmap]
        let expected = try batch(Engine(storage: store))
        // Twenty refreshes, so that an unguarded memo (each query computing for itself) shows up.
        for _ in 0..<20 {
            let memo = SubexpressionMemo()
            let engine = Engine(storage: store, memo: memo, version: { store.changeCount })
            let answers = Mutex([String?](repeating: nil, count: queries.count))
            DispatchQueue.concurrentPerform(iterations: queries.count) { i in
                let value = try? engine.range(try PromQLParser.parse(queries[i]), start: 300_000, end: 1_200_000, step: 15_000).value
                answers.withLock { $0[i] = value.map { "\($0)" } }
            }
            #expect(answers.withLock { $0 } == expected)
            #expect(memo.counts.hits == 3)
            #expect(memo.counts.misses == 2)
        }
    }

    @Test func subtreesWithAnnotationsAreNotShared() throws {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for t in 0..<10 { store.append(Labels(["__name__": "temp"]), Sample(t: Int64(t) * 15_000, v: Double(t))) }
        let memo = SubexpressionMemo()
        let engine = Engine(storage: store, memo: memo, version: { store.changeCount })
        // The info names the position of `temp` in each query, so the second must compute its own.
        let first = try engine.instant(try PromQLParser.parse("sum(rate(temp[1m]))"), at: 120_000)
        let second = try engine.instant(try PromQLParser.parse("sum( rate(temp[1m]))"), at: 120_000)
        let info = #"PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temp""#
        #expect(first.infos == [info + " (1:10)"])
        #expect(second.infos == [info + " (1:11)"])
        #expect(memo.counts.hits == 0)
    }
}
