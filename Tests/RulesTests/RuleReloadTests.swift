import Foundation
import MetricsCore
import PromQL
import SeriesStore
import Testing
@testable import Rules

struct RuleReloadTests {
    private func rules(_ expr: String, extra: String = "") -> String {
        """
        groups:
          - name: g
            interval: 10s
            rules:
              - alert: Hot
                expr: \(expr)
                for: 20s
                labels: {severity: critical}
              - record: hot:value
                expr: \(expr)
        \(extra)
        """
    }

    private let extraRule = """
              - alert: Cold
                expr: temperature < 0
        """

    private func setUp() async throws -> (RuleManager, RecordingAppender, URL) {
        let dir = try makeTempDirectory()
        let file = dir.appendingPathComponent("rules.yml")
        try rules("temperature > 30").write(to: file, atomically: true, encoding: .utf8)
        let appender = RecordingAppender()
        let query = ScriptedQuery.vector { t in [sample(["__name__": "temperature", "room": "a"], 35, at: t)] }
        let m = RuleManager(query: query.function, appender: appender)
        try await m.loadFiles([dir.path])
        return (m, appender, file)
    }

    @Test func unchangedRulesKeepTheirAlertsAcrossAReload() async throws {
        let (m, _, file) = try await setUp()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        await m.evaluateAll(at: 0)
        await m.evaluateAll(at: 20_000)
        #expect(m.alerts().first?.state == .firing)
        #expect(try await m.reloadIfChanged() == false)

        try rules("temperature > 30", extra: extraRule).write(to: file, atomically: true, encoding: .utf8)
        #expect(try await m.reloadIfChanged() == true)
        #expect(await m.loadedGroups().first?.rules.count == 3)
        let kept = try #require(m.alerts().first)
        #expect(kept.state == .firing && kept.activeAt == Date(timeIntervalSince1970: 0))
        await m.evaluateAll(at: 30_000)
        #expect(m.alerts().first?.activeAt == Date(timeIntervalSince1970: 0))
    }

    @Test func changedExpressionStartsOverAndStalesOldSeries() async throws {
        let (m, appender, file) = try await setUp()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        await m.evaluateAll(at: 0)
        await m.evaluateAll(at: 20_000)
        try rules("temperature > 31").write(to: file, atomically: true, encoding: .utf8)
        #expect(try await m.reloadIfChanged())
        #expect(m.alerts().isEmpty)
        await m.evaluateAll(at: 30_000)
        #expect(m.alerts().first?.state == .pending)
        #expect(m.alerts().first?.activeAt == Date(timeIntervalSince1970: 30))
        // The old rule's firing ALERTS series ends with a stale marker at the next evaluation.
        let firing = appender.written("ALERTS").filter { $0.0["alertstate"] == "firing" }
        #expect(firing.last.map { StaleNaN.isStale($0.1.v) && $0.1.t == 30_000 } == true)
    }

    @Test func invalidFileKeepsTheOldRules() async throws {
        let (m, _, file) = try await setUp()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        await m.evaluateAll(at: 0)
        try "groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: sum(\n".write(to: file, atomically: true, encoding: .utf8)
        let error = await #expect(throws: RuleFileErrors.self) { try await m.reloadIfChanged() }
        #expect(error?.errors.first?.position.line == 5)
        #expect(await m.loadedGroups().first?.rules.count == 2)
        #expect(m.alerts().first?.state == .pending)
        // A broken file is not re-read on every tick, only after the next change.
        #expect(try await m.reloadIfChanged() == false)
    }

    @Test func missingFileFailsTheInitialLoad() async {
        let m = RuleManager(query: ScriptedQuery.vector { _ in [] }.function, appender: nil)
        let error = await #expect(throws: RuleFileErrors.self) { try await m.loadFiles(["/nonexistent/x.yml"]) }
        #expect(error?.errors.first?.position.file == "/nonexistent/x.yml")
    }
}

struct RecordingRuleInlinerTests {
    @Test func referencesAreReplacedRecursively() {
        let recorded = ["a:rate": "sum(rate(x[1m]))", "b:ratio": "a:rate / 2"]
        #expect(RecordingRuleInliner.inline("b:ratio > 1", recorded: recorded) == "((sum(rate(x[1m]))) / 2) > 1")
        #expect(RecordingRuleInliner.inline("clamp(a:rate, 0, 100)", recorded: recorded) == "clamp((sum(rate(x[1m]))), 0, 100)")
    }

    @Test func onlyPlainReferencesAreInlined() {
        let recorded = ["a:rate": "sum(rate(x[1m]))"]
        for expr in ["a:rate{job=\"x\"}", "a:rate offset 5m", "max_over_time(a:rate[5m])", "rate(x[1m])", "sum(("] {
            #expect(RecordingRuleInliner.inline(expr, recorded: recorded) == expr)
        }
    }

    @Test func cyclesStop() {
        let recorded = ["a": "b + 1", "b": "a + 1"]
        let out = RecordingRuleInliner.inline("a", recorded: recorded)
        #expect(out.count < 1000)
        #expect(out.hasPrefix("((("))
    }

    @Test func shippedHealthScoreBecomesSelfContained() throws {
        let dir = try #require(RulesFixtures.rulesDirectory)
        let groups = try RuleFileLoader.load(paths: RuleManager.expand([dir]))
        let queries = RecordingRuleInliner.queries(for: groups)
        let names = Set(groups.flatMap(\.rules).filter { $0.kind == .recording }.map(\.name))
        let flat = zip(groups.flatMap(\.rules), queries.flatMap { $0 })
        let score = try #require(flat.first { $0.0.name == "perfect21_performance_score" }?.1)
        #expect(names.allSatisfy { !score.contains($0 + " ") && !score.contains($0 + ")") })
        #expect(score.contains("rate(http_requests_total"))
        #expect((try? PromQLParser.parse(score)) != nil)
    }

    /// The inlined score, evaluated directly, equals what the recording rules compute (80.9 for the
    /// "healthy service" data of rules/tests/perfect21-health_test.yml).
    @Test
    func inlinedScoreEvaluatesLikeTheRecordedOne() async throws {
        let dir = try #require(RulesFixtures.rulesDirectory)
        let groups = try RuleFileLoader.load(paths: [dir + "/perfect21-health.yml"])
        let score = try #require(RecordingRuleInliner.queries(for: groups).first?.last)
        let store = MemoryStore(options: .unbounded)
        let inputs: [(String, Double)] = [
            ("http_request_duration_seconds_count", 15), ("http_request_duration_seconds_sum", 3.75),
            ("http_requests_total{status=\"200\"}", 735), ("http_requests_total{status=\"500\"}", 15),
            ("redis_keyspace_hits_total", 135), ("redis_keyspace_misses_total", 15),
            ("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}", 7.5),
            ("node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}", 7.5), ("node_memory_MemTotal_bytes", 0),
            ("node_memory_MemAvailable_bytes", 0),
        ]
        for (series, step) in inputs {
            let labels = try SeriesNotation.parseSeries(series)
            for i in 0...40 {
                let v = series.hasPrefix("node_memory_MemTotal") ? 16e9 : series.hasPrefix("node_memory") ? 12e9 : Double(i) * step
                store.append(labels, Sample(t: Int64(i) * 15_000, v: v))
            }
        }
        let outcome = await RuleManager.localQuery(storage: store)(score, 307_000)
        guard case .success(.vector(let v)) = outcome.result else {
            Issue.record("unexpected \(outcome.result)")
            return
        }
        #expect(v.count == 1)
        #expect(abs((v.first?.sample.v ?? 0) - 80.9) < 1e-9)
    }

    @Test func serverModeSendsInlinedQueries() async {
        let sent = RecordingAppender()
        let query: RuleQueryFunction = { expr, t in
            sent.append(Labels(["__name__": "q", "expr": expr]), Sample(t: t, v: 0))
            return .success(.vector([]))
        }
        var options = RuleManagerOptions()
        options.inlineRecordingRules = true
        let m = RuleManager(query: query, appender: nil, options: options)
        await m.load(groups: [RuleGroupDefinition(name: "g", rules: [
            RuleDefinition(kind: .recording, name: "a:sum", expr: "sum(x)"),
            RuleDefinition(kind: .alerting, name: "Big", expr: "a:sum > 10"),
        ])])
        await m.evaluateAll(at: 0)
        #expect(sent.all().map { $0.0["expr"] } == ["sum(x)", "(sum(x)) > 10"])
    }
}

struct RuleManagerLoopTests {
    @Test func runLoopEvaluatesAndReportsReloadErrors() async throws {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("r.yml")
        try "groups:\n  - name: g\n    interval: 1s\n    rules:\n      - alert: Always\n        expr: vector(1)\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let m = RuleManager(query: ScriptedQuery.vector { t in [sample([:], 1, at: t)] }.function, appender: nil)
        try await m.loadFiles([file.path])
        let task = Task { await m.run(tick: .milliseconds(10)) }
        defer { task.cancel() }
        for _ in 0..<200 where m.alerts().isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(m.alerts().first?.state == .firing)
        try "groups: [".write(to: file, atomically: true, encoding: .utf8)
        for _ in 0..<200 where m.lastReloadError() == nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(m.lastReloadError()?.errors.first?.position.file == file.path)
        #expect(m.alerts().first?.state == .firing)
        task.cancel()
        await task.value
    }
}

struct RuleManagerReentrancyTests {
    /// A reload while an evaluation waits for its query must win: the evaluation may not write
    /// the replaced rules back.
    @Test func reloadDuringEvaluationIsNotUndone() async throws {
        let query: RuleQueryFunction = { expr, t in
            if expr == "slow" { try? await Task.sleep(for: .milliseconds(100)) }
            return .success(.vector([sample([:], 1, at: t)]))
        }
        let m = RuleManager(query: query, appender: nil)
        await m.load(groups: [RuleGroupDefinition(name: "g", rules: [RuleDefinition(kind: .alerting, name: "Old", expr: "slow")])])
        let evaluation = Task { await m.evaluateAll(at: 0) }
        try await Task.sleep(for: .milliseconds(20))
        await m.load(groups: [RuleGroupDefinition(name: "g", rules: [RuleDefinition(kind: .alerting, name: "New", expr: "fast")])])
        // A second evaluation while the first is running is skipped rather than interleaved.
        #expect(await m.evaluateDue(now: 60_000) == 0)
        await evaluation.value
        #expect(await m.loadedGroups().first?.rules.first?.name == "New")
        #expect(m.alerts().allSatisfy { $0.name != "Old" })
        await m.evaluateAll(at: 10_000)
        #expect(m.alerts().map(\.name) == ["New"])
    }
}
