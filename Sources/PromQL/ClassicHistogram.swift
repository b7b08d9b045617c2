/// `histogram_quantile` over classic buckets for code outside the engine: server mode asks a server
/// for one histogram's buckets once and computes several quantiles of them itself (DataSources).
public enum ClassicHistogram {
    /// Prometheus' bucket quantile, as the engine computes it (NaN without a `+Inf` bucket or
    /// without observations).
    public static func quantile(_ q: Double, buckets: [(upper: Double, count: Double)]) -> Double {
        var b = buckets
        return Evaluator.bucketQuantile(q, &b).0
    }

    /// An `le` label's bound, read as the engine reads it; nil when malformed.
    public static func bound(_ le: String) -> Double? { Evaluator.parseBound(le) }

    /// `histogram_quantile(φ, <agg> by (le) (...))` with a literal φ: φ and the bucket expression.
    /// Nil for anything else, and for buckets grouped by more than `le` (then the buckets would be
    /// many times the size of the quantiles).
    public static func singleHistogramQuantile(_ expr: String) -> (q: Double, buckets: String)? {
        guard var e = try? PromQLParser.parse(expr) else { return nil }
        while case .paren(let inside, _) = e { e = inside }
        guard case .call(let c) = e, c.name == "histogram_quantile", c.args.count == 2,
              case .number(let q, _) = c.args[0] else { return nil }
        var buckets = c.args[1]
        while case .paren(let inside, _) = buckets { buckets = inside }
        guard case .aggregate(let a) = buckets, !a.without, a.grouping == ["le"] else { return nil }
        return (q, buckets.description)
    }
}
