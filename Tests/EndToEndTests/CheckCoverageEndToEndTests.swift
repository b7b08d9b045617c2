import Foundation
import TestSupport
import Testing

/// `lookout check --coverage` as a user types it: the table for a fixture, and every real dashboard in
/// ../shared/dashboards checked with exit status 0 (warnings only).
@Suite struct CheckCoverageEndToEndTests {
    static let fixture = "Tests/LayoutsTests/Fixtures/grafana/odd-values.json"

    @Test func coverageTableForAFixture() throws {
        let (output, status) = try runLookout(["check", "--coverage", Self.fixture], environment: [:])
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        let table = Array(lines.drop { !$0.hasSuffix(": coverage") })
        #expect(table == [
            "\(Self.fixture): coverage",
            "PANEL      TITLE            TYPE        STATUS        WHY",
            "panels[0]  grafanalib stat  stat        drawn",
            "panels[1]  42               timeseries  not drawn     datasource loki is not Prometheus",
            "panels[2]  mixed            graph       approximated  not queried: B (testdata), C (no PromQL expr)",
            "panels[3]  wide             text        drawn",
            "4 panels: 2 drawn, 1 approximated, 1 not drawn",
            "4 warnings",
        ])
    }

    @Test func everySharedDashboardChecksWithoutErrors() throws {
        let folder = TmuxHarness.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/dashboards")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            _ = try Tools.missing("../shared/dashboards", for: "everySharedDashboardChecksWithoutErrors")
            return
        }
        let files = names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0).path }
        #expect(files.count == 10)
        let (output, status) = try runLookout(["check", "--coverage"] + files, environment: [:])
        #expect(status == 0, "\(output.split(separator: "\n").filter { $0.contains(": error:") }.prefix(5))")
        #expect(output.split(separator: "\n").filter { $0.hasSuffix(": coverage") }.count == 10)
    }

    @Test func titlesFromTheFileCannotReachTheTerminalAsEscapes() throws {
        let file = NSTemporaryDirectory() + "lookout-esc-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let text = #"{"schemaVersion": 39, "panels": [{"type": "stat", "title": "A\u001b[31mRED", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 4}}, {"type": "worldmap", "title": "B\u001b]0;pwned\u0007", "gridPos": {"x": 6, "y": 2, "w": 12, "h": 4}}]}"#
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let (output, status) = try runLookout(["check", "--coverage", file], environment: [:])
        #expect(status == 0)
        #expect(output.contains("overlaps panels[0] (\"ARED\"); moved down to y=4"))
        #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }
}
