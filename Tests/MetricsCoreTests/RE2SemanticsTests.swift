import Testing
@testable import MetricsCore

/// Matchers mean what they mean in Prometheus (RE2, fully anchored, `.` across newlines), not what
/// ICU would make of the same text. `PromQLTests.RegexSemanticsPromtoolTests` checks these against promtool.
@Suite("RE2 semantics")
struct RE2SemanticsTests {
    private func matches(_ pattern: String, _ value: String) throws -> Bool {
        try LabelMatcher(.regexMatch, "v", pattern).matches(value)
    }

    @Test func anchoredAtTheVeryEnd() throws {
        // ICU's `$` also matches before a final newline; RE2's does not.
        #expect(try !matches("api", "api\n"))
        #expect(try !matches("ap.", "api\n"))
        #expect(try !matches("api$", "api\n"))
        #expect(try matches("api\n", "api\n"))
        #expect(try !matches("a", "ba"))
    }

    @Test func perlClassesAreASCII() throws {
        #expect(try !matches(#"\w"#, "é"))
        #expect(try matches(#"\W"#, "é"))
        #expect(try !matches(#"\d"#, "٣"))
        #expect(try !matches(#"\s"#, "\u{00A0}"))
        #expect(try matches(#"\s"#, "\u{000C}"))
        #expect(try !matches(#"\s"#, "\u{000B}"))
        #expect(try !matches("[[:alpha:]]", "é"))
        #expect(try matches("[[:^alpha:]]", "é"))
        #expect(try matches(#"\pL"#, "é"))
        #expect(try matches(#"\p{Greek}+"#, "λόγος"))
        #expect(try !matches(#"x\by"#, "xy"))
        #expect(try matches(#"é\b"#, "é") == false)
    }

    @Test func flagsAndDot() throws {
        #expect(try matches("a.b", "a\nb"))
        #expect(try !matches("(?-s:a.b)", "a\nb"))
        #expect(try matches("(?i)API", "api"))
        #expect(try !matches("(?i:a)B", "Ab"))
        #expect(try matches("(?m)a$\n^b", "a\nb"))
        #expect(try matches("(?U)a+", "aaa"))
        #expect(try matches(#"\Qa.b\E"#, "a.b"))
        #expect(try !matches(#"\Qa.b\E"#, "axb"))
        #expect(try matches(#"\x{e9}\x41\101\0"#, "éAA\u{0}"))
        #expect(try matches("[]a]+", "]a"))
        #expect(try matches("a*(?i)*", "aaa"))
        #expect(try !matches("a*(?i)*", "aA"))
    }

    @Test func rejectsWhatRE2Rejects() {
        for (pattern, message) in [
            ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
            (#"(a)\1"#, #"invalid escape sequence: `\1`"#),
            ("a++", "invalid nested repetition operator: `++`"),
            (#"\w\Z"#, #"invalid escape sequence: `\Z`"#),
        ] {
            #expect(throws: MatcherError(pattern: pattern, reason: message)) {
                try LabelMatcher(.regexMatch, "v", pattern)
            }
        }
    }

    @Test func pathologicalNestingIsBoundedNotACrash() {
        let deep = String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000)
        #expect(throws: MatcherError.self) { try LabelMatcher(.regexMatch, "v", deep) }
        let unclosed = String(repeating: "(", count: 100_000)
        #expect(throws: MatcherError.self) { try LabelMatcher(.regexMatch, "v", unclosed) }
    }
}
