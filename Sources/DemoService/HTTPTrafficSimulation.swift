/// Cumulative request counts and latency histogram of one (handler, method, status) series.
struct HTTPSeriesState: Sendable {
    let handler: String
    let method: String
    let status: String
    /// Observations per bucket, NOT cumulative: index i counts (bound[i-1], bound[i]]; the last
    /// entry counts observations above the largest bound. Cumulated only when exposed.
    var bucketCounts: [Int]
    var sum: Double = 0
    var count: Int = 0

    init(handler: String, method: String, status: String, bucketCount: Int) {
        self.handler = handler
        self.method = method
        self.status = status
        self.bucketCounts = Array(repeating: 0, count: bucketCount)
    }

    /// Cumulative counts as exposed: entry i is the `le=bound[i]` bucket, the last is `+Inf`,
    /// which therefore always equals `count`.
    var cumulativeBuckets: [Int] {
        var running = 0
        return bucketCounts.map { running += $0; return running }
    }
}

/// Draws the HTTP traffic of the simulated API tick by tick.
///
/// Per tick and endpoint: the request count is Poisson around rate × dt; it is split into
/// statuses by binomial draws; each status group is split across latency buckets by a
/// multinomial draw from the endpoint's fitted distribution. This is statistically the same as
/// drawing every request's latency, at a cost independent of the request rate.
struct HTTPTrafficSimulation: Sendable {
    private(set) var series: [HTTPSeriesState] = []
    /// For each endpoint, the index of its first series and its status list.
    private let layout: [(first: Int, statuses: [String])]
    private var bucketCache: [BucketedLatency?]
    private var scratch: [Int] = []

    init() {
        var series: [HTTPSeriesState] = []
        var layout: [(Int, [String])] = []
        let buckets = ServiceProfile.bucketBounds.count + 1
        for endpoint in ServiceProfile.endpoints {
            let statuses = ["200"] + endpoint.clientErrors.map(\.status) + ["500", "503"]
            layout.append((series.count, statuses))
            for status in statuses {
                series.append(HTTPSeriesState(handler: endpoint.handler, method: endpoint.method,
                                              status: status, bucketCount: buckets))
            }
        }
        self.series = series
        self.layout = layout
        self.bucketCache = Array(repeating: nil, count: ServiceProfile.endpoints.count)
    }

    mutating func step(at time: Double, dt: Double, effects: ScenarioEffects, random: inout SeededRandom) {
        let rate = ServiceProfile.meanRequestsPerSecond * ServiceProfile.trafficWave(at: time)
        for (index, endpoint) in ServiceProfile.endpoints.enumerated() {
            let model = bucketed(endpointIndex: index, factor: effects.latencyFactor)
            let requests = random.poisson(mean: rate * endpoint.share * dt)
            let serverErrors = random.binomial(trials: requests, probability: effects.serverErrorRatio)
            let internalErrors = random.binomial(trials: serverErrors, probability: ServiceProfile.internalErrorShare)
            var remaining = requests - serverErrors
            var groups: [Int] = []
            for clientError in endpoint.clientErrors {
                let drawn = random.binomial(trials: remaining, probability: clientError.ratio)
                groups.append(drawn)
                remaining -= drawn
            }
            // Order matches the status list: 200, client errors…, 500, 503.
            groups = [remaining] + groups + [internalErrors, serverErrors - internalErrors]
            let first = layout[index].first
            for (offset, group) in groups.enumerated() where group > 0 {
                record(group, into: first + offset, model: model, random: &random)
            }
        }
    }

    private mutating func record(_ observations: Int, into seriesIndex: Int, model: BucketedLatency,
                                 random: inout SeededRandom) {
        random.multinomial(trials: observations, probabilities: model.probabilities, into: &scratch)
        // Mutated in place: copying the series out and back would copy its bucket array too.
        for (bucket, drawn) in scratch.enumerated() where drawn > 0 {
            series[seriesIndex].bucketCounts[bucket] += drawn
            series[seriesIndex].sum += Double(drawn) * model.means[bucket]
        }
        series[seriesIndex].count += observations
    }

    /// The discretised latency model, recomputed only when the scenario's factor has moved.
    private mutating func bucketed(endpointIndex: Int, factor: Double) -> BucketedLatency {
        if let cached = bucketCache[endpointIndex], abs(cached.factor - factor) < 1e-9 {
            return cached
        }
        let model = BucketedLatency(distribution: ServiceProfile.endpoints[endpointIndex].latency,
                                    factor: factor, bounds: ServiceProfile.bucketBounds)
        bucketCache[endpointIndex] = model
        return model
    }
}
