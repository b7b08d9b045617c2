import MetricsCore
import PromQL
import SeriesStore
import Testing
@testable import DataSources

/// Embedded and replay sources answer a refresh's queries through one memo keyed by the store's
/// change counter: the executive latency graph's three quantiles share one `sum by (le) (rate(…))`.
@Suite struct LocalQueriesMemoTests {
    static let quantiles = ["0.99", "0.95", "0.50"].map {
        "histogram_quantile(\($0), sum by (le) (rate(http_request_duration_seconds_bucket[1m])))"
    }

    static func bucket(_ le: String) -> Labels {
        Labels(["__name__": "http_request_duration_seconds_bucket", "le": le])
    }

    @Test func aRefreshSharesTheAggregationUntilTheStoreChanges() throws {
        let scrape = StoreScrapeStorage(store: MemoryStore(options: StoreOptions(retention: nil)))
        let store = scrape.store
        for t in 0..<120 {
            store.append(Self.bucket("0.1"), Sample(t: Int64(t) * 1000, v: Double(t)))
            store.append(Self.bucket("0.5"), Sample(t: Int64(t) * 1000, v: Double(3 * t)))
            store.append(Self.bucket("+Inf"), Sample(t: Int64(t) * 1000, v: Double(4 * t)))
        }
        let queries = LocalQueries(storage: scrape, options: EngineOptions())
        func refresh(at end: Timestamp) -> [QueryOutcome] {
            Self.quantiles.map { queries.range($0, start: end, end: end, step: 15_000) }
        }
        let first = refresh(at: 119_000)
        #expect(queries.memo.counts.hits == 2)
        #expect(queries.memo.counts.misses == 2)
        let plain = LocalQueries(storage: MemoryStore(options: StoreOptions(retention: nil)), options: EngineOptions())
        #expect(plain.stamp != nil)
        // Rates 1, 3 and 4 a second: 0.99 and 0.95 fall in the +Inf bucket (answered with 0.5, the
        // highest finite bound), 0.50 (rank 2) half-way through (0.1, 0.5].
        let values = first.map { outcome -> Double in
            guard case .success(.matrix(let m)) = outcome.result, m.count == 1, m[0].samples.count == 1 else { return .nan }
            return m[0].samples[0].v
        }
        #expect(zip(values, [0.5, 0.5, 0.3]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(values)")
        // A scrape lands: the next refresh evaluates again.
        store.append(Self.bucket("0.1"), Sample(t: 120_000, v: 120))
        _ = refresh(at: 120_000)
        #expect(queries.memo.counts.hits == 4)
        #expect(queries.memo.counts.misses == 4)
    }
}
