import Foundation
import MetricsCore
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
