/// The host, Redis and PostgreSQL behind the API, with the quantities their real exporters
/// (node_exporter, redis_exporter, postgres_exporter) expose. Counters start from values a
/// long-running system would show, then grow with the simulated load.
struct SupportingSystemsState: Sendable {
    static let cpuCount = 4
    static let cpuModes = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"]
    static let diskDevices = ["vda", "vdb"]
    static let memoryTotalBytes = 17_179_869_184.0  // 16 GiB, as in the design's baseline
    static let maxConnections = 100.0
    /// Cache lookups per API request (a request touches the session and a data key or so).
    static let cacheLookupsPerRequest = 1.6
    /// Database blocks touched per API request that reaches the database.
    static let blocksPerRequest = 12.0

    /// Queries whose mean execution time is exported (pg_stat_statements with a custom query file).
    static let queries: [(queryid: String, meanSeconds: Double, callsPerRequest: Double)] = [
        ("4112984513702337551", 0.018, 0.22),  // auth lookup
        ("7720431926110532147", 0.035, 0.30),  // dashboard aggregates
        ("1398552604836170412", 0.006, 0.40),  // profile by id
        ("9081726354410982733", 0.065, 0.05),  // analytics report
    ]

    /// Busy fraction of each CPU per mode other than idle, indexed like `cpuModes`.
    var cpuSeconds: [[Double]]
    var diskIOTimeSeconds: [Double]
    var memoryAvailableBytes = memoryTotalBytes * 0.75
    var redisHits = 81_234_567.0
    var redisMisses = 66_464_645.0
    var redisCommands = 191_044_212.0
    var redisMemoryUsedBytes = 1_288_490_188.0
    var redisConnectedClients = 48.0
    /// Per database row (datname): backends, blocks hit, blocks read.
    var databaseBackends: [Double] = [0, 2, 42]
    var blocksHit: [Double] = [1_204_551, 3_322_100, 912_004_882]
    var blocksRead: [Double] = [10_842, 40_112, 18_614_387]
    var queryCalls: [Double] = queries.map { _ in 2_000_000 }
    var queryTotalSeconds: [Double] = queries.map { 2_000_000 * $0.meanSeconds }
    var queryMeanSeconds: [Double] = queries.map(\.meanSeconds)

    /// Rows of `pg_stat_database`: the real exporter also shows the shared-objects row (datid 0,
    /// empty datname), which dashboards must filter out, so the demo shows it too.
    static let databases: [(datid: String, datname: String)] = [("0", ""), ("5", "postgres"), ("16384", "perfect21")]

    init() {
        // Three days of uptime at the baseline mix.
        let uptime = 259_200.0
        cpuSeconds = (0..<Self.cpuCount).map { _ in
            Self.cpuModes.map { mode in uptime * Self.baselineShare(of: mode) }
        }
        diskIOTimeSeconds = Self.diskDevices.map { _ in uptime * 0.18 }
    }

    private static func baselineShare(of mode: String) -> Double {
        switch mode {
        case "idle": 0.35
        case "user": 0.45
        case "system": 0.12
        case "iowait": 0.03
        case "softirq": 0.025
        case "irq": 0.01
        case "steal": 0.01
        default: 0.005
        }
    }

    mutating func step(at time: Double, dt: Double, effects: ScenarioEffects, random: inout SeededRandom) {
        let load = ServiceProfile.trafficWave(at: time)
        let requestRate = ServiceProfile.meanRequestsPerSecond * load
        stepHost(load: load, dt: dt, effects: effects, random: &random)
        stepRedis(requestRate: requestRate, dt: dt, effects: effects, random: &random)
        stepPostgres(requestRate: requestRate, load: load, dt: dt, effects: effects, random: &random)
    }

    private mutating func stepHost(load: Double, dt: Double, effects: ScenarioEffects, random: inout SeededRandom) {
        // About 15 % CPU on average, following the load. The design's staging baseline (65 %) would
        // pin the health score's system component at 0 (100 − CPU % − memory % < 0) in every
        // scenario, so the score could never leave red; the demo models a host with headroom.
        let busyTarget = min(0.97, 0.15 * load + effects.extraCPUBusy + effects.extraIOWait)
        for cpu in 0..<Self.cpuCount {
            let busy = min(0.99, max(0.05, busyTarget + 0.03 * random.standardNormal()))
            let iowait = min(busy * 0.5, max(0, (0.03 + effects.extraIOWait) * (1 + 0.2 * random.standardNormal())))
            let rest = busy - iowait
            for (index, mode) in Self.cpuModes.enumerated() {
                let share: Double
                switch mode {
                case "idle": share = 1 - busy
                case "iowait": share = iowait
                default: share = rest * Self.baselineShare(of: mode) / 0.62
                }
                cpuSeconds[cpu][index] += share * dt
            }
        }
        // About 25 % of 16 GiB used (see the CPU comment for why not the design's 72 %);
        // a little more under heavier load.
        let used = min(0.95, 0.25 + 0.04 * (load - 1) + effects.extraCPUBusy * 0.3)
        let noisy = used + 0.002 * random.standardNormal()
        memoryAvailableBytes = Self.memoryTotalBytes * (1 - noisy)
        for index in diskIOTimeSeconds.indices {
            let utilisation = min(1, max(0, 0.18 * load + effects.extraIOWait * 4 + 0.02 * random.standardNormal()))
            diskIOTimeSeconds[index] += utilisation * dt
        }
    }

    private mutating func stepRedis(requestRate: Double, dt: Double, effects: ScenarioEffects,
                                    random: inout SeededRandom) {
        let lookups = random.poisson(mean: requestRate * Self.cacheLookupsPerRequest * dt)
        let hits = random.binomial(trials: lookups, probability: effects.cacheHitRatio)
        let misses = lookups - hits
        redisHits += Double(hits)
        redisMisses += Double(misses)
        // Every miss is followed by a SET of the fetched value; plus a trickle of admin commands.
        redisCommands += Double(lookups + misses + random.poisson(mean: 6 * dt))
        // Memory hovers near 1.2 GB; a degraded cache is full and evicting, so it sits near its
        // 2 GB limit.
        let targetMemory = effects.cacheHitRatio < 0.45 ? 1_980_000_000.0 : 1_288_490_188.0
        redisMemoryUsedBytes += (targetMemory - redisMemoryUsedBytes) * min(1, 0.1 * dt)
            + 2_000_000 * random.standardNormal() * dt.squareRoot()
        redisConnectedClients = max(1, (48 * requestRate / ServiceProfile.meanRequestsPerSecond
            + 2 * random.standardNormal()).rounded())
    }

    private mutating func stepPostgres(requestRate: Double, load: Double, dt: Double,
                                       effects: ScenarioEffects, random: inout SeededRandom) {
        let pool = min(0.99, effects.connectionPoolUse * (0.85 + 0.15 * load))
        databaseBackends[2] = max(1, (pool * Self.maxConnections + 2 * random.standardNormal()).rounded())
        databaseBackends[1] = 2  // the exporter's own connection(s), as on a real server
        // Cache misses in Redis fall through to the database.
        let dbRequests = requestRate * (1 - effects.cacheHitRatio) * dt
        let blocks = random.poisson(mean: dbRequests * Self.blocksPerRequest)
        let read = random.binomial(trials: blocks, probability: effects.blockReadRatio)
        blocksHit[2] += Double(blocks - read)
        blocksRead[2] += Double(read)
        blocksHit[1] += Double(random.poisson(mean: 20 * dt))
        blocksHit[0] += Double(random.poisson(mean: 2 * dt))
        for (index, query) in Self.queries.enumerated() {
            let calls = random.poisson(mean: requestRate * query.callsPerRequest * dt)
            let meanNow = query.meanSeconds * effects.queryTimeFactor * (1 + 0.05 * random.standardNormal())
            queryCalls[index] += Double(calls)
            queryTotalSeconds[index] += Double(calls) * max(0, meanNow)
            // pg_stat_statements' mean is over the statement's whole life; a real exporter setup
            // usually resets it periodically. Exponential smoothing mimics a recently reset view,
            // so slow queries show within a minute rather than never.
            queryMeanSeconds[index] += (max(0, meanNow) - queryMeanSeconds[index]) * min(1, 0.15 * dt)
        }
    }
}
