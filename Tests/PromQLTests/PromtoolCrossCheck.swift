import Foundation
import MetricsCore
import Testing
import TestSupport
@testable import PromQL

/// Checks our own portable scripts against the real Prometheus: each instant eval becomes a
/// `promtool test rules` case (Debian's promtool, Prometheus 2.42). Scripts opt in with a first line
/// `# portable`, meaning they avoid the few 2.x/3.x differences (left-open windows, delayed name removal).
@Suite struct PromtoolCrossCheck {
    @Test func portableScriptsAgreeWithPromtool() throws {
        guard let promtool = try Tools.require("promtool", for: "PromtoolCrossCheck") else { return }
        let dir = ConformanceTests.repoRoot.appendingPathComponent("Tests/PromQLTests/Scripts")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".test") }.sorted()
        var converted = 0
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            guard text.hasPrefix("# portable") else { continue }
            let yaml = try Self.rulesTestYAML(text)
            converted += yaml.cases
            let (status, output) = try Self.runPromtool(promtool, yaml.text)
            #expect(status == 0, "promtool disagrees with \(file):\n\(output)")
        }
        #expect(converted > 0)
    }

    /// Builds a promtool rule-test file with one test group per instant eval case.
    static func rulesTestYAML(_ script: String) throws -> (text: String, cases: Int) {
        var loads: [(interval: Int64, series: [(Labels, [Double?])])] = []
        var out = "rule_files: []\nevaluation_interval: 1m\ntests:\n"
        var cases = 0
        for cmd in try PromQLScript.parse(script) {
            switch cmd {
            case .clear: loads = []
            case .load(let interval, let series): loads.append((interval, series))
            case .eval(let c):
                guard case .instant(let t) = c.kind, !c.expectFail, !c.ordered, c.string == nil, c.rangeVector == nil,
                      !loads.isEmpty else { continue }
                out += group(loads, c, at: t)
                cases += 1
            }
        }
        return (out, cases)
    }

    private static func group(_ loads: [(interval: Int64, series: [(Labels, [Double?])])], _ c: EvalCase, at t: Timestamp) -> String {
        // promtool has one interval per group: spread every load onto the gcd of their intervals.
        let g = loads.map(\.interval).reduce(0) { gcd($0, $1) }
        var merged: [Labels: [Double?]] = [:]
        for load in loads {
            let stride = Int(load.interval / max(g, 1))
            for (labels, values) in load.series {
                var row = merged[labels] ?? []
                for (i, v) in values.enumerated() {
                    let at = i * stride
                    if row.count <= at { row += [Double?](repeating: nil, count: at - row.count + 1) }
                    if let v { row[at] = v }
                }
                merged[labels] = row
            }
        }
        var s = "  - interval: \(g)ms\n    input_series:\n"
        for (labels, values) in merged.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            s += "      - series: \(quote(braces(labels)))\n        values: \(quote(values.map(render).joined(separator: " ")))\n"
        }
        s += "    promql_expr_test:\n      - expr: \(quote(c.expr))\n        eval_time: \(t)ms\n        exp_samples:\n"
        if let v = c.scalar {
            s += "          - labels: '{}'\n            value: \(render(v))\n"
        }
        for e in c.series {
            s += "          - labels: \(quote(braces(e.labels)))\n            value: \(e.values.first.flatMap { $0 }.map(render) ?? "0")\n"
        }
        return s
    }

    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }

    private static func braces(_ l: Labels) -> String {
        let name = l.name ?? ""
        let rest = l.pairs.filter { $0.name != Labels.metricName }
        return name + "{" + rest.map { "\($0.name)=\(StringLiteral.quote($0.value))" }.joined(separator: ", ") + "}"
    }

    private static func render(_ v: Double?) -> String {
        guard let v else { return "_" }
        if StaleNaN.isStale(v) { return "stale" }
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        return "\(v)"
    }

    private static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    /// Runs promtool's rule tests on `yaml`; the output ends with the input, for the failure message.
    static func runPromtool(_ promtool: String, _ yaml: String) throws -> (Int32, String) {
        let (status, output) = try runPromtool(promtool, ["test", "rules"], on: yaml, named: "tests.yml")
        return (status, output + "\n--- input ---\n" + yaml)
    }

    /// `promtool ARGUMENTS FILE` with `yaml` in a temporary FILE, removed after: status and stdout+stderr.
    static func runPromtool(
        _ promtool: String, _ arguments: [String], on yaml: String, named name: String
    ) throws -> (status: Int32, output: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-promtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(name)
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let (output, status) = try Spawn.run(promtool, arguments + [file.path], captureOutput: true, includeStderr: true)
        return (status, output)
    }
}
