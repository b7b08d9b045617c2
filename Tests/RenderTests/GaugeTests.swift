import Testing
@testable import Render

@Suite struct GaugeTests {
    let connections = PanelData(title: "Connections", kind: .gauge, series: [series("c", [42])], max: 100,
                                thresholds: [ThresholdStep(value: nil, color: .green), ThresholdStep(value: 80, color: .red)])

    @Test func barFromMinToMaxWithTicks() {
        #expect(draw(connections, width: 24, height: 5).lines == [
            "┌ Connections ─────────┐",
            "│ 42                   │",
            "│ ████████░░░░░░░░░░░░ │",
            "│ 0                100 │",
            "└──────────────────────┘",
        ])
    }

    @Test func oneLineGaugeAndAsciiFallback() {
        #expect(draw(connections, width: 24, height: 3).lines == [
            "┌ Connections ─────────┐",
            "│ 42 ███████░░░░░░░░░░ │",
            "└──────────────────────┘",
        ])
        #expect(draw(connections, width: 24, height: 5, caps: .ascii).lines[2] == "| ########............ |")
    }

    @Test func thresholdTicksAndColour() {
        var health = connections
        health.series = [series("score", [67.5])]
        health.thresholds = [ThresholdStep(value: nil, color: .red), ThresholdStep(value: 70, color: .yellow),
                             ThresholdStep(value: 85, color: .green)]
        let buffer = draw(health, width: 40, height: 5)
        #expect(buffer.lines[3] == "│ 0" + String(repeating: " ", count: 24) + "70   85 100 │")
        #expect(buffer[2, 2].style.fg == .red)
        #expect(buffer[37, 2].character == "░")
        // Labels that would collide with the max label are left out rather than overlapping it.
        #expect(draw(health, width: 30, height: 5).lines[3] == "│ 0                 70   100 │")
    }

    @Test func percentGaugesDefaultTo0To100() {
        let cpu = PanelData(title: "CPU", kind: .gauge, series: [series("cpu", [50])], unit: .percent)
        let gauge = GaugeWidget(data: cpu, caps: .full)
        #expect(gauge.bounds(50) == (0, 100))
        #expect(draw(cpu, width: 14, height: 5).lines[2] == "│ █████░░░░░ │")
    }

    @Test func severalSeriesGetABarEachOnOneScale() {
        var perInstance = connections
        perInstance.series = [series("db-1", [42]), series("db-2", [90]), series("db-3", [10])]
        let buffer = draw(perInstance, width: 26, height: 4)
        #expect(buffer.lines == [
            "┌ Connections ───────────┐",
            "│ db-1 ██████░░░░░░░░ 42 │",
            "│ +2 more                │",
            "└────────────────────────┘",
        ])
        let tall = draw(perInstance, width: 26, height: 5)
        #expect(tall.lines[2] == "│ db-2 █████████████░ 90 │")
        #expect(tall.lines[3] == "│ db-3 █░░░░░░░░░░░░░ 10 │")
        #expect(tall[22, 2].style.fg == .red)
    }
}

@Suite struct GaugeComponentTests {
    let health = PanelData(
        title: "Health", kind: .gauge,
        series: [series("score", [72.4]), series("rt", [89.2]), series("err", [99.1]), series("cache", [55]),
                 series("sys", [61.7])],
        decimals: 1, min: 0, max: 100,
        thresholds: [ThresholdStep(value: nil, color: .red), ThresholdStep(value: 70, color: .yellow),
                     ThresholdStep(value: 85, color: .green)],
        options: PanelOptions(legend: true))

    @Test func componentsAreListedUnderTheGaugeWhenThereIsRoom() {
        #expect(draw(health, width: 30, height: 9).lines == [
            "┌ Health ────────────────────┐",
            "│ 72.4                       │",
            "│ ███████████████████░░░░░░░ │",
            "│ 0.0                  100.0 │",
            "│                            │",
            "│ rt 89 · err 99 · cache 55  │",
            "│ sys 62                     │",
            "│                            │",
            "└────────────────────────────┘",
        ])
        #expect(draw(health, width: 30, height: 9, caps: .ascii).lines[5] == "| rt 89, err 99, cache 55    |")
    }

    @Test func componentsGiveWayToTheGaugeWhenShort() {
        let lines = draw(health, width: 30, height: 5).lines
        #expect(lines[1] == "│ 72.4                       │")
        #expect(!lines.joined().contains("rt 89"))
    }

    @Test func withoutTheLegendOptionSeveralSeriesAreBars() {
        var bars = health
        bars.options = PanelOptions()
        #expect(draw(bars, width: 30, height: 7).lines[1].contains("score"))
    }
}
