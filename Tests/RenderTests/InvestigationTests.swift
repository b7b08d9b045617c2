import Testing
@testable import Render

/// The investigation layer on literal buffers: cursor and legend box, crosshair, markers, stat at the
/// cursor, the prompt with completions and a parse caret, the inspector, the not-live header.
@Suite struct InvestigationTests {
    let start: Int64 = 1_700_000_000_000
    var window: TimeWindow { TimeWindow(startMs: start, endMs: start + 9 * 60_000) }

    func latency(cursor: CursorMark?, markers: [TimeMarker] = []) -> PanelData {
        var pd = PanelData(title: "Latency", kind: .graph, series: [
            series("P95", [1, 1, 2, 3, 4, 4, 3, 2, 1, 1], start: start),
            series("P50", [0.5, 0.5, 0.5, 1, 1, 1, 1, 0.5, 0.5, 0.5], start: start),
        ], unit: .seconds, timeWindow: window)
        pd.cursor = cursor
        pd.markers = markers
        return pd
    }

    @Test func zoomedCursorDrawsALineAndALegendBoxBesideIt() {
        let pd = latency(cursor: CursorMark(t: start + 3 * 60_000, primary: true),
                         markers: [TimeMarker(t: start + 3 * 60_000, letter: "F", color: .red, label: "F HighErrorRate")])
        let b = draw(pd, width: 50, height: 14, zoomed: true)
        #expect(b.lines == [
            "┌ Latency ───────────────────────────────────────┐",
            "│4 s               │ ┌ 22:16:20 ───────┐         │",
            "│                  │⢀│ ● P95  3 s      │         │",
            "│                 ⢀│⠁│ ● P50  1 s      │         │",
            "│               ⡠⠔⠁│ │ F HighErrorRate │         │",
            "│2 s          ⡠⠊   │ └─────────────────┘         │",
            "│          ⢀⠤⠊     │                    ⠑⠤⡀      │",
            "│    ⠤⠤⠤⠤⠤⠔⠁      ⢀│⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⢄⡀      ⠈⠢⠤⠤⠤⠤⠤│",
            "│    ⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⡠⠔⠊⠁│               ⠈⠑⠢⢄⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀│",
            "│0 s               │                             │",
            "│          22:15   F                22:20    (9m)│",
            "│ ● P95  last 1 s  min 1 s  max 4 s  mean 2.2 s  │",
            "│ ● P50  last 500 ms  min 500 ms  max 1 s  mean… │",
            "└────────────────────────────────────────────────┘",
        ])
        // The marker on the time axis carries its severity colour.
        #expect(b[19, 10] == Cell("F", style: Style(fg: .red, attributes: .bold)))
    }

    @Test func nearTheRightEdgeTheBoxGoesLeftAndNarrowBoxesKeepOnlyValues() {
        let right = draw(latency(cursor: CursorMark(t: start + 8 * 60_000, primary: true)), width: 50, height: 12, zoomed: true)
        #expect(right.lines == [
            "┌ Latency ───────────────────────────────────────┐",
            "│4 s                  ⢀⠔⠊┌ 22:21:20 ─────┐ │     │",
            "│                  ⢀⠤⠊⠁  │ ● P95  1 s    │ │     │",
            "│               ⢀⡠⠊⠁     │ ● P50  500 ms │ │     │",
            "│2 s         ⢀⡠⠒⠁        └───────────────┘ │     │",
            "│         ⢀⡠⠒⠁                          ⠈⠒⢄│     │",
            "│    ⠉⠉⠉⠉⠉⠁    ⢀⡠⠤⠒⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠒⠤⢄⡀    │⠉⠉⠉⠉⠉│",
            "│0 s ⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠁                      ⠈⠉⠉⠉⠉│⠉⠉⠉⠉⠉│",
            "│          22:15                    22:20    (9m)│",
            "│ ● P95  last 1 s  min 1 s  max 4 s  mean 2.2 s  │",
            "│ ● P50  last 500 ms  min 500 ms  max 1 s  mean… │",
            "└────────────────────────────────────────────────┘",
        ])
        let narrow = draw(latency(cursor: CursorMark(t: start + 4 * 60_000, primary: true)), width: 30, height: 12, zoomed: true)
        #expect(narrow.lines == [
            "┌ Latency ───────────────────┐",
            "│4 s          ⢀│⠉┌ 22:17:20 ┐│",
            "│            ⡠⠃│ │ ● 4 s    ││",
            "│          ⢀⠎  │ │ ● 1 s    ││",
            "│2 s     ⢀⠔⠁   │ └──────────┘│",
            "│       ⡠⠃     │        ⠈⢆   │",
            "│    ⠉⠉⠉  ⢀⡠⠒⠉⠉│⠉⠉⠉⠉⠉⠒⢄⡀  ⠉⠉⠉│",
            "│0 s ⠉⠉⠉⠉⠉⠁    │       ⠈⠉⠉⠉⠉⠉│",
            "│      22:15             (9m)│",
            "│ ● P95  last 1 s  min 1 s … │",
            "│ ● P50  last 500 ms  min 5… │",
            "└────────────────────────────┘",
        ])
    }

    @Test func otherGraphsShowTheSameInstantAsADimLineOutsideTheData() {
        let b = draw(latency(cursor: CursorMark(t: start + 3 * 60_000, primary: false)), width: 40, height: 10)
        #expect(b.lines == [
            "┌ Latency ─────────────────────────────┐",
            "│4 s            │ ⡠⠔⠉⠉⠉⠉⠢⢄             │",
            "│              ⢀⠔⠊        ⠑⠢⡀          │",
            "│2 s         ⡠⠒⠁│           ⠈⠒⢄        │",
            "│         ⣀⠔⠊   │              ⠑⠢⣀     │",
            "│    ⠒⠒⠒⠒⠉   ⢀⡠⠔⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠢⢄⡀   ⠉⠒⠒⠒⠒│",
            "│0 s ⠉⠉⠉⠉⠉⠉⠉⠉⠁  │             ⠈⠉⠉⠉⠉⠉⠉⠉⠉│",
            "│        22:15              22:20  (9m)│",
            "│ ● P95 1 s  ● P50 500 ms              │",
            "└──────────────────────────────────────┘",
        ])
        #expect(b[16, 4] == Cell("│", style: Style(attributes: .dim)))
    }

    @Test func aStatShowsItsValueAtTheCursorMarkedWithTheTime() {
        var pd = PanelData(title: "Requests / s", kind: .stat,
                           series: [series("RPS", [100, 200, 300, 400, 500], start: start)], unit: .reqps,
                           timeWindow: TimeWindow(startMs: start, endMs: start + 4 * 60_000))
        pd.cursor = CursorMark(t: start + 60_000, primary: false)
        let b = draw(pd, width: 30, height: 5)
        #expect(b.lines == [
            "┌ Requests / s ──────────────┐",
            "│    200 req/s @22:14:20     │",
            "│ ▁     ▃      ▅     ▆     █ │",
            "│                            │",
            "└────────────────────────────┘",
        ])
        #expect(b[5, 1].style.attributes == [.dim, .bold])
    }

    @Test func beforeTheDataStartsTheCursorHasNoValue() {
        let points = series("RPS", [1, 2, 3], start: start).points
        #expect(TimeColumn.value(of: points, at: start + 60_000 + 20_000) == 2)
        #expect(TimeColumn.value(of: points, at: start - 120_000) == nil)
        #expect(TimeColumn.value(of: points, at: start + 10 * 60_000) == nil)
        var pd = PanelData(title: "RPS", kind: .stat, series: [series("RPS", [1, 2, 3], start: start)], unit: .reqps,
                           timeWindow: TimeWindow(startMs: start - 5 * 60_000, endMs: start + 2 * 60_000))
        pd.cursor = CursorMark(t: start - 4 * 60_000, primary: false)
        #expect(draw(pd, width: 30, height: 3).lines[1] == "│     no value @22:09:20     │")
    }

    @Test func promptShowsCompletionsAboveAndACaretUnderTheErrorColumn() {
        var b = Buffer(width: 50, height: 10)
        let prompt = PromptView(leader: ":", text: "sum(rate(x[1m]", caret: 14,
                                completions: [("http_requests_total", "metric"), ("histogram_quantile", "function")],
                                error: (column: 15, message: "1:15: parse error: unclosed left parenthesis"))
        renderPrompt(prompt, in: Rect(x: 0, y: 0, width: 50, height: 10), into: &b)
        #expect(b.lines == [
            "                                                  ",
            "                                                  ",
            "                                                  ",
            "                                                  ",
            " ┌ completions ──────────────────┐                ",
            " │ http_requests_total  metric   │                ",
            " │ histogram_quantile   function │                ",
            " └───────────────────────────────┘                ",
            " : sum(rate(x[1m]                                 ",
            "                 ^ 1:15: parse error: unclosed l… ",
        ])
        // The caret cell is drawn in reverse video, the error in red.
        #expect(b[17, 8].style.attributes.contains(.reverse))
        #expect(b[17, 9] == Cell("^", style: Style(fg: .red, attributes: .bold)))
    }

    @Test func inspectorShowsTheHighlightedExpressionFactsRowsAndTheProblemInFull() {
        var b = Buffer(width: 60, height: 14)
        let view = InspectorView(title: "Latency",
                                 expressions: ["histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job=\"api\"}[1m])))"],
                                 facts: "demo · step 5s · 1 series · batch 3 ms", rows: ["{}  0.38"],
                                 problem: "warning: PromQL info: metric might not be a counter")
        renderInspector(view, in: b.area, into: &b)
        #expect(b.lines == [
            "                                                            ",
            " ┏ Inspect: Latency ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓ ",
            " ┃ histogram_quantile(0.95, sum by (le)                   ┃ ",
            " ┃ (rate(http_request_duration_seconds_bucket{job=\"api\"}[ ┃ ",
            " ┃ 1m])))                                                 ┃ ",
            " ┃                                                        ┃ ",
            " ┃ demo · step 5s · 1 series · batch 3 ms                 ┃ ",
            " ┃                                                        ┃ ",
            " ┃ {}  0.38                                               ┃ ",
            " ┃                                                        ┃ ",
            " ┃                                                        ┃ ",
            " ┃ warning: PromQL info: metric might not be a counter    ┃ ",
            " ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛ ",
            "                                                            ",
        ])
        // Function names, strings and numbers are told apart by colour.
        #expect(b[3, 2].style.fg == .cyan)
        #expect(b[22, 2].style.fg == .magenta)
    }

    @Test func headerSaysNotLiveInTheWarningColour() {
        var b = Buffer(width: 100, height: 1)
        var h = HeaderData(title: "Overview", source: "demo", interval: "5s", lastDataMs: start, nowMs: start)
        h.notLive = "· at 03:40:00"
        renderHeader(h, in: b.area, into: &b)
        #expect(b.lines == [
            " LOOKOUT  Overview   demo · every 5s · 22:13:20 (0s ago)          NOT LIVE · at 03:40:00   0 firing ",
        ])
        let x = b.lines[0].distance(from: b.lines[0].startIndex, to: b.lines[0].range(of: "NOT LIVE")!.lowerBound)
        #expect(b[x, 0].style == Style(fg: .yellow, attributes: .bold))
    }

    @Test func zoomedLegendDimsHiddenSeriesAndMarksThePickedRow() {
        var pd = latency(cursor: nil)
        pd.series[1].hidden = true
        pd.legendSelection = 0
        let b = draw(pd, width: 50, height: 10, zoomed: true)
        #expect(b.lines == [
            "┌ Latency ───────────────────────────────────────┐",
            "│4 s                 ⢀⡠⠔⠊⠉⠉⠉⠉⠑⠢⢄⡀                │",
            "│                ⢀⡠⠔⠊⠁          ⠈⠑⠢⢄⡀            │",
            "│2 s         ⣀⠤⠔⠊⠁                  ⠈⠑⠢⠤⣀        │",
            "│    ⠤⠤⠤⠤⠤⠤⠒⠉                            ⠉⠒⠤⠤⠤⠤⠤⠤│",
            "│0 s                                             │",
            "│          22:15                    22:20    (9m)│",
            "│ ● P95  last 1 s  min 1 s  max 4 s  mean 2.2 s  │",
            "│ ● P50  last 500 ms  min 500 ms  max 1 s  mean… │",
            "└────────────────────────────────────────────────┘",
        ])
        #expect(b[4, 7].style.attributes.contains(.reverse))
        #expect(b[4, 8].style.attributes.contains(.dim))
    }
}
