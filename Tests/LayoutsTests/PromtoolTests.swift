import Foundation
import Testing
import TestSupport
@testable import Layouts

/// The real Prometheus parser (through `promtool check rules`) accepts every expression of the shipped
/// layouts, so they work unchanged against a Prometheus server. Without promtool: skipped with a line
/// (a failure under CI=true).
@Suite struct PromtoolTests {
    @Test func shippedExpressionsParseInPrometheus() throws {
        guard let promtool = try Tools.require("promtool", for: "PromtoolTests") else { return }
        let folder = try TemporaryFolder()
        var rules: [String] = []
        for name in ["executive.json", "technical.json", "slo.json"] {
            let layout = try LayoutLoader.loadDetailed(file: Paths.shipped(name))
            for (i, site) in layout.expressions.enumerated() {
                // JSON is YAML: each expression becomes a recording rule, quoted by JSON's rules.
                let quoted = String(decoding: try JSONSerialization.data(withJSONObject: site.expr, options: [.fragmentsAllowed, .withoutEscapingSlashes]),
                                    as: UTF8.self)
                rules.append(#"{"record": "lookout:\#(name.dropLast(5)):\#(i)", "expr": \#(quoted)}"#)
            }
        }
        #expect(rules.count == 28)
        let file = try folder.write("rules.yml", #"{"groups": [{"name": "layouts", "rules": [\#(rules.joined(separator: ", "))]}]}"#)
        let (text, status) = try Spawn.run(promtool, ["check", "rules", file], captureOutput: true, includeStderr: true)
        #expect(status == 0, "\(text)")
        #expect(text.contains("SUCCESS: \(rules.count) rules found"), "\(text)")
    }
}
