import App
import Foundation
import Render
import TerminalBackend
import Testing

/// The investigation keys on the pure reducer: cursor, time travel, inspector, prompt, legend.
@Suite struct InvestigateReducerTests {
    let now: Int64 = 1_800_000_000_000
    let grid = [
        Rect(x: 0, y: 1, width: 60, height: 10), Rect(x: 60, y: 1, width: 60, height: 10),
        Rect(x: 0, y: 11, width: 60, height: 10), Rect(x: 60, y: 11, width: 60, height: 10),
    ]

    func context(_ edit: (inout ReduceContext) -> Void = { _ in }) -> ReduceContext {
        var c = ReduceContext(panelRects: grid)
        c.now = now
        c.cursorStepMs = 10_000
        edit(&c)
        return c
    }

    func reduce(_ s: inout AppState, _ c: Command, _ ctx: ReduceContext? = nil) -> [Effect] {
        Reducer.reduce(&s, c, context: ctx ?? context())
    }

    @Test func cKeyPutsTheCursorMidWindowAndEscDropsItBeforeLeavingZoom() {
        var s = Fixtures.state()
        _ = reduce(&s, .toggleCursor)
        #expect(s.currentView.cursor == now - 15 * 60_000 / 2)
        _ = reduce(&s, .toggleZoom)
        #expect(reduce(&s, .back).isEmpty)
        #expect(s.currentView.cursor == nil)
        #expect(s.currentView.zoomed == 0)
        #expect(reduce(&s, .back) == [.refresh(refill: true)])
        #expect(s.currentView.zoomed == nil)
    }

    @Test func arrowsInAZoomedGraphMoveTheCursorByColumnsAndStayInTheWindow() {
        var s = Fixtures.state()
        _ = reduce(&s, .toggleZoom)
        _ = reduce(&s, .move(.left))
        #expect(s.currentView.cursor == now - 10_000)
        _ = reduce(&s, .cursorStep(-10))
        #expect(s.currentView.cursor == now - 110_000)
        _ = reduce(&s, .move(.right))
        #expect(s.currentView.cursor == now - 100_000)
        for _ in 0..<20 { _ = reduce(&s, .cursorStep(10)) }
        #expect(s.currentView.cursor == now)
        for _ in 0..<20 { _ = reduce(&s, .cursorStep(-10)) }
        #expect(s.currentView.cursor == now - 15 * 60_000)
        // On the grid the arrows still select panels.
        _ = reduce(&s, .back)
        _ = reduce(&s, .back)
        _ = reduce(&s, .move(.right))
        #expect(s.currentView.selected == 1)
    }

    @Test func panningMovesHalfAWindowAndReturnsLiveAtThePresent() {
        var s = Fixtures.state()
        #expect(reduce(&s, .pan(-1)) == [.refresh(refill: true)])
        #expect(s.windowEnd == now - 15 * 60_000 / 2)
        _ = reduce(&s, .pan(-1))
        #expect(s.windowEnd == now - 15 * 60_000)
        _ = reduce(&s, .pan(1))
        _ = reduce(&s, .pan(1))
        #expect(s.windowEnd == nil)
        // Already live: nothing to do, nothing fetched.
        #expect(reduce(&s, .pan(1)).isEmpty)
        _ = reduce(&s, .wheel(-1))
        #expect(reduce(&s, .goLive) == [.refresh(refill: true)])
        #expect(s.windowEnd == nil)
        #expect(reduce(&s, .goLive).isEmpty)
    }

    @Test func bracesJumpBetweenTransitionsCentringTheWindow() {
        var s = Fixtures.state()
        let ctx = context { $0.markerTimes = [now - 3_600_000, now - 600_000] }
        _ = reduce(&s, .jumpMarker(-1), ctx)
        #expect(s.currentView.cursor == now - 600_000)
        #expect(s.windowEnd == now - 150_000)
        _ = reduce(&s, .jumpMarker(-1), ctx)
        #expect(s.currentView.cursor == now - 3_600_000)
        #expect(s.windowEnd == now - 3_600_000 + 450_000)
        _ = reduce(&s, .jumpMarker(-1), ctx)
        #expect(s.message == "no earlier alert transition or annotation")
        _ = reduce(&s, .jumpMarker(1), ctx)
        #expect(s.currentView.cursor == now - 600_000)
        #expect(s.message == nil)
    }

    @Test func timeCommandTakesAClockTimeOrAnOffset() {
        var s = Fixtures.state()
        s.prompt = PromptState(kind: .query, text: "time -2h")
        #expect(reduce(&s, .promptKey(.enter)) == [.refresh(refill: true)])
        #expect(s.currentView.cursor == now - 7_200_000)
        #expect(s.windowEnd == now - 7_200_000 + 450_000)
        #expect(s.prompt == nil)
        // 1_800_000_000_000 is 08:00:00 UTC: 03:40 is earlier the same day.
        #expect(TimeArgument.parse("03:40", now: now, utcOffsetSeconds: 0) == now - (4 * 3600 + 20 * 60) * 1000)
        // 09:00 is still to come today, so it means yesterday's.
        #expect(TimeArgument.parse("09:00", now: now, utcOffsetSeconds: 0) == now - 23 * 3_600_000)
        // One hour east of UTC it is 09:00 locally; 03:40 local is 02:40 UTC.
        #expect(TimeArgument.parse("03:40", now: now, utcOffsetSeconds: 3600) == now - (5 * 3600 + 20 * 60) * 1000)
        #expect(TimeArgument.parse("25:00", now: now, utcOffsetSeconds: 0) == nil)
        s.prompt = PromptState(kind: .query, text: "time soon")
        #expect(reduce(&s, .promptKey(.enter)).isEmpty)
        #expect(s.message == "time: give a clock time (03:40) or an offset (-2h)")
    }

    @Test func promptEditsCompletesWithTabAndRunsAnExpression() {
        var s = Fixtures.state()
        _ = reduce(&s, .openPrompt(.query))
        for c in "rate(http_req" { _ = reduce(&s, .promptKey(.character(c))) }
        let ctx = context { $0.completions = ["http_requests_total", "http_request_duration_seconds_bucket"] }
        _ = reduce(&s, .promptKey(.tab), ctx)
        #expect(s.prompt?.text == "rate(http_requests_total")
        for c in "[1m])" { _ = reduce(&s, .promptKey(.character(c))) }
        _ = reduce(&s, .promptKey(.backspace))
        _ = reduce(&s, .promptKey(.character(")")))
        #expect(reduce(&s, .promptKey(.enter)) == [.appendHistory("rate(http_requests_total[1m])"), .refresh(refill: true)])
        #expect(s.explore == ExploreState(expr: "rate(http_requests_total[1m])"))
        // Tab in the explore view switches to the table of the instant result; Esc goes back.
        _ = reduce(&s, .nextLayout)
        #expect(s.explore?.instant == true)
        #expect(s.current == 0)
        _ = reduce(&s, .back)
        #expect(s.explore == nil)
    }

    @Test func historyWalksBackAndForwardAndEscCancels() {
        var s = Fixtures.state()
        let ctx = context { $0.history = ["up", "rate(x[1m])"] }
        _ = reduce(&s, .openPrompt(.query))
        _ = reduce(&s, .promptKey(.up), ctx)
        #expect(s.prompt?.text == "rate(x[1m])")
        _ = reduce(&s, .promptKey(.up), ctx)
        _ = reduce(&s, .promptKey(.up), ctx)
        #expect(s.prompt?.text == "up")
        _ = reduce(&s, .promptKey(.down), ctx)
        _ = reduce(&s, .promptKey(.down), ctx)
        #expect(s.prompt?.text == "")
        _ = reduce(&s, .promptKey(.escape))
        #expect(s.prompt == nil)
        #expect(s.explore == nil)
    }

    @Test func saveNeedsAnExploredExpression() {
        var s = Fixtures.state()
        s.prompt = PromptState(kind: .query, text: "save errors")
        #expect(reduce(&s, .promptKey(.enter)).isEmpty)
        #expect(s.message == "save: run an expression first (: then Enter)")
        s.explore = ExploreState(expr: "rate(x[1m])")
        s.prompt = PromptState(kind: .query, text: "save errors")
        #expect(reduce(&s, .promptKey(.enter)) == [.savePanel(name: "errors", expr: "rate(x[1m])")])
    }

    @Test func filterPromptSetsTheSelectedPanelsRegexAndAnEmptyOneClearsIt() {
        var s = Fixtures.state()
        _ = reduce(&s, .move(.down))
        _ = reduce(&s, .openPrompt(.filter))
        for c in "upload|report" { _ = reduce(&s, .promptKey(.character(c))) }
        _ = reduce(&s, .promptKey(.enter))
        #expect(s.currentView.filters == [2: "upload|report"])
        _ = reduce(&s, .openPrompt(.filter))
        #expect(s.prompt?.text == "upload|report")
        s.prompt = PromptState(kind: .filter, text: "(")
        _ = reduce(&s, .promptKey(.enter))
        #expect(s.message == "not a regular expression: (")
        s.prompt = PromptState(kind: .filter, text: "")
        _ = reduce(&s, .promptKey(.enter))
        #expect(s.currentView.filters.isEmpty)
    }

    @Test func zoomedLegendPicksARowTogglesItsSeriesAndSortsByValue() {
        var s = Fixtures.state()
        _ = reduce(&s, .toggleZoom)
        let ctx = context { $0.legendNames = ["P99", "P95", "P50"] }
        _ = reduce(&s, .move(.down), ctx)
        _ = reduce(&s, .toggleSeries, ctx)
        #expect(s.currentView.hiddenSeries == [0: ["P95"]])
        _ = reduce(&s, .toggleSeries, ctx)
        #expect(s.currentView.hiddenSeries.isEmpty)
        for _ in 0..<5 { _ = reduce(&s, .move(.down), ctx) }
        #expect(s.currentView.legendRow == 2)
        _ = reduce(&s, .sortByValue)
        #expect(s.currentView.sortedByValue == [0])
    }

    @Test func inspectorOpensWithEAndCopiesOnlyFromThere() {
        var s = Fixtures.state()
        #expect(reduce(&s, .copyExpression).isEmpty)
        _ = reduce(&s, .toggleInspector)
        #expect(s.overlay == .inspector)
        #expect(reduce(&s, .copyExpression) == [.copyExpression])
        _ = reduce(&s, .back)
        #expect(s.overlay == nil)
    }

    @Test func aDragAcrossTheZoomedPlotZoomsTheRangeToIt() {
        var s = Fixtures.state()
        let ctx = context { $0.zoomPlot = (x: 10, width: 101) }
        // On the grid a drag does nothing.
        _ = reduce(&s, .press(x: 20, y: 5), ctx)
        #expect(reduce(&s, .release(x: 60, y: 5), ctx).isEmpty)
        _ = reduce(&s, .toggleZoom)
        _ = reduce(&s, .press(x: 35, y: 5), ctx)
        #expect(s.currentView.dragFrom == 35)
        #expect(reduce(&s, .release(x: 60, y: 5), ctx) == [.refresh(refill: true)])
        // Columns 35..60 of 10..110 over 15 minutes: 25 % to 50 % of the window.
        #expect(s.rangeMs == 225_000)
        #expect(s.windowEnd == now - 450_000)
        #expect(s.currentView.dragFrom == nil)
        // A drag to the right edge keeps following the present; a tiny one is a click, not a zoom.
        _ = reduce(&s, .goLive)
        _ = reduce(&s, .press(x: 110, y: 5), ctx)
        _ = reduce(&s, .release(x: 10, y: 5), ctx)
        #expect(s.windowEnd == nil && s.rangeMs == 225_000)
        _ = reduce(&s, .press(x: 50, y: 5), ctx)
        #expect(reduce(&s, .release(x: 51, y: 5), ctx).isEmpty)
    }

    @Test func aClickInTheZoomedPlotSetsTheCursorThere() {
        var s = Fixtures.state()
        _ = reduce(&s, .toggleZoom)
        let ctx = context { $0.zoomPlot = (x: 10, width: 101) }
        _ = reduce(&s, .click(x: 60, y: 5), ctx)
        #expect(s.currentView.cursor == now - 15 * 60_000 / 2)
        _ = reduce(&s, .click(x: 110, y: 5), ctx)
        #expect(s.currentView.cursor == now)
    }
}
