import Testing
@testable import Render

@Suite struct PanelStateTests {
    let health = PanelData(title: "Health", kind: .stat, series: [series("score", [70, 67.5])])

    func with(_ state: PanelState) -> PanelData {
        var panel = health
        panel.state = state
        return panel
    }

    @Test func errorIsShownInRedInsideThePanel() {
        let buffer = draw(with(.error("timeout after 2s")), width: 24, height: 5)
        #expect(buffer.lines == [
            "┌ Health ──────────────┐",
            "│ error: timeout after │",
            "│          2s          │",
            "│                      │",
            "└──────────────────────┘",
        ])
        #expect(buffer[2, 1].style.fg == .red)
    }

    @Test func noDataAndLoadingAreSaidNeverBlank() {
        #expect(draw(with(.noData), width: 16, height: 3).lines == ["┌ Health ──────┐", "│   no data    │", "└──────────────┘"])
        #expect(draw(with(.loading), width: 16, height: 3).lines == ["┌ Health ──────┐", "│   loading…   │", "└──────────────┘"])
        #expect(draw(with(.loading), width: 16, height: 3, caps: .ascii).lines[1] == "|   loading~   |")
    }

    @Test func staleKeepsTheLastValueDimmed() {
        let buffer = draw(with(.stale(ageSeconds: 42)), width: 20, height: 5)
        #expect(buffer.lines == [
            "┌ Health ──────────┐",
            "│         stale 42s│",
            "│       67.5  ▼ 2.5│",
            "│               █▁ │",
            "└──────────────────┘",
        ])
        #expect(buffer[8, 2].style.attributes.contains(.dim))
        #expect(buffer[10, 1].style.fg == .yellow)
    }

    @Test func unsupportedTypesArePlaceholdersNamingTheType() {
        var panel = health
        panel.kind = .placeholder("piechart")
        #expect(draw(panel, width: 24, height: 5).lines == [
            "┌ Health ──────────────┐",
            "│  unsupported panel   │",
            "│    type: piechart    │",
            "│                      │",
            "└──────────────────────┘",
        ])
    }

    @Test func rowHeaderAndTextPanel() {
        var row = health
        row.kind = .row
        row.title = "Database"
        #expect(draw(row, width: 24, height: 1).lines == ["── Database ────────────"])
        var text = health
        text.kind = .text
        text.title = "Notes"
        text.text = "Runbook:\n\u{1b}[31mcall ops\u{1b}[0m\nline three is long"
        #expect(draw(text, width: 16, height: 5).lines == [
            "┌ Notes ───────┐",
            "│ Runbook:     │",
            "│ call ops     │",
            "│ line three … │",
            "└──────────────┘",
        ])
    }

    @Test func selectedPanelsGetAHeavierFrame() {
        #expect(draw(health, width: 20, height: 3, selected: true).lines == [
            "┏ Health ━━━━━━━━━━┓",
            "┃ 67.5          █▁ ┃",
            "┗━━━━━━━━━━━━━━━━━━┛",
        ])
        #expect(draw(health, width: 20, height: 3, selected: true, caps: .ascii).lines == [
            "# Health ==========#",
            "# 67.5          #_ #",
            "#==================#",
        ])
    }

    @Test func hostileTitlesAndErrorsAreSanitised() {
        var panel = with(.error("\u{1b}[2J\u{1b}]0;pwned\u{07}HTTP 503"))
        panel.title = "\u{202E}evil\u{1b}[5m"
        let buffer = draw(panel, width: 24, height: 4)
        #expect(buffer.lines[0] == "┌ evil ────────────────┐")
        #expect(buffer.lines[1] == "│   error: HTTP 503    │")
        for scalar in allScalars(buffer) {
            #expect(scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80...0x9F).contains(scalar.value))
            #expect(scalar.value != 0x202E)
        }
    }

    @Test func tinyPanelsStillNameThemselves() {
        #expect(draw(health, width: 8, height: 2).lines == ["Health  ", "  67.5  "])
        #expect(draw(health, width: 3, height: 1).lines == ["He…"])
    }
}
