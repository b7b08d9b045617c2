import MetricsCore
import PromQL

/// A questionable but valid PromQL construct, with the span of the expression it is about.
public struct PromQLLint: Hashable, Sendable {
    public var message: String
    public var position: PositionRange
}

/// Lints over the parsed expression: mistakes that give plausible-looking but wrong numbers.
public enum PromQLLinter {
    static let rateFunctions: Set<String> = ["rate", "irate", "increase"]

    /// Counters of common exporters whose names predate the `_total` convention.
    static let knownCounters: Set<String> = [
        "pg_stat_database_blks_hit", "pg_stat_database_blks_read", "pg_stat_database_xact_commit",
        "pg_stat_database_xact_rollback", "pg_stat_database_tup_returned", "pg_stat_database_tup_fetched",
        "pg_stat_database_tup_inserted", "pg_stat_database_tup_updated", "pg_stat_database_tup_deleted",
        "pg_stat_database_conflicts", "pg_stat_database_temp_files", "pg_stat_database_temp_bytes",
        "pg_stat_database_deadlocks", "pg_stat_database_blk_read_time", "pg_stat_database_blk_write_time",
        "pg_stat_statements_calls", "pg_stat_statements_rows", "pg_stat_statements_shared_blks_hit",
        "pg_stat_statements_shared_blks_read",
    ]
    static let counterSuffixes = ["_total", "_count", "_sum", "_bucket"]
    /// node_exporter's kernel statistics: untyped, but cumulative counters almost without exception.
    static let counterPrefixes = ["node_vmstat_", "node_netstat_", "node_snmp6_"]

    /// Whether a metric name reads as a counter (or a histogram/summary counter series).
    public static func looksLikeCounter(_ name: String) -> Bool {
        counterSuffixes.contains { name.hasSuffix($0) } || knownCounters.contains(name)
            || counterPrefixes.contains { name.hasPrefix($0) }
    }

    /// All lints of one expression. `scrapeInterval` in milliseconds.
    public static func lint(_ expr: Expr, scrapeInterval: Int64) -> [PromQLLint] {
        var out: [PromQLLint] = []
        expr.walk { node in
            switch node {
            case .call(let call):
                if call.name == "histogram_quantile", call.args.count == 2 {
                    for selector in rawSelectors(call.args[1]) where selector.name?.hasSuffix("_bucket") == true {
                        let name = selector.name ?? ""
                        out.append(PromQLLint(message: "histogram_quantile over the raw buckets of \(name): cumulative "
                            + "counts give the distribution since the process started, not the recent one; use "
                            + "histogram_quantile(φ, sum by (le) (rate(\(name)[5m])))", position: selector.position))
                    }
                }
                if rateFunctions.contains(call.name), case .matrixSelector(let m)? = call.args.first,
                   let name = m.vector.name, !looksLikeCounter(name) {
                    out.append(PromQLLint(message: "\(call.name)() of \(name), which does not look like a counter "
                        + "(counter names end in _total, _count, _sum or _bucket); for a gauge use deriv() or delta()",
                        position: m.position))
                }
            case .matrixSelector(let m) where m.range < 2 * scrapeInterval:
                out.append(PromQLLint(message: "range [\(PromDuration.format(m.range))] is shorter than two scrape "
                    + "intervals (2 × \(PromDuration.format(scrapeInterval))): it will often hold fewer than two samples",
                    position: m.position))
            case .binary(let b) where b.op == .div:
                if let message = ratioMismatch(b) { out.append(PromQLLint(message: message, position: b.position)) }
            default: break
            }
            return true
        }
        return out
    }

    /// Vector selectors reached without passing through a range (so not inside rate() and the like).
    static func rawSelectors(_ e: Expr) -> [VectorSelector] {
        switch e {
        case .vectorSelector(let s): return [s]
        case .matrixSelector, .subquery: return []
        default: return e.children.flatMap(rawSelectors)
        }
    }

    /// The labels a vector expression's result carries, as far as matching cares.
    enum LabelShape: Equatable {
        case scalar
        /// Unaggregated series of one selector: all their labels (name excluded after rate).
        case series(name: String?, matchers: Set<String>)
        /// After `sum by (...)` or another label-dropping aggregation: exactly these labels.
        case grouped(Set<String>)
        case unknown
    }

    static func shape(_ e: Expr) -> LabelShape {
        switch e {
        case .number: return .scalar
        case .paren(let inner, _), .unary(_, let inner, _): return shape(inner)
        case .vectorSelector(let s): return seriesShape(s)
        case .call(let c):
            if rateFunctions.contains(c.name), case .matrixSelector(let m)? = c.args.first { return seriesShape(m.vector) }
            if c.name == "vector" || c.name == "time" || c.name == "scalar" { return c.name == "vector" ? .grouped([]) : .scalar }
            return .unknown
        case .aggregate(let a):
            if a.without || [.topk, .bottomk, .limitk, .limitRatio].contains(a.op) { return .unknown }
            return .grouped(Set(a.grouping))
        case .binary(let b):
            if let m = b.matching, m.on || !m.labels.isEmpty || m.cardinality != .oneToOne { return .unknown }
            let l = shape(b.lhs), r = shape(b.rhs)
            if l == .scalar { return r }
            if r == .scalar { return l }
            return l == r || b.op.isSetOperator || b.op.isComparison ? l : .unknown
        default: return .unknown
        }
    }

    static func seriesShape(_ s: VectorSelector) -> LabelShape {
        .series(name: s.name, matchers: Set(s.matchers.filter { $0.name != "__name__" }.map(\.description)))
    }

    static func containsRate(_ e: Expr) -> Bool {
        var found = false
        e.walk { node in
            if case .call(let c) = node, rateFunctions.contains(c.name) { found = true }
            return !found
        }
        return found
    }

    /// A ratio of rates whose two sides cannot pair series one-to-one as intended, or nil.
    static func ratioMismatch(_ b: BinaryExpr) -> String? {
        if let m = b.matching, m.on || !m.labels.isEmpty || m.cardinality != .oneToOne { return nil }
        guard containsRate(b.lhs) || containsRate(b.rhs) else { return nil }
        let hint = "aggregate both sides alike, e.g. sum(rate(...)) / sum(rate(...)), or sum by (x) on both"
        switch (shape(b.lhs), shape(b.rhs)) {
        case (.series(let ln, let lm), .series(let rn, let rm)) where ln != nil && ln == rn && lm != rm:
            return "ratio of rates of \(ln ?? "") with different label filters matches every series with itself "
                + "(the filtered label is part of the match), so it gives 1 per series instead of the share; \(hint)"
        case (.grouped(let l), .grouped(let r)) where l != r:
            return "ratio of aggregations by (\(l.sorted().joined(separator: ", "))) and by "
                + "(\(r.sorted().joined(separator: ", "))): the label sets cannot match one-to-one; \(hint)"
        case (.grouped, .series), (.series, .grouped):
            return "ratio of an aggregated side and an unaggregated side: their label sets cannot match one-to-one; \(hint)"
        default:
            return nil
        }
    }
}
