import Foundation
import Testing
import TestSupport

/// Issue 12: a frame goes to the terminal in one `write`. ncurses 6.4 wrote out what it had at every
/// cursor move until the screen had been suspended once, about twenty writes a frame (over SSH,
/// as many packets). Counted on the real binary: the write system calls of the whole process
/// (`syscw` in /proc/PID/io) over five seconds of the demo at a 1 s interval, which draws a frame a
/// second; the demo's own server and the wake-up pipes add a few more. Measured on a release build:
/// 27 writes a second before the fix, 5 after.
@Suite(.serialized, .enabled(if: TmuxHarness.available), .timeLimit(.minutes(5)))
struct FrameWritesEndToEndTests {
    @Test func aFrameGoesToTheTerminalInOneWrite() throws {
        let binary = TmuxHarness.binary
        let command = "cd '\(TmuxHarness.repoRoot.path)' && exec env -i PATH='\(Tools.searchPath)' HOME=/nonexistent "
            + "LANG=C.UTF-8 TERM=tmux-256color '\(binary)' demo --interval 1s"
        let tmux = try TmuxHarness(width: 120, height: 40, command: command)
        defer { tmux.close() }
        try tmux.waitFor("the demo's numbers", timeout: 90) { ScreenText.hasNumbers($0) && $0.contains("req/s") }
        let pid = try #require(Int32(try tmux.display("#{pane_pid}")), "no pane pid")
        // Settled: the first scrapes and the start-up frames are past.
        Thread.sleep(forTimeInterval: 3)
        let before = try Self.writeCalls(pid)
        Thread.sleep(forTimeInterval: 5)
        let after = try Self.writeCalls(pid)
        let screen = try tmux.capture()
        #expect(screen.contains("req/s"), "the dashboard is no longer on screen:\n\(screen)")
        #expect(after - before <= 40, "\(after - before) write calls in 5 s (at most 40: a frame a second in one write, plus the demo's server and wake-ups)")
    }

    /// The process' count of write system calls so far.
    static func writeCalls(_ pid: Int32) throws -> Int {
        let io = try String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8)
        for line in io.split(separator: "\n") where line.hasPrefix("syscw:") {
            if let n = Int(line.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces)) { return n }
        }
        throw HarnessError(message: "no syscw in /proc/\(pid)/io:\n\(io)")
    }
}
