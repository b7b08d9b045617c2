import App
import Foundation
import Layouts
import MetricsCore
import Render
import Testing

@Suite struct ScreenComposerTests {
    let now: Timestamp = 1_800_000_000_000

    func frame(_ state: AppState, width: Int = 120, height: Int = 40, source: FakeQuerySource = FakeQuerySource(),
               caps: TerminalCaps = .full) async -> Buffer {
        let request = Snapshot.Request(state: state, settings: SessionSettings(intervalMs: 5000), width: width,
                                       height: height, caps: caps, afterMs: 0)
        return await Snapshot.frame(request, source: source, alerts: nil, now: now, clock: .fixed(now), utcOffsetSeconds: 0)
    }

    @Test func theHeaderNamesLayoutSourceAndIntervalAndTheStatusLineTheKeys() async {
        let lines = await frame(Fixtures.state()).lines
        #expect(lines[0].contains("Grid"))
        #expect(lines[0].contains("fake"))
        #expect(lines[0].contains("5s"))
        #expect(lines[39].contains("q quit"))
    }

    @Test func pausedShowsInTheHeader() async {
        var s = Fixtures.state()
        s.paused = true
        #expect(await frame(s).lines[0].contains("PAUSED"))
    }

    @Test func aTinyTerminalGetsAShortMessageAndNothingCrashes() async {
        for (w, h) in [(1, 1), (10, 3), (19, 40), (0, 0), (200, 4)] {
            let b = await frame(Fixtures.state(), width: w, height: h)
            #expect(b.width == w && b.height == h)
        }
        let small = await frame(Fixtures.state(), width: 18, height: 4).lines.joined()
        #expect(!small.trimmingCharacters(in: .whitespaces).isEmpty)
    }

    @Test func zoomShowsOnePanelOverTheWholeBody() async {
        var s = Fixtures.state()
        s.currentView.selected = 1
        s.currentView.zoomed = 1
        let geo = ScreenComposer.geometry(s, width: 120, height: 40)
        #expect(geo.rects[1] == Rect(x: 0, y: 1, width: 120, height: 38))
        #expect(geo.rects.filter { !$0.isEmpty }.count == 1)
        let text = await frame(s).lines.joined(separator: "\n")
        #expect(text.contains("B"))
    }

    @Test func theHelpOverlayListsTheKeys() async {
        var s = Fixtures.state()
        s.overlay = .help
        let text = await frame(s).lines.joined(separator: "\n")
        #expect(text.contains("quit"))
        #expect(text.contains("next / previous layout"))
    }

    @Test func aFailingQueryShowsItsReasonInItsPanelAndTheStatusLine() async {
        let source = FakeQuerySource()
        source.failing["d"] = QueryFailure(kind: .http, message: "HTTP 503")
        let lines = await frame(Fixtures.state(), source: source).lines
        #expect(lines.dropLast().contains { $0.contains("HTTP 503") })
        #expect(lines[39].contains("503"))
    }

    @Test func serverWarningsReachTheStatusLine() async {
        let source = FakeQuerySource()
        source.warnings["d"] = "too many samples"
        let lines = await frame(Fixtures.state(), source: source).lines
        #expect(lines[39].contains("warning"))
    }

    @Test func asciiCapsDrawNoNonASCIICharacters() async {
        let b = await frame(Fixtures.state(), caps: .ascii)
        let text = b.lines.joined()
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func narrowTerminalsStackPanelsInReadingOrder() {
        let geo = ScreenComposer.geometry(Fixtures.state(), width: 60, height: 40)
        let ys = geo.rects.filter { !$0.isEmpty }.map(\.y)
        #expect(ys == ys.sorted())
        #expect(Set(ys).count == ys.count)
    }

    @Test func aShippedLayoutSendsEachQueryOnce() async throws {
        let path = Fixtures.repoRoot.appendingPathComponent("layouts/executive.json").path
        let dashboard = try LayoutLoader.load(file: path)
        let state = AppState(layouts: [LayoutEntry(name: "executive", dashboard: dashboard)], rangeMs: 15 * 60_000)
        let source = FakeQuerySource()
        _ = await frame(state, source: source)
        #expect(!source.instantCalls.isEmpty || !source.rangeCalls.isEmpty)
        #expect(Set(source.instantCalls).count == source.instantCalls.count)
        let ranges = source.rangeCalls.map { "\($0.0)@\($0.3)" }
        #expect(Set(ranges).count == ranges.count)
        // Every range query is aligned to its step and ends at or before now.
        for (_, start, end, step) in source.rangeCalls {
            #expect(start % step == 0 && end % step == 0 && end <= now)
        }
    }
}
