import Foundation

/// A latency distribution fitted exactly to three published quantiles (P50, P95, P99).
///
/// A single log-normal cannot match three quantiles at once (the design's tails are heavier than
/// its bodies), so this is a *piecewise* log-normal: `log(latency)` is a piecewise-linear function
/// of the standard-normal score z, with knots at z(P50) = 0, z(P95) and z(P99). Below P95 the slope
/// is the one that joins P50 and P95; above it, the one that joins P95 and P99 (extended into the
/// tail). The result is continuous and strictly increasing, and its quantile function passes
/// through the three table values exactly; `scaled(by:)` multiplies every latency (an incident).
struct LatencyDistribution: Sendable, Equatable {
    static let z95 = 1.644_853_626_951_472
    static let z99 = 2.326_347_874_040_841

    let median: Double
    let p95: Double
    let p99: Double

    /// Log-space spread below P95 and above P95.
    private var bodySigma: Double { log(p95 / median) / Self.z95 }
    private var tailSigma: Double { log(p99 / p95) / (Self.z99 - Self.z95) }

    init(median: Double, p95: Double, p99: Double) {
        precondition(median > 0 && p95 > median && p99 > p95, "quantiles must increase")
        self.median = median
        self.p95 = p95
        self.p99 = p99
    }

    func scaled(by factor: Double) -> LatencyDistribution {
        LatencyDistribution(median: median * factor, p95: p95 * factor, p99: p99 * factor)
    }

    /// The standard-normal score of a latency (inverse of `quantile(score:)`).
    func score(of seconds: Double) -> Double {
        guard seconds > 0 else { return -.infinity }
        let logX = log(seconds)
        let logP95 = log(p95)
        if logX <= logP95 {
            return (logX - log(median)) / bodySigma
        }
        return Self.z95 + (logX - logP95) / tailSigma
    }

    /// The latency at a standard-normal score.
    func quantile(score z: Double) -> Double {
        if z <= Self.z95 {
            return median * exp(z * bodySigma)
        }
        return p95 * exp((z - Self.z95) * tailSigma)
    }

    /// P(latency ≤ seconds).
    func cdf(_ seconds: Double) -> Double {
        standardNormalCDF(score(of: seconds))
    }

    /// The mean latency inside (lower, upper], used to keep `_sum` consistent with bucket counts
    /// without drawing every observation: k observations in a bucket add k × this mean.
    func conditionalMean(lower: Double, upper: Double) -> Double {
        // Integrate x(z)·φ(z) over the bucket in z-space with Simpson's rule; the tail beyond
        // z = 7 holds ~1e-12 of the mass and is ignored.
        let zLow = max(-7, score(of: lower))
        let zHigh = min(7, upper.isInfinite ? 7 : score(of: upper))
        guard zHigh > zLow else { return min(max(lower, 0), upper.isFinite ? upper : lower) }
        let intervals = 16
        let h = (zHigh - zLow) / Double(intervals)
        var weighted = 0.0
        var mass = 0.0
        for i in 0...intervals {
            let z = zLow + Double(i) * h
            let w: Double = (i == 0 || i == intervals) ? 1 : (i % 2 == 1 ? 4 : 2)
            let density = exp(-0.5 * z * z)
            weighted += w * quantile(score: z) * density
            mass += w * density
        }
        guard mass > 0 else { return lower }
        return weighted / mass
    }
}

/// Φ(z), the standard normal distribution function.
func standardNormalCDF(_ z: Double) -> Double {
    if z == -.infinity { return 0 }
    if z == .infinity { return 1 }
    return 0.5 * erfc(-z / 2.0.squareRoot())
}

/// A latency distribution discretised onto histogram buckets: per-bucket probability and the mean
/// of the observations falling in each bucket. Recomputed only when the latency factor changes.
struct BucketedLatency: Sendable {
    let factor: Double
    /// Probabilities for (−∞, b0], (b0, b1], …, (bN−1, +∞): `bounds.count + 1` entries summing to 1.
    let probabilities: [Double]
    let means: [Double]

    init(distribution base: LatencyDistribution, factor: Double, bounds: [Double]) {
        let distribution = base.scaled(by: factor)
        var probabilities: [Double] = []
        var means: [Double] = []
        var previousCDF = 0.0
        var lower = 0.0
        for upper in bounds + [.infinity] {
            let cdf = upper.isInfinite ? 1 : distribution.cdf(upper)
            probabilities.append(max(0, cdf - previousCDF))
            means.append(distribution.conditionalMean(lower: lower, upper: upper))
            previousCDF = cdf
            lower = upper
        }
        self.factor = factor
        self.probabilities = probabilities
        self.means = means
    }
}
