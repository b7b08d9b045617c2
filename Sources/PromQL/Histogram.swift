import Foundation
import MetricsCore

/// `histogram_quantile` over classic buckets (`le` label), as Prometheus' `BucketQuantile`.
extension Evaluator {
    mutating func histogramQuantile(_ c: FunctionCall) throws(PromQLEvalError) -> [StepSeries] {
        let qs = try evalScalar(c.args[0])
        let v = try evalVector(c.args[1])
        warnInvalidQuantiles(qs, c.args[0].position)
        var notes = annotations
        defer { annotations = notes }
        let at = Evaluator.where_(c.args[1].position)
        return perHistogram(v, at, &notes) { key, buckets, i, notes in
            let (r, forced) = Evaluator.bucketQuantile(qs[i], &buckets)
            if forced { notes.info(Evaluator.monotonicityInfo(key, at)) }
            return r
        }
    }

    static func monotonicityInfo(_ key: Labels, _ at: String) -> String {
        "PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \"\(key.name ?? "")\"\(at)"
    }

    /// Prometheus reports an out-of-range quantile once per value, with the parameter's position.
    mutating func warnInvalidQuantiles(_ qs: [Double], _ pos: PositionRange) {
        for q in qs where q.isNaN || q < 0 || q > 1 {
            annotations.warn("PromQL warning: quantile value should be between 0 and 1, got \(PromMath.formatValue(q))\(Evaluator.where_(pos))")
        }
    }

    /// The ` (line:column)` suffix of annotations; positions are byte offsets of a one-line query.
    static func where_(_ p: PositionRange) -> String { " (1:\(p.start + 1))" }

    /// `histogram_quantiles(v, "label", q1, q2, ...)`: one output series per quantile, told apart by `label`.
    mutating func histogramQuantiles(_ c: FunctionCall) throws(PromQLEvalError) -> [StepSeries] {
        let v = try evalVector(c.args[0])
        guard case .string(let label, _) = Evaluator.unwrapParens(c.args[1]), isValidLabelName(label) else {
            throw PromQLEvalError("histogram_quantiles: invalid label name")
        }
        if v.contains(where: { $0.labels[label] != nil }) {
            throw PromQLEvalError("histogram_quantiles: label \"\(label)\" already exists on the input series")
        }
        var out: [StepSeries] = []
        let at = Evaluator.where_(c.args[0].position)
        for arg in c.args.dropFirst(2) {
            let qs = try evalScalar(arg)
            warnInvalidQuantiles(qs, arg.position)
            var notes = annotations
            let series = perHistogram(v, at, &notes) { key, buckets, i, notes in
                let (r, forced) = Evaluator.bucketQuantile(qs[i], &buckets)
                if forced { notes.info(Evaluator.monotonicityInfo(key, at)) }
                return r
            }
            annotations = notes
            // The label value is the quantile written with at least one decimal (`0.0`, `0.25`).
            let q = qs.first ?? .nan
            let text = q == q.rounded() && q.isFinite ? String(format: "%.1f", q) : PromMath.formatValue(q)
            out += series.map { StepSeries(labels: $0.labels.setting(label, text), values: $0.values, dropName: $0.dropName) }
        }
        return try Evaluator.rejectDuplicates(out, steps: grid.count)
    }

    mutating func histogramFraction(_ c: FunctionCall) throws(PromQLEvalError) -> [StepSeries] {
        let lower = try evalScalar(c.args[0])
        let upper = try evalScalar(c.args[1])
        let v = try evalVector(c.args[2])
        return perHistogram(v, Evaluator.where_(c.args[2].position), &annotations) { _, buckets, i, _ in
            Evaluator.bucketFraction(lower[i], upper[i], &buckets)
        }
    }

    /// Groups classic bucket series by their labels without `le` and computes one value per group and step.
    private func perHistogram(
        _ v: [StepSeries], _ at: String, _ notes: inout Annotations,
        _ compute: (Labels, inout [(upper: Double, count: Double)], Int, inout Annotations) -> Double
    ) -> [StepSeries] {
        // Group bucket series by their labels without `le`; the name stays until the end (delayed removal).
        let histograms = memo?.memo.groupings.histograms(v) ?? Evaluator.bucketGroups(v)
        for bad in histograms.malformed {
            notes.warn("PromQL warning: bucket label \"le\" is missing or has a malformed value of \"\(bad.le)\" for metric name \"\(bad.name)\"\(at)")
        }
        let order = histograms.keys
        var out: [StepSeries] = []
        for (g, key) in order.enumerated() {
            let members = histograms.members[g]
            var values = StepSeries.missingValues(grid.count)
            var any = false
            for i in 0..<grid.count {
                var buckets: [(upper: Double, count: Double)] = []
                for (k, bound) in members { if let x = v[k].values[i] { buckets.append((bound, x)) } }
                guard !buckets.isEmpty else { continue }
                values[i] = compute(key, &buckets, i, &notes)
                any = true
            }
            if any { out.append(StepSeries(labels: key, values: values, dropName: true)) }
        }
        return out
    }

    static let bucketLabel: Set<String> = ["le"]

    /// Bucket series grouped by their labels without `le` (in order of first appearance), each
    /// member with its bound; and the series whose `le` is missing or malformed, in input order.
    struct BucketGroups {
        var keys: [Labels] = []
        var members: [[(Int, Double)]] = []
        var malformed: [(le: String, name: String)] = []
    }

    static func bucketGroups(_ v: [StepSeries]) -> BucketGroups {
        var out = BucketGroups()
        var index: [Labels: Int] = [:]
        for (k, s) in v.enumerated() {
            let le = s.labels["le"] ?? ""
            guard let bound = Evaluator.parseBound(le) else {
                out.malformed.append((le, s.labels.name ?? ""))
                continue
            }
            let key = s.labels.removing(bucketLabel)
            if let g = index[key] { out.members[g].append((k, bound)) } else {
                index[key] = out.keys.count
                out.keys.append(key)
                out.members.append([(k, bound)])
            }
        }
        return out
    }

    static func parseBound(_ s: String) -> Double? {
        // The common case first: `Double` takes no surrounding space and reads `+Inf` and `NaN`
        // the same as the cases below.
        if let plain = Double(s) { return plain }
        let t = s.trimmingCharacters(in: .whitespaces)
        switch t.lowercased() {
        case "+inf", "inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default: return Double(t) ?? SeriesNotation.scanNumber(Array(t.utf8), 0, allowSign: true).flatMap { $0.1 == t.utf8.count ? $0.0 : nil }
        }
    }

    /// Returns the quantile and whether monotonicity had to be forced.
    static func bucketQuantile(_ q: Double, _ input: inout [(upper: Double, count: Double)]) -> (Double, Bool) {
        if q.isNaN { return (.nan, false) }
        if q < 0 { return (-.infinity, false) }
        if q > 1 { return (.infinity, false) }
        input.sort { $0.upper < $1.upper }
        guard let last = input.last, last.upper == .infinity else { return (.nan, false) }
        // Coalesce buckets with the same upper bound.
        var b: [(upper: Double, count: Double)] = []
        for x in input {
            if let l = b.last, l.upper == x.upper { b[b.count - 1].count += x.count } else { b.append(x) }
        }
        var forced = false
        var prev = b[0].count
        for i in 1..<b.count {
            let cur = b[i].count
            if cur == prev { continue }
            if almostEqual(prev, cur, 1e-12) {
                b[i].count = prev
                continue
            }
            if cur < prev {
                b[i].count = prev
                forced = true
                continue
            }
            prev = cur
        }
        guard b.count >= 2 else { return (.nan, forced) }
        let observations = b[b.count - 1].count
        if observations == 0 { return (.nan, forced) }
        var rank = q * observations
        var idx = b.count - 1
        for i in 0..<(b.count - 1) where b[i].count >= rank {
            idx = i
            break
        }
        if idx == b.count - 1 { return (b[b.count - 2].upper, forced) }
        if idx == 0 && b[0].upper <= 0 { return (b[0].upper, forced) }
        var start = 0.0
        let end = b[idx].upper
        var count = b[idx].count
        if idx > 0 {
            start = b[idx - 1].upper
            count -= b[idx - 1].count
            rank -= b[idx - 1].count
        }
        return (start + (end - start) * (rank / count), forced)
    }

    static func almostEqual(_ a: Double, _ b: Double, _ epsilon: Double) -> Bool {
        let minNormal = Double(bitPattern: 0x0010_0000_0000_0000)
        if a == b { return true }
        let absSum = abs(a) + abs(b)
        let diff = abs(a - b)
        if a == 0 || b == 0 || absSum < minNormal { return diff < epsilon * minNormal }
        return diff / Swift.min(absSum, Double.greatestFiniteMagnitude) < epsilon
    }

    /// The fraction of observations between `lower` and `upper`, interpolating linearly inside buckets
    /// (the first bucket starts at 0 when its bound is positive, as in histogram_quantile).
    static func bucketFraction(_ lower: Double, _ upper: Double, _ input: inout [(upper: Double, count: Double)]) -> Double {
        input.sort { $0.upper < $1.upper }
        guard let last = input.last, last.upper == .infinity else { return .nan }
        var b: [(upper: Double, count: Double)] = []
        for x in input {
            if let l = b.last, l.upper == x.upper { b[b.count - 1].count += x.count } else { b.append(x) }
        }
        for i in 1..<b.count where b[i].count < b[i - 1].count { b[i].count = b[i - 1].count }
        let total = b[b.count - 1].count
        if total == 0 || lower.isNaN || upper.isNaN { return .nan }
        if lower >= upper { return 0 }
        func rank(at x: Double, isLower: Bool) -> Double {
            var prevCount = 0.0
            for (i, bucket) in b.enumerated() {
                let lowerBound = i > 0 ? b[i - 1].upper : (bucket.upper > 0 ? 0 : -Double.infinity)
                if x <= lowerBound { return prevCount }
                if x < bucket.upper {
                    if lowerBound.isInfinite || bucket.upper.isInfinite {
                        // No interpolation in an infinitely wide bucket: it contributes nothing.
                        return isLower && !bucket.upper.isInfinite ? bucket.count : prevCount
                    }
                    return prevCount + (bucket.count - prevCount) * (x - lowerBound) / (bucket.upper - lowerBound)
                }
                prevCount = bucket.count
            }
            return total
        }
        return (rank(at: upper, isLower: false) - rank(at: lower, isLower: true)) / total
    }
}
