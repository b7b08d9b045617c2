import Foundation
import Testing
@testable import Layouts

/// The real Prometheus parser (through `promtool check rules`) accepts every expression of the shipped
/// layouts, so they work unchanged against a Prometheus server. Skipped when promtool is not installed.
@Suite struct PromtoolTests {
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(.enabled(if: promtool != nil)) func shippedExpressionsParseInPrometheus() throws {
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
        #expect(rules.count == 27)
        let file = try folder.write("rules.yml", #"{"groups": [{"name": "layouts", "rules": [\#(rules.joined(separator: ", "))]}]}"#)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.promtool))
        process.arguments = ["check", "rules", file]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("SUCCESS: \(rules.count) rules found"), "\(text)")
    }
}
