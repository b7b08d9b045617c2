import Foundation
import TestSupport
import Testing

/// The first frame with data in embedded mode: the executive layout's Health score is a recording
/// rule's output, so it shows only once the rules have run on a scrape. With a long scrape interval
/// it must still come right after the first scrape, not one interval (or one rule group interval)
/// later. Generous bounds: this checks the behaviour, `scripts/bench-startup.sh` times it.
@Suite(.serialized, .enabled(if: TmuxHarness.available), .timeLimit(.minutes(2)))
struct StartupEndToEndTests {
    /// A gauge's value, as the bench script finds it (`┃ 55.0 `).
    static let gaugeValue = #"┃ [0-9]+(\.[0-9]+)? "#

    @Test func theHealthScoreShowsLongBeforeTheFirstIntervalEnds() throws {
        let command = "cd '\(TmuxHarness.repoRoot.path)' && env -i PATH='\(Tools.searchPath)' HOME=/nonexistent "
            + "LANG=C.UTF-8 TERM=tmux-256color '\(TmuxHarness.binary)' demo --interval 60s --layout executive"
        let tmux = try TmuxHarness(width: 120, height: 40, command: command)
        defer { tmux.close() }
        let started = Date()
        // The next scrape (and so the next refresh) is 60 s away; the rules' own group interval is 5 s.
        let screen = try tmux.waitFor("the Health score's value, well before the 60 s interval", timeout: 25) { s in
            s.contains("Health score") && s.range(of: Self.gaugeValue, options: .regularExpression) != nil
        }
        #expect(Date().timeIntervalSince(started) < 25, "screen:\n\(screen)")
        try tmux.send("q")
    }
}
