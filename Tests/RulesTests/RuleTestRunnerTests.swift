import Foundation
import PromQL
import SeriesStore
import Testing
import TestSupport
@testable import Rules

/// `promtool` from Debian's prometheus package, the reference for rule tests.
enum Promtool {
    /// Runs promtool and returns its exit status and combined output; nil when promtool is missing
    /// outside CI (the skip is reported), a thrown `MissingTool` under CI=true.
    static func run(_ arguments: [String], for test: String) throws -> (status: Int32, output: String)? {
        guard let path = try Tools.require("promtool", for: test) else { return nil }
        let (output, status) = try Spawn.run(path, arguments, captureOutput: true, includeStderr: true)
        return (status, output)
    }
}

/// A rule using keep_firing_for and a test of it, valid for both promtool 2.42 and Lookout.
private let keepFiringRules = """
    groups:
      - name: flappy
        rules:
          - alert: QueueStuck
            expr: queue_depth > 100
            for: 30s
            keep_firing_for: 1m
            labels:
              severity: warning
            annotations:
              summary: "Queue {{ $labels.queue }} holds {{ $value }} items"
              detail: "{{ printf \\"%.1f\\" $value }} ({{ $value | humanize }})"
    """

private let keepFiringTest = """
    rule_files: [rules.yml]
    evaluation_interval: 10s
    tests:
      - interval: 10s
        input_series:
          - series: 'queue_depth{queue="mail"}'
            values: '0x5 150x6 0x20'
        alert_rule_test:
          - eval_time: 1m25s
            alertname: QueueStuck
            exp_alerts: []
          - eval_time: 1m35s
            alertname: QueueStuck
            exp_alerts:
              - exp_labels: {severity: warning, queue: mail}
                exp_annotations:
                  summary: "Queue mail holds 150 items"
                  detail: "150.0 (150)"
          - eval_time: 2m55s
            alertname: QueueStuck
            exp_alerts:
              - exp_labels: {severity: warning, queue: mail}
                exp_annotations:
                  summary: "Queue mail holds 150 items"
                  detail: "150.0 (150)"
          - eval_time: 3m15s
            alertname: QueueStuck
            exp_alerts: []
        promql_expr_test:
          - expr: ALERTS{alertname="QueueStuck"}
            eval_time: 1m15s
            exp_samples:
              - labels: 'ALERTS{alertname="QueueStuck",alertstate="pending",queue="mail",severity="warning"}'
                value: 1
          - expr: ALERTS_FOR_STATE
            eval_time: 2m5s
            exp_samples:
              - labels: 'ALERTS_FOR_STATE{alertname="QueueStuck",queue="mail",severity="warning"}'
                value: 60
    """

/// Whether the PromQL engine this branch was built with evaluates at all (the runner needs it).
struct RuleTestRunnerTests {
    private func writeFixture(_ files: [String: String]) throws -> URL {
        let dir = try makeTempDirectory()
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test
    func shippedRuleTestsPassWithLookout() async throws {
        let files = RulesFixtures.ruleTestFiles
        #expect(files.count == 2)
        let result = await RuleTestRunner().run(paths: files)
        #expect(result.passed, "\(result.output)")
        #expect(result.output.components(separatedBy: "SUCCESS").count - 1 == files.count)
    }

    @Test
    func shippedRuleTestsPassWithPromtool() throws {
        let files = RulesFixtures.ruleTestFiles
        #expect(!files.isEmpty)
        guard let ran = try Promtool.run(["test", "rules"] + files, for: #function) else { return }
        #expect(ran.status == 0, "\(ran.output)")
        #expect(ran.output.components(separatedBy: "SUCCESS").count - 1 == files.count)
    }

    @Test
    func shippedRulesPassPromtoolCheck() throws {
        let dir = try #require(RulesFixtures.rulesDirectory)
        guard let ran = try Promtool.run(["check", "rules"] + RuleManager.expand([dir]), for: #function)
        else { return }
        #expect(ran.status == 0, "\(ran.output)")
    }

    @Test
    func keepFiringForPassesWithLookout() async throws {
        let dir = try writeFixture(["rules.yml": keepFiringRules, "test.yml": keepFiringTest])
        defer { try? FileManager.default.removeItem(at: dir) }
        let ours = await RuleTestRunner().run(path: dir.appendingPathComponent("test.yml").path)
        #expect(ours.passed, "\(ours.output)")
    }

    /// The same fixture is checked against the reference, so both agree on keep_firing_for.
    @Test
    func keepFiringForPassesWithPromtool() throws {
        let dir = try writeFixture(["rules.yml": keepFiringRules, "test.yml": keepFiringTest])
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let ran = try Promtool.run(["test", "rules", dir.appendingPathComponent("test.yml").path],
                                         for: #function) else { return }
        #expect(ran.status == 0, "\(ran.output)")
    }

    @Test
    func failuresShowExpectedAndActual() async throws {
        let wrong = keepFiringTest.replacingOccurrences(of: "value: 60", with: "value: 61")
            .replacingOccurrences(of: "eval_time: 1m25s\n        alertname: QueueStuck\n        exp_alerts: []",
                                  with: "eval_time: 1m25s\n        alertname: QueueStuck\n        exp_alerts: [{exp_labels: {queue: mail}}]")
        let dir = try writeFixture(["rules.yml": keepFiringRules, "test.yml": wrong])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = await RuleTestRunner().run(path: dir.appendingPathComponent("test.yml").path)
        #expect(!result.passed)
        #expect(result.output.contains("FAILED:"))
        #expect(result.output.contains("exp: [ALERTS_FOR_STATE{alertname=\"QueueStuck\", queue=\"mail\", severity=\"warning\"} 61]"))
        #expect(result.output.contains("got: [ALERTS_FOR_STATE{alertname=\"QueueStuck\", queue=\"mail\", severity=\"warning\"} 60]"))
        #expect(result.output.contains("alertname: QueueStuck, time: 1m25s"))
        #expect(result.output.contains("got:[]"))
    }

    /// The shipped tests are not vacuous: changing an expected annotation or score fails them.
    @Test
    func mutatedShippedTestsFail() async throws {
        let rulesDir = try #require(RulesFixtures.rulesDirectory)
        var files: [String: String] = [:]
        for name in ["perfect21-alerts_test.yml", "perfect21-health_test.yml"] {
            let text = try String(contentsOfFile: rulesDir + "/tests/" + name, encoding: .utf8)
            files[name] = text.replacingOccurrences(of: "  - ../", with: "  - \(rulesDir)/")
                .replacingOccurrences(of: "Error rate is 2%", with: "Error rate is 3%")
                .replacingOccurrences(of: "value: 80.9", with: "value: 80.8")
        }
        let dir = try writeFixture(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = await RuleTestRunner().run(paths: files.keys.sorted().map { dir.appendingPathComponent($0).path })
        #expect(!result.passed)
        #expect(result.output.contains("description=\"Error rate is 2%\""))
        #expect(result.output.contains("got: [perfect21_performance_score 80.9"))
        #expect(result.output.components(separatedBy: "FAILED:").count - 1 == 2)
    }

    @Test func brokenTestFileReportsPositions() async throws {
        let dir = try writeFixture([
            "rules.yml": keepFiringRules,
            "test.yml": "rule_files: [rules.yml]\ntests:\n  - interval: 1m\n    input_series:\n      - series: 'x{'\n        values: '1 2'\n    bogus: 1\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("test.yml").path
        let result = await RuleTestRunner().run(path: path)
        #expect(!result.passed)
        #expect(result.output.contains("\(path):5:"))
        #expect(result.output.contains("\(path):7:5: field \"bogus\" not found in test group"))
    }

    @Test func missingRuleFileFails() async throws {
        let dir = try writeFixture(["test.yml": "rule_files: [nope.yml]\ntests: []\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = await RuleTestRunner().run(path: dir.appendingPathComponent("test.yml").path)
        #expect(!result.passed)
        #expect(result.output.contains("nope.yml"))
    }
}
