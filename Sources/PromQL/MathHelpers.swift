import Foundation
import MetricsCore

/// Numeric kernels shared by aggregations and range functions, written to round like Prometheus.
enum PromMath {
    /// Neumaier-compensated summation step, as Prometheus' `kahanSumInc`.
    @inline(__always)
    static func kahanInc(_ inc: Double, _ sum: Double, _ c: Double) -> (Double, Double) {
        let t = sum + inc
        if t.isInfinite { return (t, 0) }
        if abs(sum) >= abs(inc) { return (t, c + ((sum - t) + inc)) }
        return (t, c + ((inc - t) + sum))
    }

    static func sum<C: Collection>(_ xs: C) -> Double where C.Element == Double {
        var s = 0.0, c = 0.0
        for x in xs { (s, c) = kahanInc(x, s, c) }
        return s + c
    }

    /// Mean with compensated summation that switches to an incremental mean on overflow.
    static func mean<C: Collection>(_ xs: C) -> Double where C.Element == Double {
        var it = xs.makeIterator()
        guard var sum = it.next() else { return .nan }
        var count = 1.0, mean = 0.0, c = 0.0, incremental = false
        while let f = it.next() {
            count += 1
            if !incremental {
                let (ns, nc) = kahanInc(f, sum, c)
                if !ns.isInfinite {
                    (sum, c) = (ns, nc)
                    continue
                }
                incremental = true
                mean = sum / (count - 1)
                c /= (count - 1)
            }
            let q = (count - 1) / count
            (mean, c) = kahanInc(f / count, q * mean, q * c)
        }
        return incremental ? mean + c : sum / count + c / count
    }

    /// Population variance (Welford with compensation), as `stdvar_over_time`.
    static func variance<C: Collection>(_ xs: C) -> Double where C.Element == Double {
        var count = 0.0, mean = 0.0, cMean = 0.0, aux = 0.0, cAux = 0.0
        for f in xs {
            count += 1
            let delta = f - (mean + cMean)
            (mean, cMean) = kahanInc(delta / count, mean, cMean)
            (aux, cAux) = kahanInc(delta * (f - (mean + cMean)), aux, cAux)
        }
        return (aux + cAux) / count
    }

    /// Prometheus' `quantile`: linear interpolation between the closest ranks.
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted { a, b in a < b || (a.isNaN && !b.isNaN) }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = max(0, rank.rounded(.down))
        let upper = min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }

    /// Least-squares slope and intercept at `interceptTime` (ms), x in seconds.
    static func linearRegression<C: Collection>(_ samples: C, interceptTime: Int64) -> (Double, Double)
    where C.Element == Sample {
        var n = 0.0, sumX = 0.0, cX = 0.0, sumY = 0.0, cY = 0.0, sumXY = 0.0, cXY = 0.0, sumX2 = 0.0, cX2 = 0.0
        guard let first = samples.first else { return (.nan, .nan) }
        let initY = first.v
        var constY = true
        for s in samples {
            if constY && s.v != initY { constY = false }
            n += 1
            let x = Double(s.t - interceptTime) / 1e3
            (sumX, cX) = kahanInc(x, sumX, cX)
            (sumY, cY) = kahanInc(s.v, sumY, cY)
            (sumXY, cXY) = kahanInc(x * s.v, sumXY, cXY)
            (sumX2, cX2) = kahanInc(x * x, sumX2, cX2)
        }
        if constY { return initY.isInfinite ? (.nan, .nan) : (0, initY) }
        sumX += cX; sumY += cY; sumXY += cXY; sumX2 += cX2
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        let slope = covXY / varX
        return (slope, sumY / n - slope * sumX / n)
    }

    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`-like text, as used for label values (count_values).
    static func formatValue(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e21 {
            return v == 0 ? (v.sign == .minus ? "-0" : "0") : String(format: "%.0f", v)
        }
        var s = "\(v)"
        if s.contains("e") {
            // Expand exponent notation: Go's 'f' format never uses it.
            let decimal = Decimal(string: s).map { "\($0)" }
            s = decimal ?? s
        }
        return s
    }
}

