import Foundation
import PromQL
import Testing
@testable import Rules

struct RuleFileLoaderTests {
    private func errors(_ text: String) -> [RuleFileError] { RuleFileLoader.parse(text, file: "r.yml").errors }

    @Test func parsesGroupsAndRules() throws {
        let (groups, errs) = RuleFileLoader.parse("""
            groups:
              - name: g1
                interval: 5s
                rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                    labels: {team: a}
                  - alert: Down
                    expr: up == 0
                    for: 2m
                    keep_firing_for: 30s
                    labels:
                      severity: critical
                    annotations:
                      summary: "{{ $labels.job }} is down"
            """, file: "r.yml")
        #expect(errs.isEmpty)
        let g = try #require(groups.first)
        #expect(g.name == "g1" && g.interval == 5000 && g.rules.count == 2)
        #expect(g.rules[0].kind == .recording && g.rules[0].name == "job:up:sum")
        #expect(g.rules[0].labels.map(\.0) == ["team"])
        #expect(g.rules[1].kind == .alerting && g.rules[1].holdDuration == 120_000 && g.rules[1].keepFiringFor == 30_000)
        #expect(g.rules[1].annotations.first?.1 == "{{ $labels.job }} is down")
        #expect(g.rules[1].position.line == 8)
    }

    @Test func groupLabelsApplyToEveryRule() throws {
        let (groups, errs) = RuleFileLoader.parse("""
            groups:
              - name: g
                labels: {team: core, tier: db}
                query_offset: 10s
                rules:
                  - record: a
                    expr: up
                  - alert: B
                    expr: up == 0
                    labels: {tier: web}
            """, file: "r.yml")
        #expect(errs.isEmpty)
        let rules = try #require(groups.first?.rules)
        #expect(Dictionary(uniqueKeysWithValues: rules[0].labels) == ["team": "core", "tier": "db"])
        #expect(Dictionary(uniqueKeysWithValues: rules[1].labels) == ["team": "core", "tier": "web"])
    }

    @Test func unknownFieldHasItsPosition() {
        let e = errors("""
            groups:
              - name: g
                rules:
                  - alert: A
                    expr: up == 0
                    severity: page
            """)
        #expect(e.count == 1)
        #expect(e.first?.position == SourcePosition(file: "r.yml", line: 6, column: 9))
        #expect(e.first?.message.contains("field \"severity\" not found in rule") == true)
    }

    @Test func badDurationAndMissingFields() {
        let e = errors("""
            groups:
              - name: g
                interval: 5 seconds
                rules:
                  - alert: A
                    expr: up == 0
                    for: 5x
                  - record: r
                  - expr: up
                  - record: r2
                    alert: A2
                    expr: up
            """)
        #expect(e.map(\.position.line) == [3, 7, 8, 9, 10])
        #expect(e.map(\.message) == [
            "group interval: invalid duration \"5 seconds\" (expected e.g. 500ms, 5s, 15m, 1h30m)",
            "for: invalid duration \"5x\" (expected e.g. 500ms, 5s, 15m, 1h30m)",
            "field \"expr\" must be set in rule \"r\"",
            "one of \"record\" or \"alert\" must be set",
            "only one of \"record\" and \"alert\" must be set",
        ])
    }

    @Test func recordingRuleRestrictions() {
        let e = errors("""
            groups:
              - name: g
                rules:
                  - record: 1bad
                    expr: up
                  - record: ok
                    expr: up
                    for: 1m
                    annotations: {a: b}
                  - record: ok2
                    expr: up
                    labels: {"bad-name": x}
            """)
        #expect(e.map(\.position.line) == [4, 8, 9, 12])
        #expect(e.map(\.message) == [
            "invalid recording rule name \"1bad\"", "invalid field \"for\" in recording rule",
            "invalid field \"annotations\" in recording rule", "invalid label name \"bad-name\"",
        ])
    }

    @Test func promqlErrorPointsIntoTheFile() throws {
        let expr = "sum(rate(foo[5m])"
        let parseError = try #require(#expect(throws: PromQLParseError.self) { try PromQLParser.parse(expr) })
        let e = errors("""
            groups:
              - name: g
                rules:
                  - record: r
                    expr: \(expr)
            """)
        #expect(e.count == 1)
        // `expr: ` puts the scalar at column 15 of line 5.
        #expect(e.first?.position.line == 5)
        #expect(e.first?.position.column == 15 + parseError.column - 1)
        #expect(e.first?.message.contains("rule \"r\"") == true)
    }

    @Test func promqlErrorInLiteralBlock() throws {
        let second = "  / sum(rate(x[5m]) by (job)"
        let parseError = try #require(#expect(throws: PromQLParseError.self) {
            try PromQLParser.parse("sum(x)\n" + second + "\n")
        })
        #expect(parseError.line == 2)
        let e = errors("""
            groups:
              - name: g
                rules:
                  - record: r
                    expr: |
                      sum(x)
                      \(second)
            """)
        #expect(e.first?.position.line == 7)
        #expect(e.first?.position.column == 10 + parseError.column)
    }

    @Test func duplicatesAndGroupNames() {
        let e = errors("""
            groups:
              - name: g
                rules:
                  - alert: A
                    expr: up == 0
                  - alert: A
                    expr: up == 1
                  - alert: A
                    expr: up == 2
                    labels: {severity: page}
              - name: g
                rules: []
              - rules: []
            """)
        #expect(e.map(\.position.line) == [6, 11, 13])
        #expect(e.map(\.isLint) == [true, false, false])
        #expect(e[0].message.contains("duplicate rule \"A\"") && e[0].message.contains("line 4"))
        #expect(e[1].message.contains("repeated"))
        #expect(e[2].message.contains("must not be empty"))
    }

    /// Prometheus loads files with duplicate rules (promtool only lints them): so does Lookout.
    @Test func duplicatesAreALintNotALoadFailure() throws {
        let text = "groups:\n  - name: g\n    rules:\n      - {alert: A, expr: up == 0}\n      - {alert: A, expr: up == 1}\n"
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("d.yml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try RuleFileLoader.load(path: path).first?.rules.count == 2)
        let reports = RuleFileChecker.check(paths: [path])
        #expect(reports.first?.ok == true)
        #expect(RuleFileChecker.render(reports).contains("LINT: \(path):5:9: duplicate rule \"A\""))
    }

    @Test func yamlSyntaxErrorHasLine() {
        let e = errors("groups:\n  - name: g\n    rules: [\n")
        #expect(e.count == 1)
        #expect((e.first?.position.line ?? 0) >= 3)
        #expect(e.first?.message.hasPrefix("YAML error") == true)
    }

    @Test func templateErrorsAreReported() {
        let e = errors("""
            groups:
              - name: g
                rules:
                  - alert: A
                    expr: up == 0
                    annotations:
                      summary: "value {{ $value | nosuch }}"
            """)
        #expect(e.count == 1)
        #expect(e.first?.position.line == 7)
        #expect(e.first?.message.contains("function \"nosuch\" not defined") == true)
    }

    @Test func aliasExpansionIsBounded() {
        // One rule with 100 labels, referenced 3,000 times: 300,000 entries from a 20 kB file.
        let labels = (0..<100).map { "l\($0): v" }.joined(separator: ", ")
        let refs = Array(repeating: "*r", count: 3_000).joined(separator: ", ")
        let yaml = "groups: [{name: g, rules: [&r {record: x, expr: up, labels: {\(labels)}}, \(refs)]}]\n"
        let clock = ContinuousClock()
        let start = clock.now
        let e = errors(yaml)
        #expect(clock.now - start < .seconds(5))
        #expect(e.contains { $0.message.contains("more than 200000 entries") })
    }

    @Test func emptyFileHasNoGroups() {
        let (groups, errs) = RuleFileLoader.parse("", file: "e.yml")
        #expect(groups.isEmpty && errs.isEmpty)
        #expect(errors("- a\n- b\n").first?.message.contains("must be a mapping") == true)
    }

    @Test func shippedRuleFilesPassCheck() throws {
        let dir = try #require(RulesFixtures.rulesDirectory)
        let reports = RuleFileChecker.check(paths: RuleManager.expand([dir]))
        #expect(reports.count == 2)
        for r in reports { #expect(r.ok, "\(r.errors)") }
        #expect(reports.map(\.ruleCount).reduce(0, +) == 15)
        #expect(RuleFileChecker.render(reports).contains("SUCCESS: 10 rules found"))
    }

    @Test func healthScoreNamesMatchTheShippedRules() throws {
        let dir = try #require(RulesFixtures.rulesDirectory)
        let recorded = Set(try RuleFileLoader.load(path: dir + "/perfect21-health.yml").flatMap(\.rules).map(\.name))
        #expect(recorded.contains(HealthScore.series))
        for c in HealthScore.components { #expect(recorded.contains(c.series)) }
    }

    @Test func missingFileIsAnError() {
        let reports = RuleFileChecker.check(paths: ["/nonexistent/rules.yml"])
        #expect(reports.first?.ok == false)
        #expect(reports.first?.errors.first?.message == "cannot read file")
    }
}

/// Paths of the repository's shipped rules, found from this source file's location.
enum RulesFixtures {
    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    static var rulesDirectory: String? {
        let path = repositoryRoot + "/rules"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static var ruleTestFiles: [String] {
        guard let dir = rulesDirectory else { return [] }
        return RuleManager.expand([dir + "/tests"])
    }
}
