import Foundation
import MetricsCore

/// `histogram_quantile` over classic buckets (`le` label), as Prometheus' `BucketQuantile`.
extension Evaluator {
    mutating func histogramQuantile(_ c: FunctionCall) throws(PromQLEvalError) -> [StepSeries] {
        let qs = try evalScalar(c.args[0])
        let v = try evalVector(c.args[1])
        // Group bucket series by their labels without `le`; the name stays until the end (delayed removal).
        var groups: [Labels: [(Int, Double)]] = [:]
        var order: [Labels] = []
        for (k, s) in v.enumerated() {
            guard let le = s.labels["le"] else { continue }
            guard let bound = Evaluator.parseBound(le) else {
                annotations.warn("PromQL warning: bucket label \"le\" is missing or has a malformed value of \"\(le)\"")
                continue
            }
            let key = s.labels.removing(["le"])
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append((k, bound))
        }
        var out: [StepSeries] = []
        for key in order {
            let members = groups[key] ?? []
            var values = [Double?](repeating: nil, count: grid.count)
            var any = false
            for i in 0..<grid.count {
                var buckets: [(upper: Double, count: Double)] = []
                for (k, bound) in members { if let x = v[k].values[i] { buckets.append((bound, x)) } }
                guard !buckets.isEmpty else { continue }
                let q = qs[i]
                if q.isNaN || q < 0 || q > 1 {
                    annotations.warn("PromQL warning: quantile value should be between 0 and 1, got \(PromMath.formatValue(q))")
                }
                let (r, forced) = Evaluator.bucketQuantile(q, &buckets)
                if forced {
                    annotations.info("PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \"\(key.name ?? "")\"")
                }
                values[i] = r
                any = true
            }
            if any { out.append(StepSeries(labels: key, values: values, dropName: true)) }
        }
        return out
    }

    static func parseBound(_ s: String) -> Double? {
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
}
