import Foundation
import Testing
import TestSupport

/// A crash (a fault, or a Swift runtime trap: SIGILL on x86_64, SIGTRAP on arm64, SIGABRT) must give the
/// terminal back: the same terminal modes as before (`stty -a` compared whole, written to a file so
/// that no echoed command can match), the main screen, a visible cursor and mouse reporting off.
/// The signal is sent to the real binary with kill(2); nothing in the product triggers a crash.
@Suite(.serialized) struct CrashRestoreEndToEndTests {
    @Test(arguments: [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT])
    func crashGivesTheTerminalBack(signal: Int32) throws {
        guard let tmux = try Tools.require("tmux", for: "CrashRestoreEndToEndTests") else { return }
        let binary = try BuiltBinary.require(repoRoot: TmuxHarness.repoRoot)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = { (name: String) in dir.appendingPathComponent(name).path }
        // The inner sh writes its pid and execs the dashboard, so the pid is the dashboard's. The outer
        // shell is not interactive: it saves and restores no terminal modes of its own. The Swift
        // backtracer is off: on a terminal it would wait for a key before the process ends.
        let command = "cd '\(TmuxHarness.repoRoot.path)'; stty -a > '\(file("before"))'; "
            + "SWIFT_BACKTRACE=enable=no sh -c 'echo $$ > \"\(file("pid"))\"; exec \"\(binary)\" demo --interval 1s'; "
            + "echo $? > '\(file("status"))'; stty -a > '\(file("after"))'; sleep 120"
        let harness = try TmuxHarness(width: 100, height: 30, command: command)
        defer { harness.close() }
        try harness.waitFor("the dashboard") { $0.contains("LOOKOUT") }
        #expect(try display(tmux, harness) == "1 0 1", "alternate screen, hidden cursor, mouse on while running")
        let pid = try #require(pid_t(String(contentsOfFile: file("pid"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, signal) == 0)
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: file("after")) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        Thread.sleep(forTimeInterval: 0.2)
        let status = try String(contentsOfFile: file("status"), encoding: .utf8)
        #expect(status == "\(128 + signal)\n", "died of the signal, re-raised")
        let before = try String(contentsOfFile: file("before"), encoding: .utf8)
        let after = try String(contentsOfFile: file("after"), encoding: .utf8)
        #expect(after == before)
        #expect(try display(tmux, harness) == "0 1 0", "main screen, cursor shown, mouse off after the crash")
    }

    /// Alternate screen, cursor visible, any mouse reporting: tmux's view of the pane.
    private func display(_ tmux: String, _ harness: TmuxHarness) throws -> String {
        let r = try Spawn.run(tmux, ["-L", harness.socket, "display-message", "-p", "-t", harness.session,
                                     "#{alternate_on} #{cursor_flag} #{?#{||:#{mouse_standard_flag},#{mouse_any_flag}},1,0}"],
                              captureOutput: true)
        return r.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
