import Testing
@testable import Render

/// Whole screens composed the way the App composes them (chrome, grid, panels), compared with files
/// under Snapshots/. Re-record with `RECORD_SNAPSHOTS=1 swift test --filter SnapshotTests`.
@Suite struct SnapshotTests {
    static let start: Int64 = 1_700_000_000_000
    static let window = TimeWindow(startMs: start, endMs: start + 15 * 60_000)

    /// A smooth, deterministic wave: 91 points over 15 minutes.
    static func wave(_ name: String, base: Double, amplitude: Double, phase: Double) -> SeriesData {
        SeriesData(name: name, points: (0...90).map { i in
            let x = Double(i) / 90 * 6.3 + phase
            // A cheap deterministic wave without Foundation's sin: a triangle smoothed by squaring.
            let t = (x.truncatingRemainder(dividingBy: 2) - 1)
            return DataPoint(t: start + Int64(i) * 10_000, v: base + amplitude * (1 - t * t))
        })
    }

    static let panels: [(GridItem, PanelData)] = [
        (GridItem(x: 0, y: 0, w: 6, h: 8), PanelData(
            title: "Health score", kind: .stat, series: [wave("score", base: 60, amplitude: 10, phase: 0)],
            thresholds: [ThresholdStep(value: nil, color: .red), ThresholdStep(value: 70, color: .yellow),
                         ThresholdStep(value: 85, color: .green)], timeWindow: window)),
        (GridItem(x: 6, y: 0, w: 18, h: 8), PanelData(
            title: "Latency", kind: .graph, series: [
                wave("P50", base: 0.3, amplitude: 0.1, phase: 0.5), wave("P95", base: 0.8, amplitude: 0.4, phase: 0.3),
                wave("P99", base: 1.2, amplitude: 0.8, phase: 0),
            ], unit: .seconds, thresholds: [ThresholdStep(value: nil, color: .green), ThresholdStep(value: 1.5, color: .red)],
            timeWindow: window)),
        (GridItem(x: 0, y: 8, w: 12, h: 4), PanelData(
            title: "Requests / s", kind: .graph, series: [wave("RPS", base: 2000, amplitude: 500, phase: 1)],
            unit: .reqps, timeWindow: window)),
        (GridItem(x: 12, y: 8, w: 12, h: 4), PanelData(
            title: "Error rate", kind: .gauge, series: [series("err", [4.86])], unit: .percent, max: 10,
            thresholds: [ThresholdStep(value: nil, color: .green), ThresholdStep(value: 1, color: .red)])),
        (GridItem(x: 0, y: 12, w: 14, h: 6), PanelData(
            title: "Endpoints, P95", kind: .table, unit: .seconds,
            table: TableData(columns: ["endpoint", "p95", "target"], rows: [
                [.text("/api/auth/login"), .number(0.382), .number(0.2)],
                [.text("/api/user/dashboard"), .number(0.571), .number(0.3)],
                [.text("/api/analytics/report"), .number(3.18), .number(2)],
            ]))),
        (GridItem(x: 14, y: 12, w: 10, h: 6), PanelData(
            title: "Alerts", kind: .alerts, alerts: [
                AlertRow(state: .firing, severity: "critical", name: "HighErrorRate", sinceSeconds: 180, valueText: "4.9 %"),
                AlertRow(state: .pending, severity: "warning", name: "LowCacheHitRate", sinceSeconds: 40, valueText: "78 %"),
            ])),
    ]

    static func view(zoom: Int? = nil, help: Bool = false) -> DashboardView {
        let header = HeaderData(title: "Perfect21 Performance Overview", source: "demo", interval: "5s",
                                lastDataMs: start + 15 * 60_000, nowMs: start + 15 * 60_000 + 1000, firingCount: 1,
                                pendingCount: 1, topAlert: "HighErrorRate")
        return DashboardView(chrome: ChromeData(header: header, status: StatusData(targetsUp: 1, targetsTotal: 1)),
                             panels: panels.map(\.1), grid: panels.map(\.0), selected: 1, zoomed: zoom, showHelp: help)
    }

    static func screen(width: Int, height: Int, caps: TerminalCaps, zoom: Int? = nil, help: Bool = false) -> Buffer {
        renderDashboard(view(zoom: zoom, help: help), width: width, height: height, caps: caps).buffer
    }

    @Test func executive120x40() throws {
        try assertSnapshot(Self.screen(width: 120, height: 40, caps: .full).lines, named: "executive-120x40")
    }

    @Test func executive80x24Stacks() throws {
        try assertSnapshot(Self.screen(width: 80, height: 24, caps: .full).lines, named: "executive-80x24")
        try assertSnapshot(Self.screen(width: 60, height: 20, caps: .full).lines, named: "executive-60x20")
    }

    @Test func executiveAscii() throws {
        let buffer = Self.screen(width: 100, height: 30, caps: .ascii)
        #expect(buffer.cells.allSatisfy { $0.character.isASCII })
        try assertSnapshot(buffer.lines, named: "executive-ascii-100x30")
    }

    @Test func zoomedLatency() throws {
        try assertSnapshot(Self.screen(width: 100, height: 30, caps: .full, zoom: 1).lines, named: "zoomed-latency-100x30")
    }

    @Test func helpOverlayOverTheDashboard() throws {
        try assertSnapshot(Self.screen(width: 80, height: 24, caps: .full, help: true).lines, named: "help-80x24")
    }

    @Test func tooSmallTerminalsGetTheMessage() {
        let (buffer, rects) = renderDashboard(Self.view(), width: 19, height: 10)
        #expect(buffer.lines[4].contains("too small") || buffer.lines.joined().contains("too small"))
        #expect(rects.allSatisfy { $0.isEmpty })
        #expect(renderDashboard(Self.view(), width: 0, height: 0).buffer.cells.isEmpty)
    }

    @Test func clicksFindThePanelUnderThem() {
        let (_, rects) = renderDashboard(Self.view(), width: 120, height: 40)
        #expect(panelIndex(at: 5, 5, in: rects) == 0)
        #expect(panelIndex(at: 60, 5, in: rects) == 1)
        #expect(panelIndex(at: 60, 0, in: rects) == nil)  // the header
        let zoomed = renderDashboard(Self.view(zoom: 2), width: 120, height: 40).panelRects
        #expect(panelIndex(at: 5, 5, in: zoomed) == 2)
    }
}
