import Testing
@testable import Render

@Suite struct TableAndAlertTests {
    let top = PanelData(title: "Top", kind: .table, unit: .seconds,
                        thresholds: [ThresholdStep(value: nil, color: .green), ThresholdStep(value: 1, color: .red)],
                        table: TableData(columns: ["endpoint", "p95"], rows: [
                            [.text("/login"), .number(0.382)], [.text("/upload"), .number(1.21)],
                            [.text("/report"), .number(3.18)],
                        ]))

    @Test func numbersAreRightAlignedInTheUnit() {
        let buffer = draw(top, width: 22, height: 6)
        #expect(buffer.lines == [
            "┌ Top ───────────────┐",
            "│ endpoint     p95   │",
            "│ /login    382 ms   │",
            "│ /upload   1.21 s   │",
            "│ /report   3.18 s   │",
            "└────────────────────┘",
        ])
        #expect(buffer[12, 2].style.fg == .green)
        #expect(buffer[12, 3].style.fg == .red)
    }

    @Test func rowsThatDoNotFitAreCounted() {
        #expect(draw(top, width: 22, height: 5).lines[3] == "│ +2 more            │")
    }

    @Test func narrowTablesShrinkTextColumnsFirst() {
        #expect(draw(top, width: 14, height: 6).lines[2] == "│ /…  382 ms │")
    }

    let alerts = PanelData(title: "Alerts", kind: .alerts, alerts: [
        AlertRow(state: .pending, severity: "warning", name: "LowCacheHitRate", sinceSeconds: 40,
                 summary: "cache hit rate below 80%", valueText: "78 %"),
        AlertRow(state: .firing, severity: "critical", name: "HighErrorRate", sinceSeconds: 180,
                 summary: "error rate 4.9%", valueText: "4.9 %"),
    ])

    @Test func firingFirstInRedPendingInYellow() {
        let buffer = draw(alerts, width: 52, height: 5)
        #expect(buffer.lines == [
            "┌ Alerts ──────────────────────────────────────────┐",
            "│ FIRING    critical  HighErrorRate     3m  4.9 %  │",
            "│ pending   warning   LowCacheHitRate  40s   78 %  │",
            "│                                                  │",
            "└──────────────────────────────────────────────────┘",
        ])
        #expect(buffer[2, 1].style.fg == .red)
        #expect(buffer[2, 2].style.fg == .yellow)
    }

    @Test func wideAlertListsShowTheSummary() {
        let line = draw(alerts, width: 90, height: 5).lines[1]
        #expect(line == "│ FIRING    critical  HighErrorRate     3m  4.9 %  error rate 4.9%"
                + String(repeating: " ", count: 23) + "│")
    }

    @Test func emptyAlertListSaysSo() {
        var none = alerts
        none.alerts = []
        let buffer = draw(none, width: 16, height: 3)
        #expect(buffer.lines[1] == "│ no alerts    │")
        #expect(buffer[2, 1].style.fg == .green)
    }

    @Test func moreAlertsThanRowsAreCounted() {
        var many = alerts
        many.alerts = (0..<5).map { AlertRow(state: .firing, severity: "page", name: "A\($0)", sinceSeconds: 5) }
        #expect(draw(many, width: 30, height: 4).lines[2] == "│ +4 more                    │")
    }
}
