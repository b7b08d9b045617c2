@testable import DemoService
import Testing

/// Properties of the simulation, driven by a fake clock: `advance(to:)` with simulated seconds,
/// so minutes of traffic take milliseconds.
@Suite struct SimulationTests {
    static let table: [(handler: String, p50: Double, p95: Double, p99: Double)] = [
        ("/api/auth/login", 0.180, 0.380, 0.650),
        ("/api/user/dashboard", 0.250, 0.560, 0.890),
        ("/api/user/profile", 0.120, 0.280, 0.450),
        ("/api/files/upload", 0.850, 1.2, 2.1),
        ("/api/analytics/report", 1.8, 3.2, 4.5),
    ]

    @Test func bucketQuantilesMatchTheDesignTable() {
        var simulation = ServiceSimulation(scenario: .normal, seed: 11)
        simulation.advance(to: 300)
        let traffic = TrafficSnapshot(simulation)
        for row in Self.table {
            // The acceptance tolerance is 15 %; bucket interpolation alone costs a few percent.
            for (q, expected) in [(0.50, row.p50), (0.95, row.p95), (0.99, row.p99)] {
                let measured = traffic.quantile(q, handler: row.handler)
                #expect(relativeError(measured, expected) < 0.15, "\(row.handler) q\(q): \(measured) vs \(expected)")
            }
        }
    }

    @Test func requestRateAndErrorRatioMatchTheBaseline() {
        var simulation = ServiceSimulation(scenario: .normal, seed: 12)
        // One whole compressed day, so the wave averages out.
        simulation.advance(to: ServiceProfile.dayLengthSeconds)
        let traffic = TrafficSnapshot(simulation)
        let perSecond = traffic.totalRequests / ServiceProfile.dayLengthSeconds
        #expect(relativeError(perSecond, 2_500) < 0.02, "rate \(perSecond)/s")
        let errorRatio = traffic.totalServerErrors / traffic.totalRequests
        #expect(abs(errorRatio - 0.008) < 0.0005, "5xx ratio \(errorRatio)")
    }

    @Test func trafficVisiblyWavesWithinMinutes() {
        var simulation = ServiceSimulation(seed: 13)
        var perMinute: [Double] = []
        var previous = TrafficSnapshot(simulation)
        for minute in 1...10 {
            simulation.advance(to: Double(minute) * 60)
            let now = TrafficSnapshot(simulation)
            perMinute.append(now.since(previous).totalRequests / 60)
            previous = now
        }
        let peak = perMinute.max() ?? 0
        let trough = perMinute.min() ?? 0
        #expect(peak > 2_800 && trough < 2_200, "per-minute rates \(perMinute)")
    }

    @Test func histogramsStayCumulativeAndConsistentAndCountersOnlyGrow() {
        var simulation = ServiceSimulation(scenario: .incident, seed: 14, incident: IncidentTiming(startOffset: 5, duration: 20))
        var previous = simulation.http.series
        var previousSystems = simulation.systems
        for step in 1...40 {
            simulation.advance(to: Double(step) * 1.7)
            for (old, new) in zip(previous, simulation.http.series) {
                let cumulative = new.cumulativeBuckets
                #expect(cumulative.last == new.count, "+Inf bucket equals _count")
                #expect(zip(cumulative, cumulative.dropFirst()).allSatisfy { $0 <= $1 })
                #expect(new.count >= old.count && new.sum >= old.sum)
                #expect(zip(old.bucketCounts, new.bucketCounts).allSatisfy { $0 <= $1 })
                // _sum lies between what the bucket bounds allow.
                let lowers = [0.0] + ServiceProfile.bucketBounds
                let uppers = ServiceProfile.bucketBounds + [Double.infinity]
                let minSum = zip(new.bucketCounts, lowers).map { Double($0) * $1 }.reduce(0, +)
                let maxSum = zip(new.bucketCounts, uppers).map { $0 == 0 ? 0 : Double($0) * $1 }.reduce(0, +)
                #expect(new.sum >= minSum - 1e-6 && new.sum <= maxSum + 1e-6)
            }
            let systems = simulation.systems
            #expect(zip(previousSystems.cpuSeconds.joined(), systems.cpuSeconds.joined()).allSatisfy { $0 <= $1 })
            #expect(systems.redisHits >= previousSystems.redisHits && systems.redisMisses >= previousSystems.redisMisses)
            #expect(systems.redisCommands >= previousSystems.redisCommands)
            #expect(zip(previousSystems.blocksRead, systems.blocksRead).allSatisfy { $0 <= $1 })
            #expect(zip(previousSystems.queryCalls, systems.queryCalls).allSatisfy { $0 <= $1 })
            previous = simulation.http.series
            previousSystems = systems
        }
    }

    @Test func incidentTimingRejectsNonsense() {
        #expect(IncidentTiming(startOffset: -5, duration: .nan) == IncidentTiming(startOffset: 0, duration: 240))
    }

    @Test func timeNeverGoesBackwards() {
        var simulation = ServiceSimulation(seed: 15)
        simulation.advance(to: 30)
        let before = TrafficSnapshot(simulation).totalRequests
        simulation.advance(to: 10)
        simulation.advance(to: .nan)
        #expect(simulation.time == 30)
        #expect(TrafficSnapshot(simulation).totalRequests == before)
    }

    @Test func sameSeedGivesTheSameRunWhateverTheAdvanceSchedule() {
        var coarse = ServiceSimulation(scenario: .cacheDegradation, seed: 99)
        var fine = ServiceSimulation(scenario: .cacheDegradation, seed: 99)
        var other = ServiceSimulation(scenario: .cacheDegradation, seed: 100)
        coarse.advance(to: 120)
        var t = 0.0
        while t < 120 { t += 0.37; fine.advance(to: min(t, 120)) }
        other.advance(to: 120)
        #expect(coarse.time == fine.time)
        #expect(coarse.http.series.map(\.bucketCounts) == fine.http.series.map(\.bucketCounts))
        #expect(coarse.http.series.map(\.sum) == fine.http.series.map(\.sum))
        #expect(coarse.systems.redisHits == fine.systems.redisHits)
        #expect(coarse.systems.cpuSeconds == fine.systems.cpuSeconds)
        #expect(coarse.http.series.map(\.bucketCounts) != other.http.series.map(\.bucketCounts))
    }

    @Test func longIdleGapsAreCoveredCheaply() {
        var simulation = ServiceSimulation(seed: 16)
        simulation.advance(to: 8 * 3_600)  // a night without scrapes: coarse ticks, still counted
        #expect(simulation.time == 8 * 3_600)
        let perSecond = TrafficSnapshot(simulation).totalRequests / (8 * 3_600)
        #expect(relativeError(perSecond, 2_500) < 0.02)
        // A week-long gap is bounded: only the last day is drawn; time still lands on the target.
        let before = TrafficSnapshot(simulation).totalRequests
        simulation.advance(to: 8 * 3_600 + 7 * 86_400)
        #expect(simulation.time == 8 * 3_600 + 7 * 86_400)
        let drawn = TrafficSnapshot(simulation).totalRequests - before
        #expect(relativeError(drawn, 2_500 * 86_400) < 0.02)
    }
}
