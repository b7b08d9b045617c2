import Foundation
import MetricsCore
import Testing
@testable import Rules

struct AlertStateTests {
    /// The condition holds from 10 s to 100 s (inclusive), evaluated every 10 s.
    private func manager(_ rule: RuleDefinition, appender: RecordingAppender? = nil,
                         active: @escaping @Sendable (Timestamp) -> Bool = { $0 >= 10_000 && $0 <= 100_000 }) async -> RuleManager {
        let query = ScriptedQuery.vector { t in active(t) ? [sample(["__name__": "x", "instance": "a"], 2.5, at: t)] : [] }
        let m = RuleManager(query: query.function, appender: appender)
        await m.load(groups: [RuleGroupDefinition(name: "g", interval: 10_000, rules: [rule])])
        return m
    }

    private func state(_ m: RuleManager) -> AlertState? { m.alerts().first?.state }

    @Test func pendingThenFiringAfterForThenResolved() async throws {
        let m = await manager(alertRule("A", for: 30_000))
        await m.evaluateAll(at: 0)
        #expect(m.alerts().isEmpty)
        await m.evaluateAll(at: 10_000)
        #expect(state(m) == .pending)
        await m.evaluateAll(at: 30_000)
        #expect(state(m) == .pending)
        await m.evaluateAll(at: 40_000)
        let firing = try #require(m.alerts().first)
        #expect(firing.state == .firing)
        #expect(firing.activeAt == Date(timeIntervalSince1970: 10))
        #expect(firing.firedAt == Date(timeIntervalSince1970: 40))
        #expect(firing.labels == Labels(["alertname": "A", "instance": "a", "severity": "warning"]))
        #expect(firing.value == 2.5)
        await m.evaluateAll(at: 110_000)
        let resolved = try #require(m.alerts().first)
        #expect(resolved.state == .inactive)
        #expect(resolved.resolvedAt == Date(timeIntervalSince1970: 110))
        // Kept 15 minutes for display, then dropped.
        await m.evaluateAll(at: 110_000 + 15 * 60_000)
        #expect(state(m) == .inactive)
        await m.evaluateAll(at: 110_000 + 15 * 60_000 + 10_000)
        #expect(m.alerts().isEmpty)
    }

    @Test func zeroForFiresAtOnce() async {
        let m = await manager(alertRule("A"))
        await m.evaluateAll(at: 10_000)
        #expect(state(m) == .firing)
    }

    @Test func pendingThatClearsIsDroppedWithoutResolving() async {
        let m = await manager(alertRule("A", for: 60_000), active: { $0 == 10_000 })
        await m.evaluateAll(at: 10_000)
        #expect(state(m) == .pending)
        await m.evaluateAll(at: 20_000)
        #expect(m.alerts().isEmpty)
    }

    @Test func keepFiringForHoldsTheAlert() async throws {
        let m = await manager(alertRule("A", for: 0, keepFiringFor: 20_000))
        await m.evaluateAll(at: 100_000)
        #expect(state(m) == .firing)
        await m.evaluateAll(at: 110_000) // condition gone: keeps firing for 20 s
        #expect(state(m) == .firing)
        await m.evaluateAll(at: 120_000)
        #expect(state(m) == .firing)
        await m.evaluateAll(at: 130_000)
        let a = try #require(m.alerts().first)
        #expect(a.state == .inactive && a.resolvedAt == Date(timeIntervalSince1970: 130))
    }

    @Test func keepFiringIsResetWhenTheConditionReturns() async {
        let m = await manager(alertRule("A", keepFiringFor: 20_000), active: { $0 != 20_000 && $0 < 40_000 })
        await m.evaluateAll(at: 10_000)
        await m.evaluateAll(at: 20_000) // gone: keep firing since 20 s
        await m.evaluateAll(at: 30_000) // back: reset
        await m.evaluateAll(at: 40_000) // gone again: 0 s of 20 s
        #expect(state(m) == .firing)
        await m.evaluateAll(at: 50_000)
        #expect(state(m) == .firing)
        await m.evaluateAll(at: 60_000)
        #expect(state(m) == .inactive)
    }

    @Test func alertThatReturnsAfterResolvingStartsOver() async throws {
        let m = await manager(alertRule("A", for: 10_000), active: { $0 <= 20_000 || $0 >= 50_000 })
        for t in stride(from: Int64(0), through: 40_000, by: 10_000) { await m.evaluateAll(at: t) }
        #expect(state(m) == .inactive)
        await m.evaluateAll(at: 50_000)
        let a = try #require(m.alerts().first)
        #expect(a.state == .pending && a.activeAt == Date(timeIntervalSince1970: 50) && a.resolvedAt == nil)
    }

    @Test func oneInstancePerLabelSetWithTemplates() async throws {
        let query = ScriptedQuery.vector { t in
            [sample(["__name__": "mem", "instance": "a"], 0.95, at: t), sample(["__name__": "mem", "instance": "b"], 0.92, at: t)]
        }
        let rule = alertRule("Mem", labels: [("severity", "critical"), ("host", "{{ $labels.instance }}")],
                             annotations: [("summary", "{{ $labels.instance }} at {{ $value | humanizePercentage }}")])
        let m = RuleManager(query: query.function, appender: nil)
        await m.load(groups: [RuleGroupDefinition(name: "g", rules: [rule])])
        await m.evaluateAll(at: 0)
        let alerts = m.alerts().sorted { $0.labels.description < $1.labels.description }
        #expect(alerts.count == 2)
        #expect(alerts.map { $0.labels["host"] } == ["a", "b"])
        #expect(alerts.map { $0.annotations["summary"] } == ["a at 95%", "b at 92%"])
        #expect(m.ruleStatuses().first?.health == .ok)
    }

    @Test func alertsSeriesAndStaleMarkers() async throws {
        let appender = RecordingAppender()
        let m = await manager(alertRule("A", for: 10_000), appender: appender, active: { $0 >= 10_000 && $0 <= 20_000 })
        for t in stride(from: Int64(0), through: 30_000, by: 10_000) { await m.evaluateAll(at: t) }
        let alerts = appender.written("ALERTS")
        let states = alerts.map { "\($0.0["alertstate"] ?? "")@\($0.1.t):\(StaleNaN.isStale($0.1.v) ? "stale" : "\($0.1.v)")" }
        // pending at 10 s, firing at 20 s (pending series goes stale), all stale at 30 s.
        #expect(states == ["pending@10000:1.0", "firing@20000:1.0", "pending@20000:stale", "firing@30000:stale"])
        let forState = appender.written("ALERTS_FOR_STATE").filter { !StaleNaN.isStale($0.1.v) }
        #expect(forState.map(\.1.v) == [10, 10])
        #expect(forState.first?.0["alertstate"] == nil)
    }

    @Test func queryFailureLeavesStateAndReportsHealth() async throws {
        let failing = ScriptedQuery { _, t in
            t == 20_000 ? .failure(QueryFailure(kind: .network, message: "connection refused"))
                : .success(.vector([sample(["i": "a"], 5, at: t)]))
        }
        let m = RuleManager(query: failing.function, appender: nil)
        await m.load(groups: [RuleGroupDefinition(name: "g", rules: [alertRule("A", for: 15_000)])])
        await m.evaluateAll(at: 10_000)
        await m.evaluateAll(at: 20_000)
        #expect(state(m) == .pending)
        #expect(m.ruleStatuses().first?.health == .error)
        #expect(m.ruleStatuses().first?.lastError == "connection refused")
        await m.evaluateAll(at: 30_000)
        #expect(state(m) == .firing)
        #expect(m.ruleStatuses().first?.health == .ok)
    }

    @Test func duplicateLabelSetsAreAnError() async {
        let query = ScriptedQuery.vector { t in [sample(["__name__": "a"], 1, at: t), sample(["__name__": "b"], 1, at: t)] }
        let m = RuleManager(query: query.function, appender: nil)
        await m.load(groups: [RuleGroupDefinition(name: "g", rules: [alertRule("A")])])
        await m.evaluateAll(at: 0)
        #expect(m.alerts().isEmpty)
        #expect(m.ruleStatuses().first?.lastError?.contains("same labelset") == true)
    }

    @Test func recordingRuleWritesNamedSeriesAndStaleMarkers() async throws {
        let appender = RecordingAppender()
        let query = ScriptedQuery { _, t in
            var v = [sample(["__name__": "in", "job": "api"], 3, at: t)]
            if t == 0 { v.append(sample(["job": "db"], 4, at: t)) }
            return .success(.vector(v))
        }
        let rule = RuleDefinition(kind: .recording, name: "job:x:sum", expr: "sum by (job) (x)", labels: [("team", "core")])
        let m = RuleManager(query: query.function, appender: appender)
        await m.load(groups: [RuleGroupDefinition(name: "g", rules: [rule])])
        await m.evaluateAll(at: 0)
        await m.evaluateAll(at: 5_000)
        let out = appender.written("job:x:sum")
        #expect(out.count == 4)
        #expect(out.allSatisfy { $0.0["team"] == "core" })
        let db = out.filter { $0.0["job"] == "db" }
        #expect(db.count == 2 && db[0].1.v == 4 && StaleNaN.isStale(db[1].1.v) && db[1].1.t == 5_000)
    }

    @Test func scalarResultRecordsOneSeries() async {
        let appender = RecordingAppender()
        let query = ScriptedQuery { _, t in .success(.scalar(Sample(t: t, v: 0.3))) }
        let m = RuleManager(query: query.function, appender: appender)
        await m.load(groups: [RuleGroupDefinition(name: "g", rules: [RuleDefinition(kind: .recording, name: "w", expr: "0.3")])])
        await m.evaluateAll(at: 1_000)
        #expect(appender.written("w").map(\.1) == [Sample(t: 1_000, v: 0.3)])
    }

    @Test func evaluateDueFollowsEachGroupsInterval() async {
        let appender = RecordingAppender()
        let query = ScriptedQuery { _, t in .success(.scalar(Sample(t: t, v: 1))) }
        let m = RuleManager(query: query.function, appender: appender)
        await m.load(groups: [
            RuleGroupDefinition(name: "fast", interval: 5_000, rules: [RuleDefinition(kind: .recording, name: "fast", expr: "1")]),
            RuleGroupDefinition(name: "slow", interval: 60_000, rules: [RuleDefinition(kind: .recording, name: "slow", expr: "1")]),
        ])
        var evaluated = 0
        for now in stride(from: Int64(60_000), through: 121_000, by: 1_000) { evaluated += await m.evaluateDue(now: now + 300) }
        #expect(appender.written("fast").map(\.1.t) == Array(stride(from: Int64(60_000), through: 120_000, by: 5_000)))
        #expect(appender.written("slow").map(\.1.t) == [60_000, 120_000])
        #expect(evaluated == 13 + 2)
    }

    /// What a schedule sleeps until: the first slot after each group's last evaluation, the
    /// earliest of the groups; evaluating there does evaluate, a moment before does not.
    @Test func nextDueIsTheFirstSlotAfterEachGroupsLastEvaluation() async {
        let query = ScriptedQuery { _, t in .success(.scalar(Sample(t: t, v: 1))) }
        let m = RuleManager(query: query.function, appender: nil)
        #expect(await m.nextDue(now: 61_000) == nil)
        await m.load(groups: [
            RuleGroupDefinition(name: "fast", interval: 5_000, rules: [RuleDefinition(kind: .recording, name: "fast", expr: "1")]),
            RuleGroupDefinition(name: "slow", interval: 60_000, rules: [RuleDefinition(kind: .recording, name: "slow", expr: "1")]),
        ])
        #expect(await m.nextDue(now: 61_000) == 61_000, "never evaluated: due now")
        #expect(await m.evaluateDue(now: 61_000) == 2)
        #expect(await m.nextDue(now: 61_000) == 65_000)
        #expect(await m.evaluateDue(now: 64_999) == 0)
        #expect(await m.evaluateDue(now: 65_000) == 1)
        #expect(await m.nextDue(now: 66_000) == 70_000)
        // Evaluated off a slot (the scrape's stamp): due at the next slot all the same.
        await m.evaluateAll(at: 71_234)
        #expect(await m.nextDue(now: 71_234) == 75_000)
        #expect(await m.evaluateDue(now: 74_999) == 0)
        #expect(await m.evaluateDue(now: 75_000) == 1)
    }
}

struct AlertMergeTests {
    private func alert(_ name: String, _ state: AlertState, severity: String, origin: AlertInstance.Origin = .lookout,
                       active: TimeInterval = 0) -> AlertInstance {
        AlertInstance(name: name, state: state, labels: Labels(["alertname": name, "severity": severity]),
                      activeAt: Date(timeIntervalSince1970: active), origin: origin)
    }

    @Test func serverAlertsAreMarkedAndMerged() {
        let own = [alert("A", .pending, severity: "warning"), alert("B", .firing, severity: "warning")]
        let server = [alert("A", .firing, severity: "warning"), alert("C", .firing, severity: "critical"),
                      alert("B", .pending, severity: "warning")]
        let merged = AlertOrdering.merge(own: own, server: server)
        #expect(merged.map(\.name) == ["C", "A", "B"])
        #expect(merged.map(\.origin) == [.server, .server, .lookout])
        #expect(merged.allSatisfy { $0.state == .firing })
    }

    @Test func orderingAndBannerChoice() {
        let list = [alert("Old", .firing, severity: "warning", active: 1), alert("New", .firing, severity: "warning", active: 5),
                    alert("Crit", .firing, severity: "critical", active: 9), alert("Pend", .pending, severity: "critical"),
                    alert("Gone", .inactive, severity: "critical")]
        #expect(AlertOrdering.sorted(list).map(\.name) == ["Crit", "Old", "New", "Pend", "Gone"])
        #expect(AlertOrdering.mostSevereFiring(list)?.name == "Crit")
        #expect(AlertOrdering.mostSevereFiring([alert("P", .pending, severity: "critical")]) == nil)
    }
}
