import Foundation
import MetricsCore
import PromQL
import Yams

/// A rule unit-test file in the format of `promtool test rules`.
public struct RuleTestFile: Sendable {
    public struct InputSeries: Sendable {
        public var labels: Labels
        /// One value per `interval` from time 0; nil is a missing sample (`_`).
        public var values: [Double?]
    }

    public struct ExpectedSample: Sendable {
        public var labels: Labels
        public var value: Double
    }

    public struct PromQLExprTest: Sendable {
        public var expr: String
        public var evalTime: Int64
        public var expected: [ExpectedSample]
        public var position: SourcePosition
    }

    public struct ExpectedAlert: Sendable {
        public var labels: Labels
        public var annotations: [String: String]
    }

    public struct AlertRuleTest: Sendable {
        public var evalTime: Int64
        public var alertname: String
        public var expected: [ExpectedAlert]
        public var position: SourcePosition
    }

    public struct TestGroup: Sendable {
        public var name: String
        public var interval: Int64
        public var inputSeries: [InputSeries]
        public var externalLabels: [String: String]
        public var externalURL: String
        public var promqlTests: [PromQLExprTest]
        public var alertTests: [AlertRuleTest]
    }

    public var path: String
    /// Rule files, resolved relative to the test file's folder.
    public var ruleFiles: [String]
    public var evaluationInterval: Int64
    public var tests: [TestGroup]

    /// Reads and validates a test file; every problem is reported with its position.
    public static func load(path: String) throws(RuleFileErrors) -> RuleTestFile {
        let text = try RuleFileLoader.readText(path)
        var reader = YAMLReader(file: path, text: text)
        guard let root = reader.root(),
              let top = reader.mapping(root, what: "test file", allowed: ["rule_files", "evaluation_interval", "tests",
                                                                          "group_eval_order", "external_labels", "external_url"])
        else { throw RuleFileErrors(reader.errors) }
        let folder = (path as NSString).deletingLastPathComponent
        var file = RuleTestFile(path: path, ruleFiles: [], evaluationInterval: 60_000, tests: [])
        var sharedLabels: [String: String] = [:]
        var sharedURL = ""
        var testNodes: [Node] = []
        for (key, _, value) in top {
            switch key {
            case "rule_files":
                for n in reader.sequence(value, what: "rule_files") ?? [] {
                    guard let f = reader.string(n, what: "rule file") else { continue }
                    file.ruleFiles.append(f.hasPrefix("/") ? f : (folder as NSString).appendingPathComponent(f))
                }
            case "evaluation_interval":
                if let d = reader.duration(value, what: "evaluation_interval") {
                    if d > 0 { file.evaluationInterval = d } else { reader.fail("evaluation_interval must be positive", at: value) }
                }
            case "external_labels":
                for (k, v, _) in reader.stringMap(value, what: "external label") { sharedLabels[k] = v }
            case "external_url": sharedURL = reader.string(value, what: "external_url") ?? ""
            case "tests": testNodes = reader.sequence(value, what: "tests") ?? []
            default: break // group_eval_order: groups run in file order here
            }
        }
        for (i, node) in testNodes.enumerated() {
            if var group = parseGroup(node, index: i, reader: &reader) {
                group.externalLabels.merge(sharedLabels) { own, _ in own }
                if group.externalURL.isEmpty { group.externalURL = sharedURL }
                file.tests.append(group)
            }
        }
        guard reader.errors.isEmpty else { throw RuleFileErrors(reader.errors) }
        return file
    }

    private static func parseGroup(_ node: Node, index: Int, reader: inout YAMLReader) -> TestGroup? {
        guard let fields = reader.mapping(node, what: "test group", allowed: [
            "name", "interval", "input_series", "external_labels", "external_url", "promql_expr_test", "alert_rule_test",
        ]) else { return nil }
        var group = TestGroup(name: "test \(index + 1)", interval: 60_000, inputSeries: [], externalLabels: [:],
                              externalURL: "", promqlTests: [], alertTests: [])
        for (key, _, value) in fields {
            switch key {
            case "name": group.name = reader.string(value, what: "name") ?? group.name
            case "interval":
                if let d = reader.duration(value, what: "interval") {
                    if d > 0 { group.interval = d } else { reader.fail("interval must be positive", at: value) }
                }
            case "external_labels":
                for (k, v, _) in reader.stringMap(value, what: "external label") { group.externalLabels[k] = v }
            case "external_url": group.externalURL = reader.string(value, what: "external_url") ?? ""
            case "input_series":
                for n in reader.sequence(value, what: "input_series") ?? [] {
                    if let s = parseInput(n, reader: &reader) { group.inputSeries.append(s) }
                }
            case "promql_expr_test":
                for n in reader.sequence(value, what: "promql_expr_test") ?? [] {
                    if let t = parsePromQLTest(n, reader: &reader) { group.promqlTests.append(t) }
                }
            default:
                for n in reader.sequence(value, what: "alert_rule_test") ?? [] {
                    if let t = parseAlertTest(n, reader: &reader) { group.alertTests.append(t) }
                }
            }
        }
        return group
    }

    private static func parseInput(_ node: Node, reader: inout YAMLReader) -> InputSeries? {
        guard let fields = reader.mapping(node, what: "input series", allowed: ["series", "values"]) else { return nil }
        var labels: Labels?
        var values: [Double?] = []
        for (key, _, value) in fields {
            guard let text = reader.string(value, what: key) else { continue }
            do {
                if key == "series" { labels = try SeriesNotation.parseSeries(text) } else { values = try SeriesNotation.parseValues(text) }
            } catch {
                reader.fail("\(key): \(error.message)",
                            at: reader.position(inScalar: value, line: error.line, column: error.column, offset: error.offset))
            }
        }
        guard let labels else {
            reader.fail("input series needs \"series\"", at: node)
            return nil
        }
        return InputSeries(labels: labels, values: values)
    }

    private static func parsePromQLTest(_ node: Node, reader: inout YAMLReader) -> PromQLExprTest? {
        guard let fields = reader.mapping(node, what: "promql_expr_test", allowed: ["expr", "eval_time", "exp_samples"])
        else { return nil }
        var test = PromQLExprTest(expr: "", evalTime: 0, expected: [], position: reader.position(node))
        for (key, _, value) in fields {
            switch key {
            case "expr": test.expr = reader.string(value, what: "expr") ?? ""
            case "eval_time": test.evalTime = reader.duration(value, what: "eval_time") ?? 0
            default:
                for n in reader.sequence(value, what: "exp_samples") ?? [] {
                    guard let sf = reader.mapping(n, what: "exp_samples item", allowed: ["labels", "value", "histogram"]) else { continue }
                    var sample = ExpectedSample(labels: Labels(), value: 0)
                    for (k, _, v) in sf {
                        guard let text = reader.string(v, what: k) else { continue }
                        if k == "labels" {
                            if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                            do { sample.labels = try SeriesNotation.parseSeries(text) } catch {
                                reader.fail("labels: \(error.message)", at: v)
                            }
                        } else if k == "value" {
                            guard let d = TemplateFunctions.parseGoFloat(text) else {
                                reader.fail("value: invalid number \"\(text)\"", at: v)
                                continue
                            }
                            sample.value = d
                        } else {
                            reader.fail("native histograms are not supported", at: v)
                        }
                    }
                    test.expected.append(sample)
                }
            }
        }
        if test.expr.isEmpty { reader.fail("promql_expr_test needs \"expr\"", at: node) }
        return test
    }

    private static func parseAlertTest(_ node: Node, reader: inout YAMLReader) -> AlertRuleTest? {
        guard let fields = reader.mapping(node, what: "alert_rule_test", allowed: ["eval_time", "alertname", "exp_alerts"])
        else { return nil }
        var test = AlertRuleTest(evalTime: 0, alertname: "", expected: [], position: reader.position(node))
        for (key, _, value) in fields {
            switch key {
            case "eval_time": test.evalTime = reader.duration(value, what: "eval_time") ?? 0
            case "alertname": test.alertname = reader.string(value, what: "alertname") ?? ""
            default:
                for n in reader.sequence(value, what: "exp_alerts") ?? [] {
                    guard let af = reader.mapping(n, what: "exp_alerts item", allowed: ["exp_labels", "exp_annotations"]) else { continue }
                    var labels: [String: String] = [:]
                    var annotations: [String: String] = [:]
                    for (k, _, v) in af {
                        for (name, text, _) in reader.stringMap(v, what: k) {
                            if k == "exp_labels" { labels[name] = text } else { annotations[name] = text }
                        }
                    }
                    test.expected.append(ExpectedAlert(labels: Labels(labels), annotations: annotations))
                }
            }
        }
        if test.alertname.isEmpty { reader.fail("alert_rule_test needs \"alertname\"", at: node) }
        return test
    }
}
