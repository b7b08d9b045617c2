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
