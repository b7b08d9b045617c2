import MetricsCore
import PromQL
import SeriesStore

/// The query the live dashboard pays for most every second: a quantile per handler over the rate
/// of a latency histogram's buckets, as the executive layout's table asks it of the demo service
/// (18 handler and status pairs × 24 buckets = 432 series), scraped every second.
public struct HistogramQueryBench {
    public static let query = "histogram_quantile(0.95, sum by (le, handler) (rate(bench_duration_seconds_bucket[1m])))"
    public let store = MemoryStore(options: StoreOptions(retention: nil))
    let series: [Labels]
    let expr: Expr
    /// Kept across refreshes as the dashboard keeps it: its results are dated by the store's stamp,
    /// so each scrape makes them stale, but an aggregation's groups are kept for the same series.
    let memo = SubexpressionMemo()
    public private(set) var now: Timestamp = 1_700_000_000_000
    var counts: [Double]

    /// A store with `minutes` of history at one sample a second.
    public init(minutes: Int = 15) throws {
        let handlers = ["/api/auth/login", "/api/user/dashboard", "/api/user/profile", "/api/files/upload",
                        "/api/analytics/report", "/health"]
        let bounds = (0..<23).map { String(Double(1 << $0) / 1000) } + ["+Inf"]
        var series: [Labels] = []
        for h in handlers {
            for status in ["200", "404", "500"] {
                for le in bounds {
                    series.append(Labels(["__name__": "bench_duration_seconds_bucket", "handler": h, "status": status,
                                          "le": le, "job": "demo", "instance": "127.0.0.1:9"]))
                }
            }
        }
        self.series = series
        counts = [Double](repeating: 0, count: series.count)
        expr = try PromQLParser.parse(Self.query)
        for _ in 0..<(minutes * 60) { scrape() }
    }

    /// One more second: every bucket gains a few requests (cumulative, so each `le` gains at least
    /// as many as the one below it).
    public mutating func scrape() {
        now += 1000
        for i in series.indices {
            counts[i] += Double(i % 24 + (Int(now / 1000) % 7))
            store.append(series[i], Sample(t: now, v: counts[i]))
        }
    }

    /// The query at the newest sample, with the memo the dashboard keeps (stale after each scrape).
    public func evaluate() throws -> Int {
        let store = self.store
        let engine = Engine(storage: store, memo: memo, stamp: { store.changeStamp(metricNames: $0) })
        let result = try engine.instant(expr, at: now)
        if case .vector(let v) = result.value { return v.count }
        return 0
    }
}
