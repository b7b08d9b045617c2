import Foundation

/// A small, fast, seedable generator (xoshiro256**, seeded through SplitMix64) so that a demo run
/// is reproducible from `--seed` alone. `SystemRandomNumberGenerator` cannot be seeded, which is why
/// we carry our own.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    init(seed: UInt64) {
        // SplitMix64 spreads even tiny seeds (0, 1, 2...) over the whole state, as xoshiro requires
        // a state that is not all zero.
        var mix = seed
        func splitMix() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in the open interval (0, 1): never exactly 0, so `log(u)` is always finite.
    mutating func unitOpen() -> Double {
        (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0
    }

    /// Standard normal draw (Box-Muller; the second value is dropped to keep the state a plain struct).
    mutating func standardNormal() -> Double {
        let u1 = unitOpen()
        let u2 = unitOpen()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Poisson draw. Exact (Knuth) for small means; for large means the normal approximation, whose
    /// error is far below the statistical noise of the counts it produces.
    mutating func poisson(mean: Double) -> Int {
        guard mean > 0, mean.isFinite else { return 0 }
        if mean < 30 {
            let limit = exp(-mean)
            var product = unitOpen()
            var count = 0
            while product > limit {
                product *= unitOpen()
                count += 1
            }
            return count
        }
        let draw = (mean + mean.squareRoot() * standardNormal()).rounded()
        return max(0, Int(draw))
    }

    /// Binomial draw: number of successes among `trials` with probability `probability` each.
    /// Exact by inversion when the expected count of the rarer outcome is small (where a normal
    /// approximation would be visibly wrong), normal approximation otherwise.
    mutating func binomial(trials: Int, probability: Double) -> Int {
        guard trials > 0, probability > 0 else { return 0 }
        if probability >= 1 { return trials }
        if probability > 0.5 {
            return trials - binomial(trials: trials, probability: 1 - probability)
        }
        let mean = Double(trials) * probability
        if mean < 25 {
            return binomialByInversion(trials: trials, probability: probability)
        }
        let sd = (mean * (1 - probability)).squareRoot()
        let draw = (mean + sd * standardNormal()).rounded()
        return min(trials, max(0, Int(draw)))
    }

    /// Walks the binomial distribution function from k = 0 upwards using the pmf recurrence;
    /// expected cost is about the mean, which the caller keeps below 25.
    private mutating func binomialByInversion(trials: Int, probability p: Double) -> Int {
        let n = Double(trials)
        let ratio = p / (1 - p)
        var pmf = exp(n * log1p(-p))
        var cumulative = pmf
        let u = unitOpen()
        var k = 0
        while u > cumulative && k < trials {
            pmf *= ratio * (n - Double(k)) / Double(k + 1)
            k += 1
            cumulative += pmf
            if pmf < 1e-300 { break }  // numerically exhausted: the remaining mass is negligible
        }
        return k
    }

    /// Multinomial draw by sequential conditional binomials: splits `trials` across categories with
    /// the given probabilities (summing to 1; the last category takes whatever remains).
    mutating func multinomial(trials: Int, probabilities: [Double], into counts: inout [Int]) {
        counts.removeAll(keepingCapacity: true)
        var remaining = trials
        var massLeft = 1.0
        for (index, p) in probabilities.enumerated() {
            if remaining == 0 {
                // Everything is placed: the rest are zeros, no draws needed (the common case for
                // the small 5xx groups, which would otherwise cost one draw per bucket).
                counts.append(contentsOf: repeatElement(0, count: probabilities.count - index))
                break
            }
            if index == probabilities.count - 1 {
                counts.append(remaining)
                break
            }
            let conditional = massLeft > 1e-15 ? min(1, max(0, p / massLeft)) : 0
            let drawn = binomial(trials: remaining, probability: conditional)
            counts.append(drawn)
            remaining -= drawn
            massLeft -= p
        }
    }
}
