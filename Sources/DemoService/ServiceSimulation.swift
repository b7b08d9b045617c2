/// The whole simulated Perfect21 stack: API traffic plus host, Redis and PostgreSQL.
///
/// Pure and deterministic: it never reads a clock. The owner passes the simulated time (seconds
/// since the simulation began) to `advance(to:)`; state moves forward on a fixed grid of ticks, so
/// for one seed the state at a grid time does not depend on how often, or when, it was advanced.
/// Tests drive hours of traffic in milliseconds; the server advances it lazily at each scrape.
public struct ServiceSimulation: Sendable {
    /// Simulated seconds per tick: fine enough that a 1 s scrape sees fresh values, coarse enough
    /// that catching up after a long idle stretch stays cheap.
    public static let tickSeconds = 0.5
    /// Most ticks one `advance` performs (30 simulated minutes at the normal tick); beyond that
    /// (hours without a scrape), the remaining time is
    /// covered by longer ticks so a scrape after a night away still answers quickly.
    static let maxTicksPerAdvance = 3_600
    /// Longest stretch one `advance` simulates (ticks of at most 24 s).
    static let maxCatchUpSeconds = 86_400.0

    public let seed: UInt64
    private var random: SeededRandom
    private var timeline: ScenarioTimeline
    private(set) var http = HTTPTrafficSimulation()
    private(set) var systems = SupportingSystemsState()
    /// Simulated seconds covered so far.
    public private(set) var time: Double = 0

    public init(scenario: DemoScenario = .normal, seed: UInt64 = 1, incident: IncidentTiming = IncidentTiming()) {
        self.seed = seed
        self.random = SeededRandom(seed: seed)
        self.timeline = ScenarioTimeline(scenario: scenario, incident: incident)
    }

    public var scenario: DemoScenario { timeline.scenario }

    /// Switches scenario at the current simulated time (effects ramp over ten seconds).
    public mutating func setScenario(_ scenario: DemoScenario, incident: IncidentTiming = IncidentTiming()) {
        timeline.switchTo(scenario, incident: incident, at: time)
    }

    /// True while the incident scenario's degradation is under way.
    public var incidentActive: Bool { timeline.incidentActive(at: time) }

    /// Effects in force now (latency factor, error ratio, cache hit ratio, ...).
    var effects: ScenarioEffects { timeline.effects(at: time) }

    /// Moves the simulation forward to `target` seconds. Earlier targets are ignored: time, and
    /// with it every counter, only moves forward.
    public mutating func advance(to target: Double) {
        guard target.isFinite else { return }
        if target - time > Self.maxCatchUpSeconds {
            // Beyond a day without scrapes (a suspended laptop), the older part of the gap is
            // skipped rather than simulated: nobody saw it, and drawing it would only cost time.
            time = target - Self.maxCatchUpSeconds
        }
        let pendingTicks = ((target - time) / Self.tickSeconds).rounded(.down)
        guard pendingTicks >= 1 else { return }
        let tickCount = Int(min(pendingTicks, Double(Self.maxTicksPerAdvance)))
        let dt = pendingTicks * Self.tickSeconds / Double(tickCount)
        for _ in 0..<tickCount {
            // Effects and load are sampled at the middle of the tick.
            let middle = time + dt / 2
            let effects = timeline.effects(at: middle)
            http.step(at: middle, dt: dt, effects: effects, random: &random)
            systems.step(at: middle, dt: dt, effects: effects, random: &random)
            time += dt
        }
    }
}
