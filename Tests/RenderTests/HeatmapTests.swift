import Testing
@testable import Render

/// The heatmap of classic buckets on literal buffers: colour ramp, density characters without colour,
/// and the bucket bounds read from `le` legends.
@Suite struct HeatmapTests {
    let start: Int64 = 1_700_000_000_000

    /// Cumulative buckets: most requests under 0.1 s at first, under 1 s later.
    func buckets() -> PanelData {
        PanelData(title: "Latency heatmap", kind: .heatmap, series: [
            series("0.1", [8, 8, 8, 1, 1, 1], start: start),
            series("{le=\"1\"}", [9, 9, 9, 9, 9, 9], start: start),
            series("+Inf", [10, 10, 10, 10, 10, 10], start: start),
        ], unit: .seconds, timeWindow: TimeWindow(startMs: start, endMs: start + 5 * 60_000))
    }

    @Test func densityCharactersWithoutColour() {
        let b = draw(buckets(), width: 40, height: 7, caps: TerminalCaps(unicode: true, colors: 0))
        #expect(b.lines == [
            "┌ Latency heatmap ─────────────────────┐",
            "│  +Inf ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░│",
            "│       ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░│",
            "│   1 s ░░░░░░░░░░░░░░░░░░█████████████│",
            "│100 ms ██████████████████░░░░░░░░░░░░░│",
            "│               22:15              (5m)│",
            "└──────────────────────────────────────┘",
        ])
    }

    @Test func colourRampWithFullBlocks() {
        let b = draw(buckets(), width: 40, height: 7)
        #expect(b.lines == [
            "┌ Latency heatmap ─────────────────────┐",
            "│  +Inf ███████████████████████████████│",
            "│       ███████████████████████████████│",
            "│   1 s ███████████████████████████████│",
            "│100 ms ███████████████████████████████│",
            "│               22:15              (5m)│",
            "└──────────────────────────────────────┘",
        ])
        // The busiest cell is the hottest colour of the ramp, a quiet one the coolest.
        #expect(b[8, 4].style.fg == .indexed(196))
        #expect(b[8, 2].style.fg == .indexed(18))
    }

    @Test func asciiFallbackAndBoundsFromLegends() {
        let b = draw(buckets(), width: 40, height: 7, caps: .ascii)
        #expect(b.lines == [
            "+ Latency heatmap ---------------------+",
            "|  +Inf :::::::::::::::::::::::::::::::|",
            "|       :::::::::::::::::::::::::::::::|",
            "|   1 s ::::::::::::::::::@@@@@@@@@@@@@|",
            "|100 ms @@@@@@@@@@@@@@@@@@:::::::::::::|",
            "|               22:15              (5m)|",
            "+--------------------------------------+",
        ])
        #expect(HeatmapWidget.upperBound("{le=\"0.25\"}") == 0.25)
        #expect(HeatmapWidget.upperBound("+Inf") == .infinity)
        #expect(HeatmapWidget.upperBound("P95") == nil)
    }
}
