import App
import Render
import Testing

@Suite struct ReducerTests {
    let grid = [
        Rect(x: 0, y: 1, width: 60, height: 10), Rect(x: 60, y: 1, width: 60, height: 10),
        Rect(x: 0, y: 11, width: 60, height: 10), Rect(x: 60, y: 11, width: 60, height: 10),
    ]

    func reduce(_ s: inout AppState, _ c: Command) -> [Effect] {
        Reducer.reduce(&s, c, context: ReduceContext(panelRects: grid))
    }

    @Test func quitSetsTheFlagAndAsksToQuit() {
        var s = Fixtures.state()
        #expect(reduce(&s, .quit) == [.quit])
        #expect(s.quitRequested)
    }

    @Test func tabWrapsAroundAndRefillsHistory() {
        var s = Fixtures.state(layouts: 3)
        #expect(reduce(&s, .nextLayout) == [.refresh(refill: true)])
        #expect(s.current == 1)
        _ = reduce(&s, .nextLayout)
        _ = reduce(&s, .nextLayout)
        #expect(s.current == 0)
        _ = reduce(&s, .previousLayout)
        #expect(s.current == 2)
    }

    @Test func numberKeysPickALayoutAndIgnoreMissingOnes() {
        var s = Fixtures.state(layouts: 2)
        _ = reduce(&s, .selectLayout(1))
        #expect(s.current == 1)
        #expect(reduce(&s, .selectLayout(7)).isEmpty)
        #expect(s.current == 1)
    }

    @Test func oneLayoutDoesNotSwitch() {
        var s = Fixtures.state(layouts: 1)
        #expect(reduce(&s, .nextLayout).isEmpty)
        #expect(s.current == 0)
    }

    @Test func selectionAndZoomAreKeptPerLayout() {
        var s = Fixtures.state(layouts: 2)
        _ = reduce(&s, .move(.right))
        _ = reduce(&s, .move(.down))
        #expect(s.currentView.selected == 3)
        _ = reduce(&s, .toggleZoom)
        #expect(s.currentView.zoomed == 3)
        _ = reduce(&s, .nextLayout)
        #expect(s.currentView.selected == 0)
        #expect(s.currentView.zoomed == nil)
        _ = reduce(&s, .nextLayout)
        #expect(s.currentView.selected == 3)
        #expect(s.currentView.zoomed == 3)
    }

    @Test func escapeClosesTheOverlayFirstThenTheZoom() {
        var s = Fixtures.state()
        _ = reduce(&s, .toggleZoom)
        _ = reduce(&s, .toggleHelp)
        #expect(s.overlay == .help)
        #expect(reduce(&s, .back).isEmpty)
        #expect(s.overlay == nil)
        #expect(s.currentView.zoomed == 0)
        #expect(reduce(&s, .back) == [.refresh(refill: true)])
        #expect(s.currentView.zoomed == nil)
    }

    @Test func helpTargetsAndAlertsToggle() {
        var s = Fixtures.state()
        _ = reduce(&s, .toggleHelp)
        #expect(s.overlay == .help)
        _ = reduce(&s, .toggleTargets)
        #expect(s.overlay == .targets)
        _ = reduce(&s, .toggleTargets)
        #expect(s.overlay == nil)
        _ = reduce(&s, .toggleAlerts)
        #expect(s.overlay == .alerts)
    }

    @Test func pauseStopsAndResumeRefills() {
        var s = Fixtures.state()
        #expect(reduce(&s, .togglePause).isEmpty)
        #expect(s.paused)
        #expect(reduce(&s, .togglePause) == [.refresh(refill: true)])
        #expect(!s.paused)
    }

    @Test func rangeStepsThroughTheListAndStopsAtTheEnds() {
        var s = Fixtures.state()
        _ = reduce(&s, .widenRange)
        #expect(s.rangeMs == 30 * 60_000)
        _ = reduce(&s, .narrowRange)
        _ = reduce(&s, .narrowRange)
        #expect(s.rangeMs == 5 * 60_000)
        s.rangeMs = RangeSteps.all[0]
        #expect(reduce(&s, .narrowRange).isEmpty)
        s.rangeMs = RangeSteps.all.last!
        #expect(reduce(&s, .widenRange).isEmpty)
    }

    @Test func clickSelectsAndDoubleClickZooms() {
        var s = Fixtures.state()
        _ = reduce(&s, .click(x: 70, y: 15))
        #expect(s.currentView.selected == 3)
        _ = reduce(&s, .doubleClick(x: 5, y: 15))
        #expect(s.currentView.selected == 2)
        #expect(s.currentView.zoomed == 2)
    }

    @Test func clickOutsideEveryPanelChangesNothing() {
        var s = Fixtures.state()
        _ = reduce(&s, .click(x: 70, y: 0))
        #expect(s.currentView.selected == 0)
    }

    @Test func scenarioCyclesOnlyInDemoMode() {
        var s = Fixtures.state()
        #expect(reduce(&s, .nextScenario).isEmpty)
        var d = AppState(layouts: s.layouts, rangeMs: s.rangeMs, scenarios: ["normal", "incident", "db-slow"],
                         scenario: "db-slow")
        #expect(reduce(&d, .nextScenario) == [.setScenario("normal")])
        #expect(reduce(&d, .nextScenario) == [.setScenario("incident")])
    }

    @Test func variableCyclesThroughItsValues() {
        var s = Fixtures.state()
        let ctx = ReduceContext(panelRects: grid, variableOptions: [("job", ["api", "web"]), ("env", ["a", "b", "c"])])
        #expect(Reducer.reduce(&s, .cycleVariable, context: ctx) == [.refresh(refill: true)])
        #expect(s.currentView.variableValues["job"] == "web")
        _ = Reducer.reduce(&s, .cycleVariable, context: ctx)
        #expect(s.currentView.variableValues["job"] == "api")
        _ = Reducer.reduce(&s, .nextVariable, context: ctx)
        _ = Reducer.reduce(&s, .cycleVariable, context: ctx)
        #expect(s.currentView.variableValues["env"] == "b")
    }

    @Test func movingIsIgnoredWhileZoomed() {
        var s = Fixtures.state()
        _ = reduce(&s, .toggleZoom)
        _ = reduce(&s, .move(.right))
        #expect(s.currentView.selected == 0)
    }
}

@Suite struct NavigationTests {
    // Row 1: one wide panel; row 2: three panels.
    let rects = [
        Rect(x: 0, y: 0, width: 90, height: 5),
        Rect(x: 0, y: 5, width: 30, height: 5), Rect(x: 30, y: 5, width: 30, height: 5),
        Rect(x: 60, y: 5, width: 30, height: 5),
    ]

    @Test func downFromAWidePanelGoesToTheOneBelowItsCentre() {
        #expect(Navigation.neighbour(of: 0, going: .down, in: rects) == 2)
    }

    @Test func sidewaysStaysInTheRow() {
        #expect(Navigation.neighbour(of: 1, going: .right, in: rects) == 2)
        #expect(Navigation.neighbour(of: 3, going: .left, in: rects) == 2)
        #expect(Navigation.neighbour(of: 3, going: .up, in: rects) == 0)
    }

    @Test func nothingThatWayKeepsTheSelection() {
        #expect(Navigation.neighbour(of: 3, going: .right, in: rects) == 3)
        #expect(Navigation.neighbour(of: 0, going: .up, in: rects) == 0)
    }

    @Test func hiddenPanelsAreSkipped() {
        var r = rects
        r[2] = Rect(x: 0, y: 0, width: 0, height: 0)
        #expect(Navigation.neighbour(of: 1, going: .right, in: r) == 3)
        #expect(Navigation.hit(x: 35, y: 6, in: r) == nil)
    }
}
