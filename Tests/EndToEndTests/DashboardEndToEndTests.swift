import Foundation
import TestSupport
import Testing

/// The real binary in tmux: what an on-call engineer sees. Skipped quietly without tmux or a built binary.
@Suite(.serialized, .enabled(if: TmuxHarness.available), .timeLimit(.minutes(2)))
struct DashboardEndToEndTests {
    /// The pane runs the dashboard, then reports its exit status and hands over to a plain shell
    /// so that the terminal's state after quitting can be inspected.
    func shellCommand(_ env: String, _ args: String) -> String {
        // `env -i`: only what the test names (the test runner's own NO_COLOR, say, must not leak in).
        "cd '\(TmuxHarness.repoRoot.path)' && env -i PATH='\(Tools.searchPath)' HOME=/nonexistent \(env) "
            + "'\(TmuxHarness.binary)' \(args); "
            + "echo EXITED $?; exec env PS1='$ ' bash --norc --noprofile"
    }

    @Test func demoDashboardSwitchesLayoutsShowsHelpSurvivesResizeAndQuitsCleanly() throws {
        let tmux = try TmuxHarness(width: 120, height: 40,
                                   command: shellCommand("LANG=C.UTF-8 TERM=tmux-256color", "demo --interval 1s"))
        defer { tmux.close() }

        let first = try tmux.waitFor("the executive layout with numbers and graphics") { s in
            s.contains("Health score") && ScreenText.hasNumbers(s) && ScreenText.hasGraphics(s)
        }
        #expect(first.contains("demo"))
        // Threshold colours appear once values are in (colour means state).
        try tmux.waitFor("colour escapes", timeout: 15, escapes: true) { ScreenText.hasColour($0) }

        try tmux.send("Tab")
        try tmux.waitFor("the technical layout") { $0.contains("Technical") || ($0.contains("Database") && $0.contains("Cache")) }

        try tmux.send("?")
        try tmux.waitFor("the help overlay") { $0.contains("next / previous layout") && $0.contains("quit") }
        try tmux.send("Escape")
        try tmux.waitFor("the help closed") { !$0.contains("next / previous layout") }

        try tmux.resize(width: 60, height: 20)
        let small = try tmux.waitFor("a sane 60x20 screen") { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return s.contains("LOOKOUT") && lines.prefix(20).allSatisfy { $0.count <= 60 }
        }
        #expect(!small.contains("EXITED"))
        try tmux.resize(width: 120, height: 40)
        try tmux.waitFor("the full screen again") { $0.contains("LOOKOUT") && $0.contains("targets") }

        try tmux.send("q")
        try tmux.waitFor("the shell after quitting") { $0.contains("EXITED 0") }
        // stty writes to a file: the screen would also show the echoed command line, which names the flags.
        let sttyFile = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-stty-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: sttyFile) }
        try tmux.sendLiteral("stty -a > '\(sttyFile).tmp' && mv '\(sttyFile).tmp' '\(sttyFile)'")
        try tmux.send("Enter")
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: sttyFile) && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        let flags = Set(try String(contentsOfFile: sttyFile, encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        // Canonical mode and echo are back: the shell is usable.
        #expect(flags.isSuperset(of: ["icanon", "echo"]))
        #expect(flags.isDisjoint(with: ["-icanon", "-echo"]))
        // The cursor is visible again and the main screen is back (curses restored both on the way out).
        #expect(try tmux.display("#{cursor_flag} #{alternate_on}") == "1 0")
    }

    @Test func aCLocaleDrawsPlainASCII() throws {
        let tmux = try TmuxHarness(width: 100, height: 30,
                                   command: shellCommand("LANG=C LC_ALL=C TERM=tmux-256color", "demo --interval 1s"))
        defer { tmux.close() }
        let screen = try tmux.waitFor("the dashboard in ASCII") { $0.contains("Health score") && ScreenText.hasNumbers($0) }
        let dashboard = screen.components(separatedBy: "EXITED").first ?? screen
        #expect(dashboard.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII on screen:\n\(dashboard)")
        try tmux.send("q")
        try tmux.waitFor("exit") { $0.contains("EXITED 0") }
    }

    @Test func noColorMeansNoColourEscapes() throws {
        let tmux = try TmuxHarness(width: 100, height: 30,
                                   command: shellCommand("NO_COLOR=1 LANG=C.UTF-8 TERM=tmux-256color", "demo --interval 1s"))
        defer { tmux.close() }
        try tmux.waitFor("the dashboard") { $0.contains("Health score") && ScreenText.hasNumbers($0) }
        let screen = try tmux.capture(escapes: true)
        #expect(!ScreenText.hasColour(screen))
        try tmux.send("C-c")
        try tmux.waitFor("exit on Ctrl-C") { $0.contains("EXITED 0") }
    }

    @Test func sigtermRestoresTheTerminal() throws {
        // The dashboard's pid, by the sh that execs it: signals go to exactly that process.
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-pid-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let tmux = try TmuxHarness(width: 100, height: 30, command: shellCommand(
            "LANG=C.UTF-8 TERM=tmux-256color", "demo --interval 1s").replacingOccurrences(
                of: "'\(TmuxHarness.binary)' demo --interval 1s;",
                with: "sh -c 'echo $$ > \"\(pidFile)\"; exec \"$0\" demo --interval 1s' '\(TmuxHarness.binary)';"))
        defer { tmux.close() }
        try tmux.waitFor("the dashboard") { $0.contains("Health score") }
        let pid = try #require(pid_t(String(contentsOfFile: pidFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, SIGTERM) == 0)
        try tmux.waitFor("exit on SIGTERM") { $0.contains("EXITED 143") }
    }
}

/// The headless path, driven through the real binary.
@Suite
struct SnapshotEndToEndTests {
    @Test func snapshotOfTheDemoInACLocaleIsASCIIWithoutEscapes() throws {
        let (out, status) = try runLookout(["snapshot", "--demo", "--interval", "500ms", "--after", "1s",
                                            "--size", "100x30", "--color", "never"],
                                           environment: ["LANG": "C", "PATH": Tools.searchPath])
        #expect(status == 0)
        #expect(out.contains("Health score"))
        #expect(out.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(!out.contains("\u{1B}"))
        #expect(out.split(separator: "\n").count == 30)
    }

    @Test func snapshotWithColorAlwaysHasColourAndNoColorIsOverridden() throws {
        let (out, status) = try runLookout(["snapshot", "--demo", "--interval", "500ms", "--after", "1s",
                                            "--size", "100x30", "--color", "always"],
                                           environment: ["LANG": "C.UTF-8", "NO_COLOR": "1", "PATH": Tools.searchPath])
        #expect(status == 0)
        #expect(ScreenText.hasColour(out))
        #expect(ScreenText.hasGraphics(out))
    }

    @Test func wrongFlagsExitWithUsage() throws {
        let (_, status) = try runLookout(["--no-such-flag"], environment: [:])
        #expect(status == 64)
        let (_, noSource) = try runLookout([], environment: ["HOME": "/nonexistent"])
        #expect(noSource == 64)
    }
}
