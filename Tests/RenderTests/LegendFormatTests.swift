import Testing
@testable import Render

@Suite struct LegendFormatTests {
    let labels = ["__name__": "http_requests_total", "handler": "/api/login", "code": "500"]

    @Test func placeholdersTakeLabelValues() {
        #expect(LegendFormat.expand("{{handler}} ({{ code }})", labels: labels) == "/api/login (500)")
        #expect(LegendFormat.expand("P95", labels: labels) == "P95")
        #expect(LegendFormat.expand("{{missing}}x", labels: labels) == "x")
        #expect(LegendFormat.expand("broken {{handler", labels: labels) == "broken {{handler")
    }

    @Test func withoutAFormatTheLabelSetIsShown() {
        #expect(LegendFormat.expand(nil, labels: labels) == "http_requests_total{code=\"500\", handler=\"/api/login\"}")
        #expect(LegendFormat.expand("", labels: [:]) == "{}")
    }

    @Test func expansionIsBounded() {
        let long = String(repeating: "x", count: 5000)
        let result = LegendFormat.expand(String(repeating: "{{a}}", count: 100), labels: ["a": long])
        #expect(result.count == 1000)
    }
}
