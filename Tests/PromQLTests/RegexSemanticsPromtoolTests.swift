import Foundation
import MetricsCore
import Testing
import TestSupport
@testable import PromQL

/// What a valid pattern matches, checked against promtool: Lookout's verdict for every (pattern, value)
/// pair becomes a `promtool test rules` case, which fails where Prometheus' RE2 disagrees.
/// Prometheus 2.42's `.` does not match a newline (3.x's does, as Lookout's), so pairs of a pattern
/// with `.` and a value with a newline are left out.
@Suite struct RegexSemanticsPromtoolTests {
    static let values = [
        "a", "A", "é", "É", "_", "9", "٣", "api", "api\n", "a\nb", " ", "\t", "\u{0B}", "\u{0C}", "\u{A0}",
        "K", "k", "\u{212A}", "λόγος", "a.b", "axb", "]a", "xy", "x y", "aA", "aaa",
    ]
    static let patterns = [
        #"\w"#, #"\W"#, #"\d"#, #"\s"#, #"\S+"#, "[[:alpha:]]", "[[:^alpha:]]", "[[:punct:]]", #"\pL"#,
        #"\p{Greek}+"#, #"\PL"#, ".", ".+", "(?-s:.+)", "a.b", "api", "ap.", "api$", "(?i)k", "(?i)é",
        "(?i)[a-z]", #"x\by"#, #"x\b.y"#, #"x\B.y"#, #"\Qa.b\E"#, "[]a]+", "(?m)a$\n^b", "a\nb", "[^a]",
        #"[\d\s]+"#, "(?U)a+", "a*(?i)*", #"\x{e9}"#, "[^[:ascii:]]+", #"(?i)\x{e9}"#, "(?i)A+", "a|api|",
    ]

    @Test func promtoolMatchesTheSameValues() throws {
        guard let promtool = try Tools.require("promtool", for: "RegexSemanticsPromtoolTests") else { return }
        func series(_ v: String) -> String { "'m{v=" + StringLiteral.quote(v).replacingOccurrences(of: "'", with: "''") + "}'" }
        var yaml = "rule_files: []\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"
        for v in Self.values { yaml += "      - series: \(series(v))\n        values: '1'\n" }
        yaml += "    promql_expr_test:\n"
        var pairs = 0
        for p in Self.patterns {
            let matcher = try LabelMatcher(.regexMatch, "v", p)
            let comparable = Self.values.filter { !(p.contains(".") && $0.contains("\n")) }
            pairs += comparable.count
            // Left-out values must not show up in promtool's answer either: a second matcher drops them.
            let dropNewlines = comparable.count < Self.values.count ? ", v!~" + StringLiteral.quote(".*\n.*") : ""
            let expr = "m{v=~" + StringLiteral.quote(p) + dropNewlines + "}"
            yaml += "      - expr: '\(expr.replacingOccurrences(of: "'", with: "''"))'\n        eval_time: 0\n"
            let matched = comparable.filter { matcher.matches($0) }
            yaml += matched.isEmpty ? "        exp_samples: []\n" : "        exp_samples:\n"
            for v in matched { yaml += "          - labels: \(series(v))\n            value: 1\n" }
        }
        let (status, output) = try PromtoolCrossCheck.runPromtool(promtool, ["test", "rules"], on: yaml, named: "tests.yml")
        #expect(status == 0, "promtool disagrees:\n\(output)")
        #expect(pairs == 946)
    }
}
