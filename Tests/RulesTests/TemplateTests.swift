import Testing
@testable import Rules

/// Expected strings are what Prometheus (Go's fmt and Prometheus' template functions) prints.
struct TemplateTests {
    private func expand(_ text: String, value: Double = 0, labels: [String: String] = [:],
                        external: [String: String] = [:]) -> String {
        AlertTemplate.expand(text, data: TemplateData(labels: labels, value: value, externalLabels: external,
                                                      externalURL: "http://lookout"))
    }

    @Test func valueIsPrintedLikeGo() {
        #expect(expand("{{ $value }}", value: 0.025) == "0.025")
        #expect(expand("{{ $value }}", value: 2) == "2")
        #expect(expand("{{ $value }}", value: 100000) == "100000")
        #expect(expand("{{ $value }}", value: 1234567) == "1.234567e+06")
        #expect(expand("{{ $value }}", value: 0.0001) == "0.0001")
        #expect(expand("{{ $value }}", value: 0.00001) == "1e-05")
        #expect(expand("{{ $value }}", value: -1.5) == "-1.5")
        #expect(expand("{{ $value }}", value: .nan) == "NaN")
        #expect(expand("{{ $value }}", value: .infinity) == "+Inf")
        #expect(expand("{{ .Value }}s", value: 0.75) == "0.75s")
    }

    @Test func labelsByVariableAndField() {
        let labels = ["instance": "db-1:9100", "job": "node"]
        #expect(expand("on {{ $labels.instance }}", labels: labels) == "on db-1:9100")
        #expect(expand("{{ .Labels.job }}/{{ $labels.missing }}/", labels: labels) == "node//")
        #expect(expand("{{ $externalLabels.cluster }} {{ $externalURL }}", external: ["cluster": "eu"]) == "eu http://lookout")
        #expect(expand("{{ index $labels \"job\" }}", labels: labels) == "node")
        #expect(expand("{{ $labels }}", labels: labels) == "map[instance:db-1:9100 job:node]")
    }

    @Test func humanize() {
        #expect(expand("{{ humanize $value }}", value: 0) == "0")
        #expect(expand("{{ $value | humanize }}", value: 1_000_000) == "1M")
        #expect(expand("{{ $value | humanize }}", value: 1_234_567) == "1.235M")
        #expect(expand("{{ $value | humanize }}", value: 0.001) == "1m")
        #expect(expand("{{ $value | humanize }}", value: 0.000_002_5) == "2.5u")
        #expect(expand("{{ $value | humanize }}", value: -2000) == "-2k")
        #expect(expand("{{ $value | humanize }}", value: 12.345) == "12.35")
        #expect(expand("{{ $value | humanize }}", value: .infinity) == "+Inf")
        #expect(expand("{{ \"2048\" | humanize }}") == "2.048k")
    }

    @Test func humanize1024() {
        #expect(expand("{{ $value | humanize1024 }}", value: 1024) == "1ki")
        #expect(expand("{{ $value | humanize1024 }}", value: 1_572_864) == "1.5Mi")
        #expect(expand("{{ $value | humanize1024 }}", value: 0.5) == "0.5")
        #expect(expand("{{ $value | humanize1024 }}", value: 1000) == "1000")
    }

    @Test func humanizeDuration() {
        #expect(expand("{{ $value | humanizeDuration }}", value: 0) == "0s")
        #expect(expand("{{ $value | humanizeDuration }}", value: 0.975) == "975ms")
        #expect(expand("{{ $value | humanizeDuration }}", value: 0.000_001) == "1us")
        #expect(expand("{{ $value | humanizeDuration }}", value: 1.5) == "1.5s")
        #expect(expand("{{ $value | humanizeDuration }}", value: 60) == "1m 0s")
        #expect(expand("{{ $value | humanizeDuration }}", value: 3600) == "1h 0m 0s")
        #expect(expand("{{ $value | humanizeDuration }}", value: 90061) == "1d 1h 1m 1s")
        #expect(expand("{{ $value | humanizeDuration }}", value: -61) == "-1m 1s")
    }

    @Test func humanizePercentageAndTimestamp() {
        #expect(expand("{{ $value | humanizePercentage }}", value: 0.02) == "2%")
        #expect(expand("{{ $value | humanizePercentage }}", value: 0.123_456_7) == "12.35%")
        #expect(expand("{{ $value | humanizePercentage }}", value: 0.5) == "50%")
        #expect(expand("{{ $value | humanizeTimestamp }}", value: 1_700_000_000.5) == "2023-11-14 22:13:20.5 +0000 UTC")
    }

    @Test func printf() {
        #expect(expand("{{ printf \"%.2f\" $value }}", value: 3.14159) == "3.14")
        #expect(expand("{{ $value | printf \"%.1f\" }}ms", value: 250) == "250.0ms")
        #expect(expand("{{ printf \"%d items\" 3 }}") == "3 items")
        #expect(expand("{{ printf \"%s=%q\" \"a\" \"b\" }}") == "a=\"b\"")
        #expect(expand("{{ printf \"%6.2f|%-4d|%05d\" $value 7 -42 }}", value: 2.5) == "  2.50|7   |-0042")
        #expect(expand("{{ printf \"%g %e\" $value $value }}", value: 1234567) == "1.234567e+06 1.234567e+06")
        #expect(expand("{{ printf \"%d\" $value }}", value: 1.5) == "%!d(float64=1.5)")
        #expect(expand("{{ printf \"%v%%\" $value }}", value: 12) == "12%")
    }

    @Test func stringFunctionsAndParentheses() {
        #expect(expand("{{ toUpper \"warn\" }} {{ \"DB\" | toLower }} {{ title \"high memory\" }}") == "WARN db High Memory")
        #expect(expand("{{ stripPort $labels.instance }}", labels: ["instance": "db-1:9100"]) == "db-1")
        #expect(expand("{{ humanizePercentage (printf \"%.3f\" $value) }}", value: 0.12345) == "12.3%")
        #expect(expand("{{ reReplaceAll \"(.*):.*\" \"$1\" $labels.instance }}", labels: ["instance": "h:1"]) == "h")
    }

    @Test func trimMarkersAndComments() {
        #expect(expand("a  {{- $value -}}  b", value: 1) == "a1b")
        #expect(expand("x{{/* a comment */}}y") == "xy")
        #expect(expand("no actions at all") == "no actions at all")
        #expect(expand("raw {{ `a\"b` }}") == "raw a\"b")
    }

    @Test func errorsAreShownInTheText() {
        let prefix = "<error expanding template: template: "
        #expect(expand("{{ $value | nosuch }}") == prefix + "12: function \"nosuch\" not defined>")
        #expect(expand("{{ humanize \"abc\" }}")
                == prefix + "3: error calling humanize: strconv.ParseFloat: parsing \"abc\": invalid syntax>")
        #expect(expand("{{ $value") == prefix + "0: unclosed action>")
        #expect(expand("{{ if $value }}x{{ end }}") == prefix + "3: \"if\" is not supported in Lookout templates>")
        #expect(expand("{{ $value.x }}") == prefix + "3: can't evaluate field x in type float64>")
        #expect(expand("{{ $nope }}") == prefix + "3: undefined variable \"$nope\">")
    }

    @Test func parseReportsOffsets() throws {
        let error = #expect(throws: TemplateError.self) { try AlertTemplate.parse("abc {{ nosuch }}") }
        #expect(error?.offset == 7)
    }

    @Test func parenthesesNestUpToTheLimit() {
        let depth = TemplateParser.maxDepth
        let text = "{{ " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + " }}"
        #expect(expand(text) == "1")
    }

    /// Without the bound, `{{((((…` from a shared rule file overflows the stack and kills the process.
    @Test func deepParenthesesAreAClearErrorNotAStackOverflow() {
        let tooDeep = "{{ " + String(repeating: "(", count: TemplateParser.maxDepth + 1) + "1 }}"
        let error = #expect(throws: TemplateError.self) { try AlertTemplate.parse(tooDeep) }
        #expect(error == TemplateError(message: "parentheses nested too deeply (more than 100 levels)",
                                       offset: 3 + TemplateParser.maxDepth))
        let hostile = "{{" + String(repeating: "(", count: 200_000)
        #expect(expand(hostile) == "<error expanding template: template: 102: parentheses nested too deeply (more than 100 levels)>")
    }

    @Test func hostileWidthIsBounded() {
        let out = expand("{{ printf \"%999999999d\" 1 }}")
        #expect(out.count == GoPrintf.maxWidth)
    }
}
