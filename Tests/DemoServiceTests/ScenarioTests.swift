@testable import DemoService
import Testing

@Suite struct ScenarioTests {
    /// Login P95 and overall 5xx ratio over a window of simulated time.
    static func window(_ simulation: inout ServiceSimulation, from start: Double, to end: Double)
        -> (p95: Double, errorRatio: Double) {
        simulation.advance(to: start)
        let before = TrafficSnapshot(simulation)
        simulation.advance(to: end)
        let traffic = TrafficSnapshot(simulation).since(before)
        return (traffic.quantile(0.95, handler: "/api/auth/login"), traffic.totalServerErrors / traffic.totalRequests)
    }

    @Test func incidentTriplesLatencyRaisesErrorsThenRecovers() {
        var simulation = ServiceSimulation(scenario: .incident, seed: 21)  // default: after 60 s, for 240 s
        let before = Self.window(&simulation, from: 0, to: 55)
        #expect(!simulation.incidentActive)
        let during = Self.window(&simulation, from: 80, to: 290)
        let after = Self.window(&simulation, from: 320, to: 500)
        #expect(abs(during.p95 / before.p95 - 3) < 0.3, "P95 \(before.p95) → \(during.p95)")
        #expect(abs(during.errorRatio - 0.05) < 0.005, "5xx during \(during.errorRatio)")
        // The design's alert thresholds are crossed during, and clear again after.
        #expect(during.p95 > 0.5 && during.errorRatio > 0.01)
        #expect(after.p95 < 0.5 && after.errorRatio < 0.01)
        #expect(relativeError(after.p95, 0.38) < 0.15)
        #expect(abs(after.errorRatio - 0.008) < 0.002)
    }

    @Test func incidentCanStartImmediatelyAndBeSwitchedAtRunTime() {
        var simulation = ServiceSimulation(scenario: .normal, seed: 22)
        simulation.advance(to: 30)
        simulation.setScenario(.incident, incident: IncidentTiming(startOffset: 0, duration: 120))
        #expect(simulation.scenario == .incident)
        let during = Self.window(&simulation, from: 45, to: 100)
        #expect(simulation.incidentActive)
        #expect(during.p95 > 0.5 && during.errorRatio > 0.04)
        simulation.setScenario(.normal)
        let calm = Self.window(&simulation, from: 115, to: 200)
        #expect(calm.p95 < 0.5 && calm.errorRatio < 0.01)
    }

    @Test func cacheDegradationLowersTheHitRate() {
        func hitRatio(_ scenario: DemoScenario) -> Double {
            var simulation = ServiceSimulation(scenario: scenario, seed: 23)
            simulation.advance(to: 60)
            let hits = simulation.systems.redisHits, misses = simulation.systems.redisMisses
            simulation.advance(to: 180)
            let dHits = simulation.systems.redisHits - hits
            return dHits / (dHits + simulation.systems.redisMisses - misses)
        }
        #expect(abs(hitRatio(.normal) - 0.55) < 0.01)
        #expect(abs(hitRatio(.cacheDegradation) - 0.30) < 0.01)
    }

    @Test func slowDatabaseRaisesQueryTimeAndConnections() {
        var normal = ServiceSimulation(scenario: .normal, seed: 24)
        var slow = ServiceSimulation(scenario: .dbSlow, seed: 24)
        normal.advance(to: 120)
        slow.advance(to: 120)
        let perfect21 = 2  // index of datname="perfect21"
        let normalUse = normal.systems.databaseBackends[perfect21] / SupportingSystemsState.maxConnections
        let slowUse = slow.systems.databaseBackends[perfect21] / SupportingSystemsState.maxConnections
        #expect(normalUse < 0.6 && slowUse > 0.8, "pool use \(normalUse) → \(slowUse)")
        for (fast, slowed) in zip(normal.systems.queryMeanSeconds, slow.systems.queryMeanSeconds) {
            #expect(slowed > 3 * fast)
        }
        // The design's DatabaseSlowQueries threshold (100 ms) is quiet normally, crossed when slow.
        #expect(normal.systems.queryMeanSeconds.allSatisfy { $0 < 0.1 })
        #expect(slow.systems.queryMeanSeconds.contains { $0 > 0.1 })
    }

    @Test func scenarioNamesAreTheCLISpellings() {
        #expect(DemoScenario.allCases.map(\.rawValue) == ["normal", "incident", "cache-degradation", "db-slow"])
        #expect(DemoScenario(rawValue: "db-slow") == .dbSlow)
        #expect(DemoScenario.normal.next == .incident && DemoScenario.dbSlow.next == .normal)
    }
}
