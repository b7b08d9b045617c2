import Testing
import TestSupport
@testable import Render

/// Random (but seeded, so repeatable) data and sizes through the whole dashboard.
@Suite struct FuzzTests {

    static let oddValues: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1e-300, -1e300, .greatestFiniteMagnitude,
                                      .leastNonzeroMagnitude, 42, -7.5]
    static let oddText = ["", "\u{1b}[2J", "東京🔥", "e\u{301}\u{202E}x", "café µs", String(repeating: "w", count: 300), "ok"]

    func randomSeries(_ rng: inout SplitMix) -> SeriesData {
        let count = Int.random(in: 0...120, using: &rng)
        var t = Int64.random(in: 1_699_999_000_000...1_700_000_100_000, using: &rng)
        let points = (0..<count).map { _ -> DataPoint in
            t += Int64.random(in: -5_000...60_000, using: &rng)  // sometimes out of order
            let v = Bool.random(using: &rng) ? Double.random(in: -1e6...1e6, using: &rng) : Self.oddValues.randomElement(using: &rng)!
            return DataPoint(t: t, v: v)
        }
        return SeriesData(name: Self.oddText.randomElement(using: &rng)!, points: points)
    }

    @Test func randomDashboardsRenderCleanly() {
        var rng = SplitMix(state: 2026)
        let kinds: [PanelKind] = [.stat, .graph, .gauge, .table, .text, .alerts, .row, .placeholder("pie")]
        let units: [UnitFormat] = [.seconds, .milliseconds, .percent, .percentUnit, .bytes, .reqps, .short, .none]
        for round in 0..<60 {
            let count = Int.random(in: 0...8, using: &rng)
            var panels: [PanelData] = []
            var grid: [GridItem] = []
            for _ in 0..<count {
                var p = PanelData(title: Self.oddText.randomElement(using: &rng)!, kind: kinds.randomElement(using: &rng)!,
                                  series: (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomSeries(&rng) },
                                  unit: units.randomElement(using: &rng)!)
                p.decimals = Bool.random(using: &rng) ? Int.random(in: -3...20, using: &rng) : nil
                p.min = Bool.random(using: &rng) ? Self.oddValues.randomElement(using: &rng) : nil
                p.max = Bool.random(using: &rng) ? Self.oddValues.randomElement(using: &rng) : nil
                p.thresholds = [ThresholdStep(value: nil, color: .green),
                                ThresholdStep(value: Self.oddValues.randomElement(using: &rng), color: .red)]
                p.text = Self.oddText.randomElement(using: &rng)
                p.table = TableData(columns: ["a", Self.oddText.randomElement(using: &rng)!],
                                    rows: [[.number(Self.oddValues.randomElement(using: &rng)!), .text("x")]])
                p.alerts = [AlertRow(state: .firing, severity: "s", name: Self.oddText.randomElement(using: &rng)!,
                                     sinceSeconds: Int.random(in: -10...100_000, using: &rng))]
                if Bool.random(using: &rng) {
                    let a = Int64.random(in: 1_699_999_000_000...1_700_000_100_000, using: &rng)
                    p.timeWindow = TimeWindow(startMs: a, endMs: a + Int64.random(in: -1000...3_600_000, using: &rng))
                }
                panels.append(p)
                grid.append(Bool.random(using: &rng) ? GridItem() : GridItem(
                    x: Int.random(in: -2...26, using: &rng), y: Int.random(in: -2...30, using: &rng),
                    w: Int.random(in: -1...30, using: &rng), h: Int.random(in: -1...12, using: &rng),
                    isRow: p.kind == .row))
            }
            let header = HeaderData(title: Self.oddText.randomElement(using: &rng)!, source: "demo", interval: "5s",
                                    nowMs: 1_700_000_000_000)
            let view = DashboardView(chrome: ChromeData(header: header, status: StatusData()), panels: panels, grid: grid,
                                     selected: Int.random(in: -1...8, using: &rng),
                                     zoomed: round % 5 == 0 ? Int.random(in: 0...8, using: &rng) : nil,
                                     showHelp: round % 7 == 0)
            let caps = [TerminalCaps.full, .ascii, TerminalCaps(unicode: true, colors: 8)][round % 3]
            let width = Int.random(in: 0...130, using: &rng), height = Int.random(in: 0...45, using: &rng)
            let (buffer, rects) = renderDashboard(view, width: width, height: height, caps: caps)
            #expect(rects.count == panels.count)
            let bad = buffer.cells.filter { cell in
                // One character per cell: a base with a few marks, or one emoji sequence.
                cell.character.unicodeScalars.count > Sanitize.maxSequence
                    || cell.character.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
                    || (!caps.unicode && !cell.character.isASCII)
                    || (caps.colors == 8 && { if case .indexed = cell.style.fg { return true } else { return false } }())
            }
            #expect(bad.isEmpty, "round \(round): \(bad.prefix(3))")
        }
    }

    @Test func noColourMeansNoColourButStateStillStandsOut() {
        let panel = PanelData(title: "Alerts", kind: .alerts, alerts: [AlertRow(state: .firing, severity: "page",
                                                                                 name: "Down", sinceSeconds: 5)])
        let header = HeaderData(title: "t", source: "demo", interval: "5s", nowMs: 0, firingCount: 1)
        let view = DashboardView(chrome: ChromeData(header: header, status: StatusData()), panels: [panel],
                                 grid: [GridItem(x: 0, y: 0, w: 24, h: 4)])
        let buffer = renderDashboard(view, width: 40, height: 8, caps: TerminalCaps(unicode: true, colors: 0)).buffer
        #expect(buffer.cells.allSatisfy { $0.style.fg == .default && $0.style.bg == .default })
        let y = buffer.lines.firstIndex { $0.hasPrefix("│ FIRING") }
        #expect(y != nil)
        #expect(y.map { buffer[2, $0].character == "F" && buffer[2, $0].style.attributes.contains(.bold) } == true)
    }
}
