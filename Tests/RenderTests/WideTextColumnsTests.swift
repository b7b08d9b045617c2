import Testing
@testable import Render

/// Columns measured in terminal cells, not characters: CJK and emoji take two cells each, so a
/// column of wide text must not push the next column out of line (nor be cut mid-character).
/// In `lines`, a wide character stands for its two cells, so aligned rows have equal display widths.
@Suite struct WideTextColumnsTests {
    let table = PanelData(title: "接口 🚀", kind: .table, unit: .seconds,
                          table: TableData(columns: ["端点", "p95"], rows: [
                              [.text("/登录页面"), .number(0.382)], [.text("/upload"), .number(1.21)],
                              [.text("🔥hot"), .number(3.18)],
                          ]))

    @Test func tableColumnsLineUpWithWideText() {
        let buffer = draw(table, width: 22, height: 6)
        #expect(buffer.lines == [
            "┌ 接口 🚀 ───────────┐",
            "│ 端点          p95  │",
            "│ /登录页面  382 ms  │",
            "│ /upload    1.21 s  │",
            "│ 🔥hot      3.18 s  │",
            "└────────────────────┘",
        ])
        #expect(buffer.lines.allSatisfy { Sanitize.width($0) == 22 })
    }

    /// A wide character that would straddle the cut goes whole: `/登` does not fit in 2 columns + `…`.
    @Test func narrowTableCutsWideTextOnCharacterBoundaries() {
        let buffer = draw(table, width: 15, height: 6)
        #expect(buffer.lines[2] == "│ /…   382 ms │")
        #expect(buffer.lines[4] == "│ 🔥…  3.18 s │")
        #expect(buffer.lines.allSatisfy { Sanitize.width($0) == 15 })
    }

    let alerts = PanelData(title: "告警", kind: .alerts, alerts: [
        AlertRow(state: .firing, severity: "严重", name: "错误率过高", sinceSeconds: 180, valueText: "4.9 %"),
        AlertRow(state: .pending, severity: "warning", name: "Cache🧊Low", sinceSeconds: 40, valueText: "78 %"),
    ])

    @Test func alertColumnsLineUpWithWideText() {
        let buffer = draw(alerts, width: 50, height: 4)
        #expect(buffer.lines == [
            "┌ 告警 ──────────────────────────────────────────┐",
            "│ FIRING    严重     错误率过高   3m  4.9 %      │",
            "│ pending   warning  Cache🧊Low  40s   78 %      │",
            "└────────────────────────────────────────────────┘",
        ])
        #expect(buffer.lines.allSatisfy { Sanitize.width($0) == 50 })
    }

    /// Wrapping counts cells: a long CJK word breaks every two characters in four columns, and a
    /// column narrower than one wide character still advances (one character per line, no hang).
    @Test func wrappingBreaksWideWordsByColumns() {
        #expect(StateText.wrap("错误率过高", width: 4, maxLines: 5) == ["错误", "率过", "高"])
        #expect(StateText.wrap("错误 率", width: 1, maxLines: 5) == ["错", "误", "率"])
        #expect(StateText.wrap("连接 超时 太多", width: 5, maxLines: 1) == ["连接…"])
        #expect(StateText.wrap("a 连接超时", width: 6, maxLines: 1) == ["a …"])
    }

    /// Gauge bars: the name column is as wide in cells as its widest name, so every bar starts in the
    /// same column whether the names are CJK, emoji or ASCII.
    @Test func gaugeBarsStartInOneColumnWithWideNames() {
        let pools = PanelData(title: "连接池", kind: .gauge,
                              series: [series("主库", [42]), series("db-2", [90]), series("🐘pg", [10])], max: 100)
        let buffer = draw(pools, width: 26, height: 5)
        #expect(buffer.lines == [
            "┌ 连接池 ────────────────┐",
            "│ 主库 ██████░░░░░░░░ 42 │",
            "│ db-2 █████████████░ 90 │",
            "│ 🐘pg █░░░░░░░░░░░░░ 10 │",
            "└────────────────────────┘",
        ])
        #expect(buffer.lines.allSatisfy { Sanitize.width($0) == 26 })
        let barStarts = buffer.lines[1...3].map { line in
            Sanitize.width(String(line.prefix { $0 != "█" && $0 != "░" }))
        }
        #expect(barStarts == [7, 7, 7])
    }
}
