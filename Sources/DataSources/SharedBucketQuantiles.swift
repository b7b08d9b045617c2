import MetricsCore
import PromQL

/// Server mode: a latency graph draws several quantiles of one histogram (p50, p95 and p99 of the
/// same `sum by (le) (rate(..._bucket[1m]))`). Sent as written, the server evaluates the buckets once
/// per quantile over the whole window, which is most of a first frame's wait on the server. Instead
/// `PrometheusSource` asks for the buckets (the quantiles of one refresh share that request through
/// its coalescer) and each quantile is computed here from them, as the server would.
enum SharedBucketQuantiles {
    /// The quantile `q` of every histogram in a bucket matrix (series grouped by their labels without
    /// `le`), at each timestamp where it has buckets. Nil when the answer cannot be used so: not a
    /// matrix, or native histograms (shown otherwise); the caller then sends the query as written.
    static func quantiles(_ q: Double, of buckets: QueryOutcome) -> QueryOutcome? {
        guard case .success(.matrix(let series)) = buckets.result,
              !buckets.warnings.contains(NativeHistogram.note) else { return nil }
        var histograms: [Labels: [(upper: Double, samples: [Sample])]] = [:]
        var order: [Labels] = []
        for s in series {
            // The server skips (with a warning) bucket series without a readable `le`: so here.
            guard let le = s.labels["le"], let upper = ClassicHistogram.bound(le) else { continue }
            let key = s.labels.removing(["le", Labels.metricName])
            if histograms[key] == nil { order.append(key) }
            histograms[key, default: []].append((upper, s.samples))
        }
        var out: [SeriesSamples] = []
        for key in order {
            var bucketsAt: [Timestamp: [(upper: Double, count: Double)]] = [:]
            for bucket in histograms[key] ?? [] {
                for sample in bucket.samples { bucketsAt[sample.t, default: []].append((bucket.upper, sample.v)) }
            }
            let samples = bucketsAt.keys.sorted().map { t in
                Sample(t: t, v: ClassicHistogram.quantile(q, buckets: bucketsAt[t] ?? []))
            }
            out.append(SeriesSamples(labels: key, samples: samples))
        }
        return .success(.matrix(out), warnings: buckets.warnings)
    }
}
