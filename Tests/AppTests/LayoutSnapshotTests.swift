import App
import Foundation
import Layouts
import MetricsCore
import Render
import Rules
import Testing

/// Snapshot files of each shipped layout, drawn from deterministic data (a fake source, a fixed
/// clock, UTC). Re-record with `RECORD_SNAPSHOTS=1 swift test --filter LayoutSnapshotTests`.
@Suite struct LayoutSnapshotTests {
    static let layouts = ["executive", "technical", "slo"]
    static let sizes = [(120, 40), (80, 24)]
    static let now: Timestamp = 1_800_000_000_000

    static var cases: [(String, Int, Int)] {
        layouts.flatMap { l in sizes.map { (l, $0.0, $0.1) } }
    }

    final class FixedAlerts: AlertFeed {
        func currentAlerts() -> [AlertInstance] {
            let t = Date(timeIntervalSince1970: Double(LayoutSnapshotTests.now) / 1000 - 180)
            return [AlertInstance(name: "HighErrorRate", state: .firing, labels: Labels(["severity": "critical"]),
                                  annotations: ["summary": "5xx above 1 %"], value: 0.049, activeAt: t, firedAt: t)]
        }
        func problems() -> [String] { [] }
    }

    @Test(arguments: cases)
    func shippedLayoutMatchesItsSnapshot(layout: String, width: Int, height: Int) async throws {
        let root = Fixtures.repoRoot
        let path = root.appendingPathComponent("layouts/\(layout).json").path
        let dashboard = try LayoutLoader.load(file: path)
        let state = AppState(layouts: [LayoutEntry(name: layout, dashboard: dashboard, path: path)],
                             rangeMs: 15 * 60_000)
        let request = Snapshot.Request(state: state, settings: SessionSettings(intervalMs: 5000), width: width,
                                       height: height, caps: .full, afterMs: 0)
        let buffer = await Snapshot.frame(request, source: FakeQuerySource(), alerts: FixedAlerts(),
                                          now: Self.now, clock: .fixed(Self.now), utcOffsetSeconds: 0)
        let text = buffer.lines.joined(separator: "\n") + "\n"
        let file = root.appendingPathComponent("Tests/AppTests/Snapshots/\(layout)-\(width)x\(height).txt")
        let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
        if recording || !FileManager.default.fileExists(atPath: file.path) {
            try text.write(to: file, atomically: true, encoding: .utf8)
            if !recording { Issue.record("recorded missing snapshot \(file.lastPathComponent); run again") }
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        if expected != text {
            let diff = zip(expected.split(separator: "\n", omittingEmptySubsequences: false),
                           text.split(separator: "\n", omittingEmptySubsequences: false))
                .enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("""
                \(file.lastPathComponent) differs (RECORD_SNAPSHOTS=1 to re-record); first difference on line \
                \((diff?.offset ?? 0) + 1):
                expected: \(diff.map { String($0.element.0) } ?? "")
                actual:   \(diff.map { String($0.element.1) } ?? "")
                """)
        }
        // Whatever the recording, every panel of a shipped layout must show data from the fake source.
        #expect(!text.contains("no data"))
        #expect(!text.contains("loading"))
    }
}
