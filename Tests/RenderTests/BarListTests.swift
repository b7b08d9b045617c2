import Testing
@testable import Render

@Suite struct BarListTests {
    let filesystems = PanelData(title: "Filesystems", kind: .barList(share: false),
                                series: [series("/", [40]), series("/home", [80]), series("/boot", [20])])

    @Test func largestFirstOnOneScale() {
        #expect(draw(filesystems, width: 30, height: 5).lines == [
            "┌ Filesystems ───────────────┐",
            "│ /home █████████████████ 80 │",
            "│ /     █████████░░░░░░░░ 40 │",
            "│ /boot ████░░░░░░░░░░░░░ 20 │",
            "└────────────────────────────┘",
        ])
    }

    @Test func pieChartsShowEachShareOfTheTotal() {
        var pie = filesystems
        pie.kind = .barList(share: true)
        #expect(draw(pie, width: 30, height: 5).lines == [
            "┌ Filesystems ───────────────┐",
            "│ /home █████████████ 80 57% │",
            "│ /     ███████░░░░░░ 40 29% │",
            "│ /boot ███░░░░░░░░░░ 20 14% │",
            "└────────────────────────────┘",
        ])
    }

    @Test func moreSeriesThanLinesAreCounted() {
        #expect(draw(filesystems, width: 30, height: 4).lines == [
            "┌ Filesystems ───────────────┐",
            "│ /home █████████████████ 80 │",
            "│ +2 more                    │",
            "└────────────────────────────┘",
        ])
    }

    @Test func mappedTextReplacesTheValue() {
        var full = filesystems
        full.series = [series("/", [1]), series("/tmp", [0.5])]
        full.series[0].displayText = "full"
        let lines = draw(full, width: 30, height: 4).lines
        #expect(lines[1] == "│ /    ████████████████ full │")
        #expect(lines[2] == "│ /tmp ████████░░░░░░░░  0.5 │")
    }
}

@Suite struct WrappedTextTests {
    @Test func textPanelsWrapAtWords() {
        let notes = PanelData(title: "Notes", kind: .text,
                              text: "About\nThis row lists the filesystems of every node.\n\n• one")
        #expect(draw(notes, width: 24, height: 8).lines == [
            "┌ Notes ───────────────┐",
            "│ About                │",
            "│ This row lists the   │",
            "│ filesystems of every │",
            "│ node.                │",
            "│                      │",
            "│ • one                │",
            "└──────────────────────┘",
        ])
        #expect(draw(notes, width: 24, height: 5).lines[3] == "│ filesystems of ever… │")
        #expect(draw(notes, width: 24, height: 4).lines[2] == "│ This row lists the … │")
    }
}
