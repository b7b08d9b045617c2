@testable import DataSources
import MetricsCore
import PromQL
import SeriesStore
import Testing

/// Server mode computes a histogram's quantiles from its buckets, asked once: the answers must be
/// the engine's own `histogram_quantile` (which follows Prometheus) over the same buckets.
@Suite struct SharedBucketQuantilesTests {
    /// Two handlers' latency buckets, growing unevenly, one of them with a gap and a non-monotonic step.
    static func store() -> MemoryStore {
        let store = MemoryStore()
        let bounds = ["0.1", "0.25", "0.5", "1", "+Inf"]
        for minute in 0..<20 {
            let t = Int64(minute) * 15_000
            for (h, handler) in ["/a", "/b"].enumerated() {
                if handler == "/b" && (7...9).contains(minute) { continue }
                var cumulative = 0.0
                for (i, le) in bounds.enumerated() {
                    cumulative += Double((minute + 1) * (i + 1) * (h + 2) + (minute % 3) * i)
                    let v = handler == "/a" && minute == 11 && le == "0.5" ? cumulative - 40 : cumulative
                    store.append(Labels(["__name__": "lat_bucket", "handler": handler, "le": le]), Sample(t: t, v: v))
                }
            }
        }
        return store
    }

    @Test(arguments: [0.5, 0.95, 0.99, 0, 1])
    func quantilesFromTheBucketsAreTheEnginesOwn(q: Double) throws {
        let queries = LocalQueries(storage: Self.store(), options: EngineOptions())
        let expr = "histogram_quantile(\(q), sum by (le) (rate(lat_bucket[1m])))"
        let call = try #require(ClassicHistogram.singleHistogramQuantile(expr))
        #expect(call.q == q)
        let buckets = queries.range(call.buckets, start: 60_000, end: 285_000, step: 15_000)
        let shared = try #require(SharedBucketQuantiles.quantiles(call.q, of: buckets)).result.get()
        let direct = try queries.range(expr, start: 60_000, end: 285_000, step: 15_000).result.get()
        guard case .matrix(let mine) = shared, case .matrix(let theirs) = direct else {
            Issue.record("not matrices"); return
        }
        #expect(mine.count == 1 && theirs.count == 1)
        #expect(mine.map(\.labels) == theirs.map(\.labels))
        let a = mine.flatMap(\.samples), b = theirs.flatMap(\.samples)
        #expect(a.count == b.count && a.count > 10)
        for (x, y) in zip(a, b) {
            #expect(x.t == y.t)
            #expect(x.v == y.v || (x.v.isNaN && y.v.isNaN), "at \(x.t): \(x.v) vs \(y.v)")
        }
    }

    @Test func onlyOneHistogramsQuantileWithALiteralIsShared() {
        #expect(ClassicHistogram.singleHistogramQuantile("(histogram_quantile(0.9, (sum by (le) (rate(x[1m])))))")?.buckets
            == "sum by (le) (rate(x[1m]))")
        // Grouped by more than le: the buckets would be many times the answer.
        #expect(ClassicHistogram.singleHistogramQuantile("histogram_quantile(0.9, sum by (le, handler) (rate(x[1m])))") == nil)
        #expect(ClassicHistogram.singleHistogramQuantile("histogram_quantile(0.9, rate(x[1m]))") == nil)
        #expect(ClassicHistogram.singleHistogramQuantile("histogram_quantile(scalar(q), sum by (le) (x))") == nil)
        #expect(ClassicHistogram.singleHistogramQuantile("histogram_quantile(0.9, sum by (le) (x)) * 1000") == nil)
        #expect(ClassicHistogram.singleHistogramQuantile("histogram_quantile(0.9, sum without (handler) (x))") == nil)
    }

    @Test func nativeHistogramsAndNonMatricesAreLeftToTheServer() {
        let native = QueryOutcome.success(.matrix([]), warnings: [NativeHistogram.note])
        #expect(SharedBucketQuantiles.quantiles(0.5, of: native) == nil)
        #expect(SharedBucketQuantiles.quantiles(0.5, of: .success(.vector([]))) == nil)
    }
}
