import Foundation
import MetricsCore
import PromQL

/// Storage a rule test runs on: input series are appended, the engine reads them back.
public typealias RuleTestStorage = SeriesQueryable & SampleAppender

/// Runs rule unit tests in `promtool test rules` format (`lookout test`): loads each test group's
/// input series into a fresh store, evaluates the rule groups every `evaluation_interval` from 0
/// to the last `eval_time` (recording output feeds later rules), then checks alerts and
/// expressions. Output follows promtool: `SUCCESS`, or `FAILED:` and each expected/actual pair.
public struct RuleTestRunner: Sendable {
    public struct FileResult: Sendable {
        public var path: String
        public var output: String
        public var passed: Bool
    }

    /// More evaluations than this per test group is refused (a typo like `eval_time: 1000d`).
    public static let maxEvaluations = 1_000_000
    /// Values within this relative difference are equal (float noise differs between engines).
    public static let relativeTolerance = 1e-9

    private let makeStorage: @Sendable () -> any RuleTestStorage

    public init(makeStorage: @escaping @Sendable () -> any RuleTestStorage) {
        self.makeStorage = makeStorage
    }

    /// Runs every file; `passed` is false if any test failed or any file could not be read.
    public func run(paths: [String]) async -> (output: String, passed: Bool) {
        var output = ""
        var passed = true
        for path in paths {
            let r = await run(path: path)
            output += r.output
            passed = passed && r.passed
        }
        return (output, passed)
    }

    public func run(path: String) async -> FileResult {
        var out = "Unit Testing:  \(path)\n"
        let file: RuleTestFile
        let groups: [RuleGroupDefinition]
        do throws(RuleFileErrors) {
            file = try RuleTestFile.load(path: path)
            groups = try RuleFileLoader.load(paths: file.ruleFiles)
        } catch {
            out += "  FAILED:\n" + error.errors.map { "    \($0)\n" }.joined()
            return FileResult(path: path, output: out, passed: false)
        }
        var failures: [String] = []
        for test in file.tests {
            failures += await run(test, groups: groups, evaluationInterval: file.evaluationInterval)
        }
        if failures.isEmpty {
            out += "  SUCCESS\n"
        } else {
            out += "  FAILED:\n" + failures.joined()
        }
        return FileResult(path: path, output: out, passed: failures.isEmpty)
    }

    /// Runs one test group; returns the failure texts.
    func run(_ test: RuleTestFile.TestGroup, groups: [RuleGroupDefinition], evaluationInterval: Int64) async -> [String] {
        let storage = makeStorage()
        for series in test.inputSeries {
            for (i, v) in series.values.enumerated() {
                guard let v else { continue }
                storage.append(series.labels, Sample(t: Int64(i) * test.interval, v: v))
            }
        }
        let engine = Engine(storage: storage)
        var options = RuleManagerOptions()
        options.templateContext = TemplateContext(labels: test.externalLabels, url: test.externalURL)
        let manager = RuleManager(query: RuleManager.localQuery(storage: storage), appender: storage, options: options)
        await manager.load(groups: groups)

        let maxTime = (test.promqlTests.map(\.evalTime) + test.alertTests.map(\.evalTime)).max() ?? 0
        guard maxTime / evaluationInterval < Int64(Self.maxEvaluations) else {
            return ["    \(test.name): eval_time \(PromDuration.format(maxTime)) needs more than \(Self.maxEvaluations) evaluations\n"]
        }
        // Alerts are compared with the state after the last evaluation at or before eval_time.
        let alertTests = test.alertTests.sorted { $0.evalTime < $1.evalTime }
        var next = 0
        var failures: [String] = []
        var t: Int64 = 0
        while t <= maxTime {
            await manager.evaluateAll(at: t)
            while next < alertTests.count, alertTests[next].evalTime < t + evaluationInterval {
                if alertTests[next].evalTime >= t {
                    failures += check(alertTests[next], firing: manager.alerts(), group: test.name)
                }
                next += 1
            }
            t += evaluationInterval
        }
        for p in test.promqlTests {
            failures += check(p, engine: engine, group: test.name)
        }
        return failures
    }

    static func query(_ engine: Engine, _ expr: String, _ time: Timestamp) -> QueryOutcome {
        do {
            let parsed = try PromQLParser.parse(expr)
            do {
                return .success(try engine.instant(parsed, at: time).value)
            } catch {
                return .failure(QueryFailure(kind: .evaluation, message: error.message))
            }
        } catch {
            return .failure(QueryFailure(kind: .parse, message: error.description, location: "expr \(error.line):\(error.column)"))
        }
    }

    private func check(_ test: RuleTestFile.AlertRuleTest, firing: [AlertInstance], group: String) -> [String] {
        let got = firing.filter { $0.name == test.alertname && $0.state == .firing }
            .map { (labels: $0.labels, annotations: $0.annotations) }
            .sorted { $0.labels.description < $1.labels.description }
        let exp = test.expected.map { (labels: $0.labels.setting("alertname", test.alertname), annotations: $0.annotations) }
            .sorted { $0.labels.description < $1.labels.description }
        let same = got.count == exp.count && zip(got, exp).allSatisfy { $0.labels == $1.labels && $0.annotations == $1.annotations }
        if same { return [] }
        func render(_ list: [(labels: Labels, annotations: [String: String])]) -> String {
            if list.isEmpty { return "[]" }
            return "[\n" + list.enumerated().map { i, a in
                "            \(i):\n              Labels:\(a.labels)\n              Annotations:\(Self.describe(a.annotations))\n"
            }.joined() + "            ]"
        }
        return ["    name: \(group),\n    alertname: \(test.alertname), time: \(PromDuration.format(test.evalTime)), \n"
            + "        exp:\(render(exp)), \n        got:\(render(got))\n"]
    }

    private func check(_ test: RuleTestFile.PromQLExprTest, engine: Engine, group: String) -> [String] {
        let header = "    name: \(group),\n    expr: \"\(GoPrintf.goQuote(test.expr))\", time: \(PromDuration.format(test.evalTime)),\n"
        let got: [InstantSample]
        switch Self.query(engine, test.expr, test.evalTime).result {
        case .failure(let f):
            return [header + "        error: \(f.message)\n"]
        case .success(.vector(let v)): got = v
        case .success(.scalar(let s)): got = [InstantSample(labels: Labels(), sample: s)]
        case .success:
            return [header + "        error: expression does not give a vector or scalar\n"]
        }
        let gotSorted = got.sorted { $0.labels.description < $1.labels.description }
        let expSorted = test.expected.sorted { $0.labels.description < $1.labels.description }
        let same = gotSorted.count == expSorted.count
            && zip(gotSorted, expSorted).allSatisfy { $0.labels == $1.labels && Self.close($0.sample.v, $1.value) }
        if same { return [] }
        let exp = expSorted.map { "\($0.labels) \(GoFormat.shortest($0.value))" }.joined(separator: ", ")
        let act = gotSorted.map { "\($0.labels) \(GoFormat.shortest($0.sample.v))" }.joined(separator: ", ")
        return [header + "        exp: [\(exp)]\n        got: [\(act)]\n"]
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= relativeTolerance * max(abs(a), abs(b))
    }

    static func describe(_ annotations: [String: String]) -> String {
        "{" + annotations.keys.sorted().map { "\($0)=\"\(Labels.escape(annotations[$0] ?? ""))\"" }.joined(separator: ", ") + "}"
    }
}
