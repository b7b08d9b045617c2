import Testing
@testable import Render

@Suite struct GraphTests {
    let latency = PanelData(title: "Latency", kind: .graph, series: [
        series("P50", [0.3, 0.4, 0.412]), series("P95", [0.9, 1.2, 1.14]), series("P99", [1.5, 2.2, 1.92]),
    ], unit: .seconds)

    let errors = PanelData(title: "Errors", kind: .graph, series: [series("err", [0, 1, 2, 3, 4, 3, 2, 1])],
                           unit: .percent,
                           thresholds: [ThresholdStep(value: nil, color: .green), ThresholdStep(value: 2.5, color: .red)])

    @Test func shortPanelsBecomeSparklinesOnOneScale() {
        #expect(draw(latency, width: 30, height: 5).lines == [
            "┌ Latency ───────────────────┐",
            "│ P50             ▁▁▁ 412 ms │",
            "│ P95             ▃▄▄ 1.14 s │",
            "│ P99             ▅█▇ 1.92 s │",
            "└────────────────────────────┘",
        ])
        #expect(draw(latency, width: 30, height: 5, caps: .ascii).lines == [
            "+ Latency -------------------+",
            "| P50             ___ 412 ms |",
            "| P95             .-- 1.14 s |",
            "| P99             =#= 1.92 s |",
            "+----------------------------+",
        ])
    }

    @Test func crowdedPanelsUseSparklinesWithTimeLabelsBeneath() {
        var windowed = latency
        windowed.timeWindow = TimeWindow(startMs: 1_700_000_000_000, endMs: 1_700_000_000_000 + 120_000)
        #expect(draw(windowed, width: 40, height: 7).lines == [
            "┌ Latency ─────────────────────────────┐",
            "│ P50 ▁           ▁           ▁ 412 ms │",
            "│ P95 ▃           ▄           ▄ 1.14 s │",
            "│ P99 ▅           █           ▇ 1.92 s │",
            "│         22:14:00         (2m)        │",
            "│                                      │",
            "└──────────────────────────────────────┘",
        ])
    }

    @Test func brailleGraphWithAxesThresholdAndLegend() {
        #expect(draw(errors, width: 24, height: 9).lines == [
            "┌ Errors ──────────────┐",
            "│4 %         ⢀⠔⠑⢄      │",
            "│    ⡀⡀⡀⡀⡀⡀⢀⠔⠁⡀⡀⡀⠑⢄⡀⡀⡀⡀│",
            "│2 %     ⢀⠔⠁       ⠑⢄  │",
            "│      ⡠⠊⠁           ⠉⠢│",
            "│0 % ⡠⠊                │",
            "│                  (7m)│",
            "│ ● err 1 %            │",
            "└──────────────────────┘",
        ])
    }

    @Test func asciiGraphFallback() {
        #expect(draw(errors, width: 24, height: 9, caps: .ascii).lines == [
            "+ Errors --------------+",
            "|4 %          **       |",
            "|           **  ***    |",
            "|2 % ----***-------**--|",
            "|      **            **|",
            "|0 % **                |",
            "|                  (7m)|",
            "| * err 1 %            |",
            "+----------------------+",
        ])
    }

    @Test func thresholdLineUsesTheThresholdColourAndSeriesAFixedCalmColour() {
        let buffer = draw(errors, width: 24, height: 9)
        #expect(buffer[5, 2].style.fg == .red)  // dashed threshold dot in an empty cell
        #expect(buffer[5, 5].style.fg == Palette.series(0, caps: .full))
        #expect(Palette.series(0, caps: .full) != .red && Palette.series(1, caps: .full) != .green)
    }

    @Test func zoomedLegendListsLastMinMaxMean() {
        let lines = draw(latency, width: 70, height: 16, zoomed: true).lines
        #expect(lines[12] == "│ ● P50  last 412 ms  min 300 ms  max 412 ms  mean 371 ms            │")
        #expect(lines[14] == "│ ● P99  last 1.92 s  min 1.5 s  max 2.2 s  mean 1.87 s              │")
    }

    @Test func gapsInTheDataBreakTheLine() {
        // Points at 0, 1, 2 min, then nothing until 9 min: the long gap is not bridged.
        let gappy = SeriesData(name: "x", points: [0, 1, 2, 9, 10].map {
            DataPoint(t: 1_700_000_000_000 + Int64($0) * 60_000, v: 1)
        })
        var panel = errors
        panel.series = [gappy]
        panel.thresholds = []
        #expect(draw(panel, width: 24, height: 9).lines[3] == "│  1 % ⠤⠤⠤⠄          ⠤⠤│")
    }
}
