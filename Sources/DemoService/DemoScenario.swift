/// What the simulated Perfect21 service is going through. Raw values are the CLI spellings
/// (`--scenario cache-degradation`).
public enum DemoScenario: String, CaseIterable, Sendable {
    /// The design's baseline: latencies as in its table, 0.8 % 5xx, 55 % cache hits.
    case normal
    /// After a delay (a minute by default) latency triples and 5xx reach ~5 % for four minutes,
    /// then everything recovers.
    case incident
    /// The Redis hit rate falls to ~30 %; database load and cache-backed latencies rise.
    case cacheDegradation = "cache-degradation"
    /// Queries slow down several-fold and the connection pool fills up.
    case dbSlow = "db-slow"

    /// The scenario after this one, wrapping around: for a single "cycle scenario" key.
    public var next: DemoScenario {
        let all = Self.allCases
        let index = all.firstIndex(of: self) ?? all.startIndex
        return all[(index + 1) % all.count]
    }

    /// One line for help screens and the `/` page.
    public var summary: String {
        switch self {
        case .normal: "baseline: P95 login 380 ms, 0.8 % 5xx, 55 % cache hits"
        case .incident: "after ~1 min: latency ×3 and ~5 % 5xx for 4 min, then recovery"
        case .cacheDegradation: "Redis hit rate falls to ~30 %, more database reads"
        case .dbSlow: "slow queries (×5) and a nearly exhausted connection pool"
        }
    }
}

/// How strongly each simulated quantity deviates from the baseline at one moment.
struct ScenarioEffects: Sendable, Equatable {
    var latencyFactor = 1.0
    var serverErrorRatio = 0.008
    var cacheHitRatio = 0.55
    /// Multiplies query execution time.
    var queryTimeFactor = 1.0
    /// Fraction of `max_connections` in use at mean load.
    var connectionPoolUse = 0.42
    /// Fraction of block reads that miss Postgres' buffer cache.
    var blockReadRatio = 0.02
    /// Extra CPU busy fraction on top of the load-driven baseline.
    var extraCPUBusy = 0.0
    var extraIOWait = 0.0

    static let baseline = ScenarioEffects()

    /// Linear blend, so scenario changes ramp instead of jumping (as real systems do).
    func blended(toward target: ScenarioEffects, fraction: Double) -> ScenarioEffects {
        let f = min(1, max(0, fraction))
        func mix(_ a: Double, _ b: Double) -> Double { a + (b - a) * f }
        return ScenarioEffects(
            latencyFactor: mix(latencyFactor, target.latencyFactor),
            serverErrorRatio: mix(serverErrorRatio, target.serverErrorRatio),
            cacheHitRatio: mix(cacheHitRatio, target.cacheHitRatio),
            queryTimeFactor: mix(queryTimeFactor, target.queryTimeFactor),
            connectionPoolUse: mix(connectionPoolUse, target.connectionPoolUse),
            blockReadRatio: mix(blockReadRatio, target.blockReadRatio),
            extraCPUBusy: mix(extraCPUBusy, target.extraCPUBusy),
            extraIOWait: mix(extraIOWait, target.extraIOWait))
    }
}

/// When the incident happens relative to switching to the `incident` scenario.
public struct IncidentTiming: Sendable, Equatable {
    /// Seconds between choosing `incident` and the start of the degradation.
    public var startOffset: Double
    /// Seconds the degradation lasts before recovery begins.
    public var duration: Double

    public init(startOffset: Double = 60, duration: Double = 240) {
        self.startOffset = startOffset.isFinite ? max(0, startOffset) : 60
        self.duration = duration.isFinite ? max(0, duration) : 240
    }
}

/// The scenario in force and when it was chosen; maps simulated time to effects.
struct ScenarioTimeline: Sendable {
    /// Seconds any change takes to take full effect.
    static let rampSeconds = 10.0

    private(set) var scenario: DemoScenario
    private(set) var switchedAt: Double
    private(set) var incident: IncidentTiming
    /// Effects at the moment of the last switch, so a switch mid-ramp continues smoothly.
    private var effectsAtSwitch: ScenarioEffects

    init(scenario: DemoScenario, incident: IncidentTiming, at time: Double = 0) {
        self.scenario = scenario
        self.incident = incident
        self.switchedAt = time
        self.effectsAtSwitch = .baseline
        // A scenario chosen at start-up is already established, except the incident's own delay.
        if scenario != .incident {
            self.effectsAtSwitch = Self.target(for: scenario, incidentActive: false)
        }
    }

    mutating func switchTo(_ scenario: DemoScenario, incident: IncidentTiming, at time: Double) {
        effectsAtSwitch = effects(at: time)
        self.scenario = scenario
        self.incident = incident
        switchedAt = time
    }

    func effects(at time: Double) -> ScenarioEffects {
        let sinceSwitch = time - switchedAt
        guard scenario == .incident else {
            let target = Self.target(for: scenario, incidentActive: false)
            return effectsAtSwitch.blended(toward: target, fraction: sinceSwitch / Self.rampSeconds)
        }
        let normal = Self.target(for: .normal, incidentActive: false)
        let degraded = Self.target(for: .incident, incidentActive: true)
        let onset = incident.startOffset
        let recovery = onset + incident.duration
        if sinceSwitch < onset {
            return effectsAtSwitch.blended(toward: normal, fraction: sinceSwitch / Self.rampSeconds)
        }
        let startingPoint = onset > 0 ? normal : effectsAtSwitch
        if sinceSwitch < recovery {
            return startingPoint.blended(toward: degraded, fraction: (sinceSwitch - onset) / Self.rampSeconds)
        }
        return degraded.blended(toward: normal, fraction: (sinceSwitch - recovery) / Self.rampSeconds)
    }

    /// True while the incident's degradation is under way (including its ramps).
    func incidentActive(at time: Double) -> Bool {
        guard scenario == .incident else { return false }
        let sinceSwitch = time - switchedAt
        return sinceSwitch >= incident.startOffset
            && sinceSwitch < incident.startOffset + incident.duration + Self.rampSeconds
    }

    static func target(for scenario: DemoScenario, incidentActive: Bool) -> ScenarioEffects {
        var effects = ScenarioEffects.baseline
        switch scenario {
        case .normal:
            break
        case .incident:
            guard incidentActive else { break }
            effects.latencyFactor = 3
            effects.serverErrorRatio = 0.05
            effects.connectionPoolUse = 0.75
            effects.queryTimeFactor = 1.8
            effects.extraCPUBusy = 0.12
        case .cacheDegradation:
            effects.cacheHitRatio = 0.30
            effects.latencyFactor = 1.25
            effects.blockReadRatio = 0.06
            effects.connectionPoolUse = 0.60
            effects.queryTimeFactor = 1.3
            effects.extraIOWait = 0.04
        case .dbSlow:
            effects.queryTimeFactor = 5
            effects.connectionPoolUse = 0.92
            effects.blockReadRatio = 0.09
            effects.latencyFactor = 1.4
            effects.serverErrorRatio = 0.012
            effects.extraIOWait = 0.10
        }
        return effects
    }
}
