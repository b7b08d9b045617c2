import Testing
@testable import Render

@Suite struct StatTests {
    let health = PanelData(title: "Health", kind: .stat, series: [series("score", [70, 67.5])],
                           thresholds: [ThresholdStep(value: nil, color: .red), ThresholdStep(value: 85, color: .green)])

    @Test func oneLineShowsValueAndTrend() {
        #expect(draw(health, width: 20, height: 3).lines == [
            "┌ Health ──────────┐",
            "│ 67.5          █▁ │",
            "└──────────────────┘",
        ])
    }

    @Test func tallPanelsUseTheBlockDigitFont() {
        #expect(draw(health, width: 24, height: 7).lines == [
            "┌ Health ──────────────┐",
            "│    █▀▀ ▀▀█   █▀▀     │",
            "│    █▀█   █   ▀▀█     │",
            "│    ▀▀▀   ▀ ▀ ▀▀▀     │",
            "│                   █▁ │",
            "│                      │",
            "└──────────────────────┘",
        ])
    }

    @Test func bigDigitsKeepTheUnitBesideThem() {
        let rps = PanelData(title: "Requests / s", kind: .stat, series: [series("rps", [2000, 2100, 2300, 2410])],
                            unit: .reqps)
        #expect(draw(rps, width: 40, height: 8).lines == [
            "┌ Requests / s ────────────────────────┐",
            "│                                      │",
            "│        ▀▀█   █ █ ▀█                  │",
            "│        █▀▀   ▀▀█  █                  │",
            "│        ▀▀▀ ▀   ▀ ▀▀▀ k req/s         │",
            "│                                 ▁▃▆█ │",
            "│                                      │",
            "└──────────────────────────────────────┘",
        ])
        #expect(draw(rps, width: 30, height: 4).lines == [
            "┌ Requests / s ──────────────┐",
            "│        2.41k req/s         │",
            "│                       ▁▃▆█ │",
            "└────────────────────────────┘",
        ])
    }

    @Test func asciiTerminalsGetThePlainValueAndAsciiSparkline() {
        #expect(draw(health, width: 20, height: 4, caps: .ascii).lines == [
            "+ Health ----------+",
            "|       67.5  v 2.5|",
            "|               #_ |",
            "+------------------+",
        ])
    }

    @Test func valueTakesTheThresholdColour() throws {
        let buffer = draw(health, width: 20, height: 3)
        #expect(buffer[2, 1].character == "6")
        #expect(buffer[2, 1].style.fg == .red)
        var good = health
        good.series = [series("score", [90])]
        let goodBuffer = draw(good, width: 20, height: 3)
        let first = try #require((1..<19).first { goodBuffer[$0, 1].character != " " })
        #expect(goodBuffer[first, 1].character == "9")
        #expect(goodBuffer[first, 1].style.fg == .green)
    }

    @Test func otherSeriesGoToTheLegendLine() {
        var several = health
        several.series = [series("score", [67.5]), series("rt", [89]), series("err", [99])]
        let lines = draw(several, width: 24, height: 5).lines
        #expect(lines[3] == "│ rt 89 · err 99       │")
    }

    @Test func longLegendsWrapKeepingNamesWithValues() {
        var several = health
        several.series = [series("score", [67.5]), series("rt", [89]), series("err", [99]), series("cache", [55]),
                          series("sys", [22])]
        let lines = draw(several, width: 30, height: 9).lines
        #expect(lines[6] == "│ rt 89 · err 99 ·           │")
        #expect(lines[7] == "│ cache 55 · sys 22          │")
    }
}
