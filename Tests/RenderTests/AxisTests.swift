import Testing
@testable import Render

@Suite struct AxisTests {
    @Test func timeLabelsFallOnRoundLocalTimes() {
        // 12:06:20 to 12:21:20 UTC, shown one hour ahead: ticks at 13:10 and 13:15, placed by time
        // (13:10 is 220 s into the 900 s window: column 10 of 40, label centred there).
        let start: Int64 = 1_700_000_000_000 - 22 * 3600_000 + 3600_000 * 12 - 7 * 60_000
        let window = TimeWindow(startMs: start, endMs: start + 15 * 60_000, utcOffsetSeconds: 3600)
        var buffer = Buffer(width: 40, height: 1)
        TimeAxis.draw(window: window, x: 0, y: 0, width: 40, into: &buffer, clip: buffer.area)
        #expect(buffer.lines == ["        13:10        13:15         (15m)"])
    }

    @Test func niceSteps() {
        #expect(NiceNumber.step(for: 0.7) == 1)
        #expect(NiceNumber.step(for: 1.3) == 2)
        #expect(NiceNumber.step(for: 2.2) == 2.5)
        #expect(NiceNumber.step(for: 380) == 500)
        #expect(NiceNumber.step(for: 0) == nil)
        #expect(NiceNumber.step(for: .infinity) == nil)
    }

    @Test func yAxisRoundsOutwardsUnlessTheLayoutFixesIt() {
        var panel = PanelData(title: "x", kind: .graph, series: [series("a", [1.02, 2.03])], unit: .seconds)
        #expect(GraphWidget(data: panel, caps: .full, zoomed: false).yRange() == (1, 2.5))
        panel.series = [series("a", [0.2, 2.03])]  // minimum near zero: the axis starts at zero
        #expect(GraphWidget(data: panel, caps: .full, zoomed: false).yRange() == (0, 3))
        panel.min = 1
        panel.max = 2.5
        #expect(GraphWidget(data: panel, caps: .full, zoomed: false).yRange() == (1, 2.5))
    }
}
