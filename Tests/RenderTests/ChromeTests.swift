import Testing
@testable import Render

@Suite struct ChromeTests {
    let header = HeaderData(title: "Perfect21 Performance Overview", source: "http://127.0.0.1:9090", interval: "5s",
                            lastDataMs: 1_700_000_000_000, nowMs: 1_700_000_001_000, firingCount: 2,
                            topAlert: "HighErrorRate")

    func headerLine(_ data: HeaderData, width: Int, caps: TerminalCaps = .full) -> String {
        var buffer = Buffer(width: width, height: 1)
        renderHeader(data, in: buffer.area, into: &buffer, caps: caps)
        return buffer.lines[0]
    }

    @Test func headerWithEverythingAt140Columns() {
        #expect(headerLine(header, width: 140) ==
            " LOOKOUT  Perfect21 Performance Overview   http://127.0.0.1:9090 · every 5s · 22:13:20 (1s ago)"
            + "          ▲ 2 FIRING: HighErrorRate   ? help ")
    }

    @Test func headerDropsHelpThenCutsTitleThenDropsSourceBeforeAlerts() {
        let at120 = headerLine(header, width: 120)
        #expect(!at120.contains("? help"))
        #expect(at120.contains("http://127.0.0.1:9090"))
        #expect(at120.contains("▲ 2 FIRING: HighErrorRate"))
        let at80 = headerLine(header, width: 80)
        #expect(!at80.contains("127.0.0.1"))
        #expect(at80.contains("▲ 2 FIRING: HighErrorRate"))
        let at40 = headerLine(header, width: 40)
        #expect(at40.contains("▲ 2 FIRING"))
        #expect(at40.count == 40)
    }

    /// Too narrow for the alert's name: its short form stays, and the title gives way around it (the
    /// layout measures a shortened piece anew).
    @Test func headerKeepsTheShortFormOfTheAlertOnANarrowLine() {
        #expect(headerLine(header, width: 32) == "Perfect21 Performa…  ▲ 2 FIRING ")
        #expect(headerLine(header, width: 39) == "Perfect21 Performance Ove…  ▲ 2 FIRING ")
    }

    @Test func headerShowsPausedAndInsecureAndAsciiArrows() {
        var paused = header
        paused.paused = true
        paused.insecure = true
        paused.firingCount = 0
        paused.pendingCount = 1
        let line = headerLine(paused, width: 140, caps: .ascii)
        #expect(line.contains("PAUSED"))
        #expect(line.contains("INSECURE"))
        #expect(line.contains("1 pending"))
        #expect(line.allSatisfy { $0.isASCII })
    }

    @Test func headerColoursFiringRed() {
        var buffer = Buffer(width: 140, height: 1)
        renderHeader(header, in: buffer.area, into: &buffer)
        let x = buffer.lines[0].firstIndex(of: "▲").map { buffer.lines[0].distance(from: buffer.lines[0].startIndex, to: $0) }
        #expect(x.map { buffer[$0, 0].style.fg } == .red)
    }

    func statusLine(_ data: StatusData, width: Int) -> String {
        var buffer = Buffer(width: width, height: 1)
        renderStatusLine(data, in: buffer.area, into: &buffer)
        return buffer.lines[0]
    }

    @Test func statusLineHintsAndTargets() {
        let status = StatusData(targetsUp: 1, targetsTotal: 1)
        #expect(statusLine(status, width: 120) ==
            " Tab next layout · 1-9 layout · p pause · r refresh · +/- range · f zoom · ? help · q quit"
            + "               targets 1/1 up ")
        #expect(statusLine(status, width: 80) ==
            " Tab next layout · 1-9 layout · p pause · ? help · q quit        targets 1/1 up ")
    }

    @Test func statusLineErrorsTakeThePlaceOfHints() {
        let status = StatusData(errors: ["\u{1b}[31mHTTP 503 from 127.0.0.1:9090", "timeout"], targetsUp: 0, targetsTotal: 2)
        let line = statusLine(status, width: 80)
        #expect(line.hasPrefix(" error: HTTP 503 from 127.0.0.1:9090 (+1 more)"))
        #expect(line.hasSuffix("targets 0/2 up "))
        #expect(line.contains("? help"))
        #expect(!line.contains("q quit"))
    }

    @Test func helpOverlayListsEveryKey() {
        var buffer = Buffer(width: 30, height: 12)
        renderHelpOverlay(keys: [("q", "quit"), ("?", "help"), ("Tab", "next layout")], in: buffer.area, into: &buffer)
        #expect(buffer.lines == [
            "                              ",
            "                              ",
            "    ┌ Keys ─────────────┐     ",
            "    │ q    quit         │     ",
            "    │ ?    help         │     ",
            "    │ Tab  next layout  │     ",
            "    │                   │     ",
            "    │ ? or Esc to close │     ",
            "    └───────────────────┘     ",
            "                              ",
            "                              ",
            "                              ",
        ])
    }

    @Test func tooSmallMessage() {
        var buffer = Buffer(width: 30, height: 3)
        renderTooSmall(in: buffer.area, into: &buffer)
        #expect(buffer.lines == ["Terminal too small: need 20x5,", "          have 30x3           ", "                              "])
        var one = Buffer(width: 1, height: 1)
        renderTooSmall(in: one.area, into: &one)
        #expect(one.lines == ["!"])
    }

    @Test func chromeLeavesTheMiddleForPanels() {
        var buffer = Buffer(width: 100, height: 30)
        let rest = renderChrome(ChromeData(header: header, status: StatusData()), in: buffer.area, into: &buffer)
        #expect(rest == Rect(x: 0, y: 1, width: 100, height: 28))
    }
}
