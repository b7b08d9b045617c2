@testable import DemoService
import Testing

@Suite struct LatencyDistributionTests {
    @Test func cdfPassesThroughEveryTableQuantile() {
        for endpoint in ServiceProfile.endpoints {
            let d = endpoint.latency
            #expect(abs(d.cdf(d.median) - 0.50) < 1e-9, "\(endpoint.handler) P50")
            #expect(abs(d.cdf(d.p95) - 0.95) < 1e-9, "\(endpoint.handler) P95")
            #expect(abs(d.cdf(d.p99) - 0.99) < 1e-9, "\(endpoint.handler) P99")
        }
    }

    @Test func scalingMultipliesQuantiles() {
        let login = LatencyDistribution(median: 0.18, p95: 0.38, p99: 0.65)
        let tripled = login.scaled(by: 3)
        #expect(abs(tripled.cdf(1.14) - 0.95) < 1e-9)
        #expect(abs(tripled.quantile(score: 0) - 0.54) < 1e-12)
    }

    @Test func bucketProbabilitiesSumToOneAndMeansLieInsideBuckets() {
        let bounds = ServiceProfile.bucketBounds
        for endpoint in ServiceProfile.endpoints {
            let model = BucketedLatency(distribution: endpoint.latency, factor: 1, bounds: bounds)
            #expect(abs(model.probabilities.reduce(0, +) - 1) < 1e-9)
            let lowers = [0.0] + bounds
            let uppers = bounds + [Double.infinity]
            for index in model.means.indices where model.probabilities[index] > 1e-12 {
                #expect(model.means[index] >= lowers[index] - 1e-12 && model.means[index] <= uppers[index] + 1e-12)
            }
        }
    }

    @Test func meanLatencyIsNearTheDesignAverages() {
        // The design's table lists averages too (220, 310, 150, 920, 2100 ms); the fit is made
        // on quantiles only, so the means are a cross-check of the shape (within 15 %).
        let averages = [0.220, 0.310, 0.150, 0.920, 2.1]
        let bounds = ServiceProfile.bucketBounds
        for (endpoint, average) in zip(ServiceProfile.endpoints, averages) {
            let model = BucketedLatency(distribution: endpoint.latency, factor: 1, bounds: bounds)
            let mean = zip(model.probabilities, model.means).map(*).reduce(0, +)
            #expect(relativeError(mean, average) < 0.15, "\(endpoint.handler): mean \(mean)")
        }
    }
}
