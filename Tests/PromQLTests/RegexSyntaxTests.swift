import Foundation
import MetricsCore
import Testing
import TestSupport
@testable import PromQL

/// Regex matchers are RE2 as in Prometheus: what Prometheus rejects is rejected with its message.
/// The table holds promtool's verdicts (Debian's promtool, Prometheus 2.42); `promtoolAgrees` checks
/// them against the installed promtool, so the table cannot drift from the real thing.
@Suite struct RegexSyntaxTests {
    /// Pattern, and the message after `error parsing regexp: ` (nil: accepted).
    static let table: [(String, String?)] = [
        (#"api"#, nil),
        (#"a.b"#, nil),
        (#"(?=a)"#, #"invalid or unsupported Perl syntax: `(?=`"#),
        (#"(?!a)"#, #"invalid or unsupported Perl syntax: `(?!`"#),
        (#"(?<=a)b"#, #"invalid or unsupported Perl syntax: `(?<`"#),
        (#"(?<!a)b"#, #"invalid or unsupported Perl syntax: `(?<`"#),
        (#"(?<name>a)"#, #"invalid or unsupported Perl syntax: `(?<`"#),
        (#"(?P<name>a)"#, nil),
        (#"(?P<a>x)(?P<a>y)"#, nil),
        (#"(?P<1x>a)"#, nil),
        (#"(?P<>a)"#, #"invalid named capture: `(?P<>`"#),
        (#"(?P<a"#, #"invalid named capture: `(?P<a)$`"#),
        (#"(?P=a)"#, #"invalid or unsupported Perl syntax: `(?P`"#),
        (#"(?>a)"#, #"invalid or unsupported Perl syntax: `(?>`"#),
        (#"(?#c)"#, #"invalid or unsupported Perl syntax: `(?#`"#),
        (#"(?i)api"#, nil),
        (#"(?i:a)b"#, nil),
        (#"(?-i)a"#, nil),
        (#"(?-)a"#, #"invalid or unsupported Perl syntax: `(?-)`"#),
        (#"(?i-)a"#, #"invalid or unsupported Perl syntax: `(?i-)`"#),
        (#"(?)a"#, nil),
        (#"(?"#, #"missing closing ): `^(?:(?)$`"#),
        (#"(?i"#, #"missing closing ): `^(?:(?i)$`"#),
        (#"(?z)"#, #"invalid or unsupported Perl syntax: `(?z`"#),
        (#"a++"#, #"invalid nested repetition operator: `++`"#),
        (#"a*+"#, #"invalid nested repetition operator: `*+`"#),
        (#"a?+"#, #"invalid nested repetition operator: `?+`"#),
        (#"a{2}+"#, #"invalid nested repetition operator: `{2}+`"#),
        (#"a**"#, #"invalid nested repetition operator: `**`"#),
        (#"a*?*"#, #"invalid nested repetition operator: `*?*`"#),
        (#"a{2}{3}"#, #"invalid nested repetition operator: `{2}{3}`"#),
        (#"a*(?i)*"#, nil),
        (#"*a"#, #"missing argument to repetition operator: `*`"#),
        (#"a|*"#, #"missing argument to repetition operator: `*`"#),
        (#"(*)"#, #"missing argument to repetition operator: `*`"#),
        (#"(?i)*"#, #"missing argument to repetition operator: `*`"#),
        (#"^*"#, nil),
        (#"a{1001}"#, #"invalid repeat count: `{1001}`"#),
        (#"a{1000}"#, nil),
        (#"a{2,1}"#, #"invalid repeat count: `{2,1}`"#),
        (#"a{,5}"#, nil),
        (#"a{01}"#, nil),
        (#"a{1,1000}"#, nil),
        (#"(a{500}){3}"#, #"invalid repeat count: `{3}`"#),
        (#"(a{10}){100}"#, nil),
        (#"((a{10}){10}){10}"#, nil),
        (#"((a{10}){10}){11}"#, #"invalid repeat count: `{11}`"#),
        (#"a{0}{2}"#, #"invalid nested repetition operator: `{0}{2}`"#),
        (#"a)"#, #"unexpected ): `^(?:a))$`"#),
        (#"(a"#, #"missing closing ): `^(?:(a)$`"#),
        (#"a)(b"#, #"unexpected ): `a)(b`"#),
        (#"(a))"#, #"unexpected ): `^(?:(a)))$`"#),
        (#"[a"#, #"missing closing ]: `[a)$`"#),
        (#"[a-"#, #"invalid character class range: `a-)`"#),
        (#"[z-a]"#, #"invalid character class range: `z-a`"#),
        (#"[a-\d]"#, #"invalid escape sequence: `\d`"#),
        (#"[[:alpha:]]"#, nil),
        (#"[[:foo:]]"#, #"invalid character class range: `[:foo:]`"#),
        (#"[[:^digit:]x]"#, nil),
        (#"[]a]"#, nil),
        (#"[^]a]"#, nil),
        (#"[a-]"#, nil),
        (#"\1"#, #"invalid escape sequence: `\1`"#),
        (#"\12"#, nil),
        (#"\0"#, nil),
        (#"\8"#, #"invalid escape sequence: `\8`"#),
        (#"\x41"#, nil),
        (#"\x4g"#, #"invalid escape sequence: `\x4g`"#),
        (#"\x"#, #"invalid escape sequence: `\x)$`"#),
        (#"\x{41}"#, nil),
        (#"\x{110000}"#, #"invalid escape sequence: `\x{110000`"#),
        (#"\x{}"#, #"invalid escape sequence: `\x{}`"#),
        (#"\xg"#, #"invalid escape sequence: `\xg)`"#),
        (#"\C"#, #"invalid escape sequence: `\C`"#),
        (#"\Z"#, #"invalid escape sequence: `\Z`"#),
        (#"\z"#, nil),
        (#"\A"#, nil),
        (#"\Qa.b\E"#, nil),
        (#"\Qa.b"#, #"missing closing ): `^(?:\Qa.b)$`"#),
        (#"\pL"#, nil),
        (#"\p{Greek}"#, nil),
        (#"\p{greek}"#, #"invalid character class range: `\p{greek}`"#),
        (#"\p{^Greek}"#, nil),
        (#"\PL"#, nil),
        (#"\p{Foo}"#, #"invalid character class range: `\p{Foo}`"#),
        (#"\p{L"#, #"invalid character class range: `\p{L)$`"#),
        (#"\pZ"#, nil),
        (#"\p"#, #"invalid character class range: `\p)`"#),
        (#"\d\D\s\S\w\W"#, nil),
        (#"\é"#, #"invalid escape sequence: `\é`"#),
        (#"\-"#, nil),
        (#"\_"#, nil),
        (#"\b"#, nil),
        (#"\B"#, nil),
        (#"[\b]"#, #"invalid escape sequence: `\b`"#),
        (#"[\Q]"#, #"invalid escape sequence: `\Q`"#),
        (#"a\"#, #"missing closing ): `^(?:a\)$`"#),
        (#"\k<a>"#, #"invalid escape sequence: `\k`"#),
        (#"\g1"#, #"invalid escape sequence: `\g`"#),
        (#"\cA"#, #"invalid escape sequence: `\c`"#),
        (#"\e"#, #"invalid escape sequence: `\e`"#),
        (#"\N{U+41}"#, #"invalid escape sequence: `\N`"#),
        (#"\h"#, #"invalid escape sequence: `\h`"#),
        (#"\R"#, #"invalid escape sequence: `\R`"#),
        (#"\X"#, #"invalid escape sequence: `\X`"#),
        (#"\G"#, #"invalid escape sequence: `\G`"#),
        (#"[[:word:]]"#, nil),
        (#"[[:blank:]"#, #"missing closing ]: `[[:blank:])$`"#),
        (#"(?U)a+"#, nil),
        (#"(?s)."#, nil),
        (#"(?m)^a$"#, nil),
        (#"(?ims-U:a)"#, nil),
    ] + depthCases

    /// Go bounds the parse tree's height at 1000; non-capturing groups add no node.
    static let depthCases: [(String, String?)] = {
        let nest = { (open: String, n: Int) in String(repeating: open, count: n) + "a" + String(repeating: ")", count: n) }
        return [
            (nest("(", 998), nil),
            (nest("(", 999), "expression nests too deeply: `^(?:" + nest("(", 999) + ")$`"),
            (nest("(?:", 1000), nil),
        ]
    }()

    static func expression(_ pattern: String) -> String { "up{job=~" + StringLiteral.quote(pattern) + "}" }

    static func expectedError(_ reason: String) -> String { "1:4: parse error: error parsing regexp: " + reason }

    @Test func lookoutRejectsWhatPrometheusRejectsWithItsMessage() {
        for (pattern, reason) in Self.table {
            let result = Result { () throws(PromQLParseError) in try PromQLParser.parse(Self.expression(pattern)) }
            switch (result, reason) {
            case (.success, nil): break
            case (.failure(let error), let reason?):
                #expect(error.description == Self.expectedError(reason), "pattern \(pattern)")
            case (.success, let reason?):
                Issue.record("accepted \(pattern), Prometheus says: \(reason)")
            case (.failure(let error), nil):
                Issue.record("rejected \(pattern), which Prometheus accepts: \(error)")
            }
        }
    }

    @Test func promtoolAgrees() throws {
        guard let promtool = try Tools.require("promtool", for: "RegexSyntaxTests.promtoolAgrees") else { return }
        var yaml = "groups:\n- name: g\n  rules:\n"
        for (k, (pattern, _)) in Self.table.enumerated() {
            let expr = Self.expression(pattern).replacingOccurrences(of: "'", with: "''")
            yaml += "  - record: r\(k)\n    expr: '\(expr)'\n"
        }
        let (status, output) = try PromtoolCrossCheck.runPromtool(promtool, ["check", "rules"], on: yaml, named: "rules.yml")
        #expect(status == 1, "promtool check rules: \(output)")
        var reported: [Int: String] = [:]
        for line in output.split(separator: "\n") {
            guard let r = line.range(of: "\"r"), let colon = line.range(of: "\": could not parse expression: ") else { continue }
            if let k = Int(line[r.upperBound..<colon.lowerBound]) { reported[k] = String(line[colon.upperBound...]) }
        }
        for (k, (pattern, reason)) in Self.table.enumerated() {
            #expect(reported[k] == reason.map(Self.expectedError), "pattern \(pattern)")
        }
    }
}
