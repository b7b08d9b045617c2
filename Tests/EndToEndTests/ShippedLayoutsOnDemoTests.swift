import Foundation
import TestSupport
import Testing

/// Every panel of every shipped layout shows data on the demo, through the real binary's
/// `lookout snapshot` (the same code path as the live dashboard, rules included, so the health
/// score and its components are there too).
@Suite(.timeLimit(.minutes(3)))
struct ShippedLayoutsOnDemoTests {
    /// What a panel says when it has nothing to show (render's honest states).
    static let emptyStates = ["no data", "error:", "loading", "stale"]

    @Test(arguments: ["executive", "technical", "slo"])
    func everyPanelHasData(layout: String) throws {
        // A short range and interval so that the graphs' first step boundaries fall inside --after.
        let (out, status) = try runLookout(
            ["snapshot", "--demo", "--layout", layout, "--interval", "1s", "--range", "5m", "--after", "20s",
             "--size", "180x60", "--color", "never"],
            environment: ["LANG": "C.UTF-8", "PATH": Tools.searchPath, "HOME": "/nonexistent"])
        #expect(status == 0)
        let frame = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(frame.count >= 60, "\(out)")
        for state in Self.emptyStates {
            let lines = frame.filter { $0.contains(state) }
            #expect(lines.isEmpty, "\(layout): a panel says \"\(state)\":\n\(lines.joined(separator: "\n"))\n\(out)")
        }
        #expect(ScreenText.hasNumbers(out))
        if layout == "executive" {
            // The health gauge lists its components under the bar.
            #expect(out.contains("rt ") && out.contains("err ") && out.contains("cache ") && out.contains("sys "),
                    "\(out)")
        }
    }
}
