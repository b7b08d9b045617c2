@testable import DemoService
import Testing

@Suite struct SeededRandomTests {
    @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
        var a = SeededRandom(seed: 42)
        var b = SeededRandom(seed: 42)
        var c = SeededRandom(seed: 43)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
    }

    @Test func binomialAndPoissonHaveTheRightMeans() {
        var random = SeededRandom(seed: 7)
        // Small-mean (exact inversion) and large-mean (normal approximation) paths both.
        for (trials, p) in [(200, 0.01), (10_000, 0.3), (5_000, 0.9)] {
            let runs = 2_000
            let total = (0..<runs).reduce(0) { sum, _ in sum + random.binomial(trials: trials, probability: p) }
            let mean = Double(total) / Double(runs)
            let expected = Double(trials) * p
            let standardError = (expected * (1 - p) / Double(runs)).squareRoot()
            #expect(abs(mean - expected) < 5 * standardError, "binomial(\(trials), \(p)) mean \(mean)")
        }
        for mean in [3.0, 800.0] {
            let runs = 2_000
            let total = (0..<runs).reduce(0) { sum, _ in sum + random.poisson(mean: mean) }
            let observed = Double(total) / Double(runs)
            #expect(abs(observed - mean) < 5 * (mean / Double(runs)).squareRoot(), "poisson(\(mean)) mean \(observed)")
        }
    }

    @Test func multinomialConservesTheTotal() {
        var random = SeededRandom(seed: 9)
        var counts: [Int] = []
        random.multinomial(trials: 12_345, probabilities: [0.1, 0.2, 0.3, 0.4], into: &counts)
        #expect(counts.count == 4)
        #expect(counts.reduce(0, +) == 12_345)
        #expect(counts.allSatisfy { $0 >= 0 })
    }
}
