import Foundation

/// The simulated Perfect21 API, from the design document's baseline report (section 9).
struct Endpoint: Sendable {
    let handler: String
    let method: String
    /// Share of all requests.
    let share: Double
    let latency: LatencyDistribution
    /// Status codes other than 200 and 5xx, with their share of non-5xx responses
    /// (e.g. failed logins answer 401).
    let clientErrors: [(status: String, ratio: Double)]
}

enum ServiceProfile {
    /// Requests per second averaged over a wave (design: "Throughput 2,500 RPS").
    static let meanRequestsPerSecond = 2_500.0

    /// Length of one compressed "day" of traffic: long enough to look like a wave, short enough
    /// to see it move within a few minutes of watching.
    static let dayLengthSeconds = 600.0

    /// Classic histogram bucket bounds in seconds. Dense around every endpoint's P95 so that
    /// `histogram_quantile` (linear interpolation within a bucket) lands within a few percent.
    static let bucketBounds: [Double] = [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75,
        1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10,
    ]

    /// Of the 5xx responses, how many are 500 (the rest are 503).
    static let internalErrorShare = 0.7

    static let endpoints: [Endpoint] = [
        Endpoint(handler: "/api/auth/login", method: "POST", share: 0.22,
                 latency: LatencyDistribution(median: 0.180, p95: 0.380, p99: 0.650),
                 clientErrors: [("401", 0.03)]),
        Endpoint(handler: "/api/user/dashboard", method: "GET", share: 0.30,
                 latency: LatencyDistribution(median: 0.250, p95: 0.560, p99: 0.890),
                 clientErrors: []),
        Endpoint(handler: "/api/user/profile", method: "GET", share: 0.40,
                 latency: LatencyDistribution(median: 0.120, p95: 0.280, p99: 0.450),
                 clientErrors: [("404", 0.002)]),
        Endpoint(handler: "/api/files/upload", method: "POST", share: 0.03,
                 latency: LatencyDistribution(median: 0.850, p95: 1.2, p99: 2.1),
                 clientErrors: [("413", 0.004)]),
        Endpoint(handler: "/api/analytics/report", method: "GET", share: 0.05,
                 latency: LatencyDistribution(median: 1.8, p95: 3.2, p99: 4.5),
                 clientErrors: []),
    ]

    /// Traffic multiplier at a time: a compressed day with a morning ramp, a midday peak and a
    /// quiet night, averaging 1 over a day. Deterministic so that only the draws are random.
    static func trafficWave(at seconds: Double) -> Double {
        let phase = 2 * Double.pi * seconds / dayLengthSeconds
        return 1 + 0.22 * sin(phase) + 0.06 * sin(2 * phase + 0.8) + 0.03 * sin(7 * phase)
    }
}
