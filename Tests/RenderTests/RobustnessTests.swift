import Testing
@testable import Render

/// Every widget over every small size and odd data: no crash, nothing drawn outside its area,
/// nothing but printable one-column characters in the buffer.
@Suite struct RobustnessTests {
    static let oddSeries: [[SeriesData]] = [
        [],
        [SeriesData(name: "empty", points: [])],
        [series("one", [42])],
        [series("nan", [.nan, .nan])],
        [series("inf", [.infinity, -.infinity, 1])],
        [series("huge", [Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, 1e300])],
        [series("negative", [-5, -3, -10])],
        [series("equal", [7, 7, 7, 7])],
        [series("a", [1, 2]), series("\u{1b}[2Jb\u{202E}", [3, .nan]), series("東京", [0, 0])],
        [SeriesData(name: "times", points: [DataPoint(t: Int64.min, v: 1), DataPoint(t: Int64.max, v: 2)])],
    ]

    static let kinds: [PanelKind] = [.stat, .graph, .gauge, .table, .text, .alerts, .row, .placeholder("x")]
    static let states: [PanelState] = [.ok, .noData, .loading, .error(""), .error("\u{1b}]0;x\u{07}"), .stale(ageSeconds: -1)]

    func panel(_ kind: PanelKind, _ series: [SeriesData], state: PanelState) -> PanelData {
        PanelData(title: "T\u{7}itle", kind: kind, series: series, unit: .bytes, decimals: 40, min: 5, max: -5,
                  thresholds: [ThresholdStep(value: .nan, color: .red), ThresholdStep(value: nil, color: .green)],
                  state: state, text: "a\nb\u{1b}[1m\n\n東",
                  table: TableData(columns: [], rows: [[.number(.nan)], [], [.text("x"), .number(1e308), .number(-1)]]),
                  alerts: [AlertRow(state: .firing, severity: "", name: "", sinceSeconds: -5, summary: "\u{9b}", valueText: "")],
                  timeWindow: TimeWindow(startMs: 1_700_000_000_000, endMs: 1_700_000_000_000 - 1, utcOffsetSeconds: Int.max))
    }

    /// Where the buffer breaks the rules, as short descriptions (empty when clean); one `#expect` per
    /// render keeps the test fast.
    func violations(_ buffer: Buffer, outside area: Rect, ascii: Bool = false) -> [String] {
        var found: [String] = []
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                let inside = x >= area.x && x < area.maxX && y >= area.y && y < area.maxY
                if !inside && cell != .blank { found.append("drawn outside at \(x),\(y)") }
                let scalars = cell.character.unicodeScalars
                if scalars.count != 1 { found.append("\(scalars.count) scalars at \(x),\(y)") }
                for scalar in scalars where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    found.append("control \(scalar.value) at \(x),\(y)")
                }
                if ascii && !cell.character.isASCII { found.append("non-ASCII \(cell.character) at \(x),\(y)") }
            }
        }
        return found
    }

    func checkClean(_ buffer: Buffer, outside area: Rect, ascii: Bool = false) {
        let found = violations(buffer, outside: area, ascii: ascii)
        #expect(found.isEmpty, "\(found.prefix(3)) in area \(area)")
    }

    @Test(arguments: kinds)
    func everyPanelKindSurvivesEverySizeAndOddData(kind: PanelKind) {
        // Every odd series set once (cycling through the states), and every state with several series.
        let cases = Self.oddSeries.enumerated().map { ($0.element, Self.states[$0.offset % Self.states.count]) }
            + Self.states.map { (Self.oddSeries[8], $0) }
        for (seriesSet, state) in cases {
            do {
                let data = panel(kind, seriesSet, state: state)
                for width in 0...10 {
                    for height in 0...10 {
                        for caps in [TerminalCaps.full, .ascii] {
                            var buffer = Buffer(width: 14, height: 14)
                            let area = Rect(x: 2, y: 2, width: width, height: height)
                            renderPanel(data, in: area, into: &buffer, selected: width % 2 == 0, zoomed: height % 3 == 0,
                                        caps: caps)
                            checkClean(buffer, outside: area, ascii: !caps.unicode)
                        }
                    }
                }
            }
        }
    }

    @Test func largerGraphsWithOddDataStayInside() {
        for seriesSet in Self.oddSeries {
            for zoomed in [false, true] {
                var buffer = Buffer(width: 50, height: 20)
                let area = Rect(x: 3, y: 2, width: 44, height: 16)
                var data = panel(.graph, seriesSet, state: .ok)
                data.timeWindow = nil
                data.min = nil
                data.max = nil
                renderPanel(data, in: area, into: &buffer, zoomed: zoomed)
                checkClean(buffer, outside: area)
            }
        }
    }

    @Test func chromeSurvivesEverySize() {
        let header = HeaderData(title: "\u{1b}[2Jtitle", source: "東京", interval: "", lastDataMs: Int64.min,
                                nowMs: Int64.max, utcOffsetSeconds: Int.min, paused: true, firingCount: Int.max,
                                pendingCount: -1, topAlert: "\u{202E}", insecure: true, serverInfo: "", range: "")
        let status = StatusData(errors: ["", "\u{7}"], keyHints: [KeyHint("", "")], targetsUp: 3, targetsTotal: 0,
                                message: "m")
        for width in 0...12 {
            for height in 0...12 {
                for caps in [TerminalCaps.full, .ascii] {
                    var buffer = Buffer(width: 16, height: 16)
                    let area = Rect(x: 1, y: 1, width: width, height: height)
                    renderChrome(ChromeData(header: header, status: status), in: area, into: &buffer, caps: caps)
                    renderHelpOverlay(keys: [("\u{1b}", "x"), ("?", "help")], in: area, into: &buffer, caps: caps)
                    renderTooSmall(in: area, into: &buffer, caps: caps)
                    checkClean(buffer, outside: area, ascii: !caps.unicode)
                }
            }
        }
    }

    @Test func gridSurvivesEverySize() {
        let items = [GridItem(x: 0, y: 0, w: 24, h: 1, isRow: true), GridItem(), GridItem(x: 23, y: 0, w: 24, h: 9)]
        for width in 0...100 {
            for height in 0...12 {
                let area = Rect(x: 0, y: 0, width: width, height: height)
                let rects = layoutGrid(items, in: area)
                #expect(rects.allSatisfy { $0.isEmpty || area.intersection($0) == $0 })
            }
        }
    }
}
