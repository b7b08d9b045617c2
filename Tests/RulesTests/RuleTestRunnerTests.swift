import Foundation
import PromQL
import SeriesStore
import Testing
@testable import Rules

/// `promtool` from Debian's prometheus package, the reference for rule tests, if installed.
enum Promtool {
    static let path: String? = {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        return (dirs + ["/usr/bin"]).map { $0 + "/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var available: Bool { path != nil }

    /// Runs promtool and returns its exit status and combined output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/promtool")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Read before waiting so a full pipe cannot block promtool.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
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
enum EngineStatus {
    static let works: Bool = {
        let store = MemoryStore(options: .unbounded)
        guard let expr = try? PromQLParser.parse("1 + 1") else { return false }
        return (try? Engine(storage: store).instant(expr, at: 0)) != nil
    }()
}

struct RuleTestRunnerTests {
    private func writeFixture(_ files: [String: String]) throws -> URL {
        let dir = try makeTempDirectory()
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test(.enabled(if: EngineStatus.works))
    func shippedRuleTestsPassWithLookout() async throws {
        let files = RulesFixtures.ruleTestFiles
        #expect(files.count == 2)
        let result = await RuleTestRunner().run(paths: files)
        #expect(result.passed, "\(result.output)")
        #expect(result.output.components(separatedBy: "SUCCESS").count - 1 == files.count)
    }

    @Test(.enabled(if: Promtool.available))
    func shippedRuleTestsPassWithPromtool() throws {
        let files = RulesFixtures.ruleTestFiles
        #expect(!files.isEmpty)
        let (status, output) = try Promtool.run(["test", "rules"] + files)
        #expect(status == 0, "\(output)")
        #expect(output.contains("SUCCESS"))
    }

    @Test(.enabled(if: Promtool.available))
    func shippedRulesPassPromtoolCheck() throws {
        let dir = try #require(RulesFixtures.rulesDirectory)
        let (status, output) = try Promtool.run(["check", "rules"] + RuleManager.expand([dir]))
        #expect(status == 0, "\(output)")
    }

    @Test(.enabled(if: EngineStatus.works))
    func keepFiringForPassesWithLookout() async throws {
        let dir = try writeFixture(["rules.yml": keepFiringRules, "test.yml": keepFiringTest])
        defer { try? FileManager.default.removeItem(at: dir) }
        let ours = await RuleTestRunner().run(path: dir.appendingPathComponent("test.yml").path)
        #expect(ours.passed, "\(ours.output)")
    }

    /// The same fixture is checked against the reference, so both agree on keep_firing_for.
    @Test(.enabled(if: Promtool.available))
    func keepFiringForPassesWithPromtool() throws {
        let dir = try writeFixture(["rules.yml": keepFiringRules, "test.yml": keepFiringTest])
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, output) = try Promtool.run(["test", "rules", dir.appendingPathComponent("test.yml").path])
        #expect(status == 0, "\(output)")
    }

    @Test(.enabled(if: EngineStatus.works))
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
    @Test(.enabled(if: EngineStatus.works))
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
