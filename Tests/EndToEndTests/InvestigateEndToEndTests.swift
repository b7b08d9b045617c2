import Foundation
import TestSupport
import Testing

/// Issue 11's "done when": investigating the demo's incident on the real binary in tmux. Cursor,
/// time travel, the table filter, the inspector and the PromQL prompt in one session; the alert
/// marker and the idle frame count in a second one.
@Suite(.serialized, .enabled(if: TmuxHarness.available), .timeLimit(.minutes(5)))
struct InvestigateEndToEndTests {
    static let arguments = "demo --scenario incident --incident-after 20s --interval 1s"

    func start(_ state: String) throws -> TmuxHarness {
        let command = "cd '\(TmuxHarness.repoRoot.path)' && env -i PATH='\(Tools.searchPath)' HOME=/nonexistent "
            + "XDG_STATE_HOME='\(state)' LANG=C.UTF-8 TERM=tmux-256color '\(TmuxHarness.binary)' \(Self.arguments); "
            + "echo EXITED $?; exec sleep 600"
        return try TmuxHarness(width: 120, height: 40, command: command)
    }

    func stateFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "lookout-investigate-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Selects the panel whose frame title starts with `title` (the selected frame is drawn heavy).
    func select(_ title: String, in tmux: TmuxHarness) throws {
        for keys in [[], ["l"], ["j"], ["h"], ["j"], ["k"], ["k"], ["l"], ["j"], ["j"], ["h"]] {
            for k in keys { try tmux.send(k) }
            if let screen = try? tmux.waitFor("\(title) selected", timeout: 2, { $0.contains("┏ " + title) }), !screen.isEmpty {
                return
            }
        }
        throw HarnessError(message: "could not select \(title):\n\(try tmux.capture())")
    }

    static func cursorTime(_ s: String) -> String? {
        s.firstMatch(of: /cursor (\d\d:\d\d:\d\d)/).map { String($0.1) }
    }

    /// The P95 value in the cursor's legend box (`│ ● P95  1.24 s │`).
    static func boxValue(_ s: String, series: String) -> String? {
        s.split(separator: "\n").compactMap { line -> String? in
            guard let m = line.firstMatch(of: /│ ● (\w+)  ([0-9.]+ m?s) +│/), m.1 == series else { return nil }
            return String(m.2)
        }.first
    }

    /// The time labels of the zoomed graph's axis: the line with two clock times or more.
    static func axisTimes(_ s: String) -> [String] {
        for line in s.split(separator: "\n") {
            let times = line.matches(of: /\d\d:\d\d(:\d\d)?/).map { String($0.0) }
            if times.count >= 2, !line.contains("LOOKOUT") { return times }
        }
        return []
    }

    @Test func cursorPanFilterInspectorAndPromptOnTheIncident() throws {
        let state = try stateFolder()
        let tmux = try start(state)
        defer { tmux.close() }
        try tmux.waitFor("the executive layout with data", timeout: 40) { s in
            s.contains("Health score") && ScreenText.hasNumbers(s) && ScreenText.hasGraphics(s)
        }
        // Some history before and into the incident (it starts 20 s in).
        Thread.sleep(forTimeInterval: 30)

        // Zoom the latency graph and move the cursor: its time and the P95 value it shows change.
        try select("Latency", in: tmux)
        try tmux.send("f")
        try tmux.waitFor("the zoomed latency graph") { $0.contains("last") && $0.contains("mean") }
        try tmux.send("Left")
        let first = try tmux.waitFor("the cursor and its legend box") { Self.cursorTime($0) != nil && Self.boxValue($0, series: "P95") != nil }
        let (t1, v1) = (Self.cursorTime(first)!, Self.boxValue(first, series: "P95")!)
        // About 30 s back: before the incident, still inside the history.
        for _ in 0..<3 { try tmux.send("H") }
        let moved = try tmux.waitFor("the cursor further back") { s in
            Self.cursorTime(s).map { $0 != t1 } == true && Self.boxValue(s, series: "P95").map { $0 != v1 } == true
        }
        #expect(Self.cursorTime(moved)! < t1, "cursor went back in time:\n\(moved)")

        // Pan back half a window: not live, earlier axis times; 0 comes back to the present.
        try tmux.send("Escape")
        let live = try tmux.waitFor("the cursor dropped") { Self.cursorTime($0) == nil && !Self.axisTimes($0).isEmpty }
        let liveTimes = Self.axisTimes(live)
        try tmux.send("[")
        let past = try tmux.waitFor("the window in the past") { s in
            s.split(separator: "\n").first?.contains("NOT LIVE") == true && !Self.axisTimes(s).isEmpty
                && Self.axisTimes(s).first! < liveTimes.first!
        }
        let pastTimes = Self.axisTimes(past)
        try tmux.send("0")
        let back = try tmux.waitFor("live again") { s in
            s.split(separator: "\n").first?.contains("NOT LIVE") == false && !Self.axisTimes(s).isEmpty
                && Self.axisTimes(s).first! >= liveTimes.first!
        }
        #expect(Self.axisTimes(back).first! > pastTimes.first!)
        // The mouse wheel pans too (an X10 mouse report of button 4, as tmux's terminal sends it).
        try tmux.sendLiteral("\u{1B}[M`4*")
        try tmux.waitFor("the wheel panned back") { $0.split(separator: "\n").first?.contains("NOT LIVE") == true }
        try tmux.send("0")
        try tmux.waitFor("live again after the wheel") { $0.split(separator: "\n").first?.contains("NOT LIVE") == false }

        // The inspector shows the expression as sent.
        try tmux.send("e")
        try tmux.waitFor("the inspector") { s in
            s.contains("Inspect: Latency") && s.contains("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))")
                && s.contains("demo · step")
        }
        try tmux.send("Escape")
        try tmux.send("Escape")
        try tmux.waitFor("the grid again") { $0.contains("Endpoints, P95 vs target") }

        // Filter the endpoints table.
        try select("Endpoints", in: tmux)
        try tmux.send("/")
        try tmux.sendLiteral("upload")
        try tmux.send("Enter")
        let filtered = try tmux.waitFor("the filtered table") { s in
            s.contains("Endpoints, P95 vs target /upload") && s.contains("/api/files/upload") && !s.contains("/api/auth/login")
        }
        #expect(!filtered.contains("/api/analytics/report"))

        // The PromQL prompt: complete `http_req` with Tab, run, see a graph.
        try tmux.send(":")
        try tmux.sendLiteral("rate(http_req")
        try tmux.waitFor("completions from the store") { $0.contains("http_requests_total") && $0.contains("completions") }
        try tmux.send("Tab")
        try tmux.waitFor("the completed name") { $0.contains(": rate(http_requests_total") }
        try tmux.sendLiteral("[1m])")
        try tmux.send("Enter")
        let graph = try tmux.waitFor("the explore graph") { s in
            s.contains("┏ rate(http_requests_total[1m])") && ScreenText.hasGraphics(s) && s.contains("(1m)")
        }
        #expect(!graph.contains("Health score"))
        // The line went to the history file.
        let history = try String(contentsOfFile: state + "/lookout/history", encoding: .utf8)
        #expect(history == "rate(http_requests_total[1m])\n")

        try tmux.send("q")
        try tmux.waitFor("the dashboard to quit") { $0.contains("EXITED 0") }
    }

    @Test func firingAlertMarksTheLatencyGraphAndAnIdleCursorWritesAlmostNothing() throws {
        let tmux = try start(try stateFolder())
        defer { tmux.close() }
        // HighErrorRate: pending about 25 s in, firing a minute later (`for: 1m`).
        try tmux.waitFor("HighErrorRate firing", timeout: 180) { $0.split(separator: "\n").first?.contains("FIRING") == true }
        try select("Latency", in: tmux)
        try tmux.send("f")
        let zoomed = try tmux.waitFor("an F marker on the latency graph's time axis") { s in
            s.split(separator: "\n").contains { line in
                line.matches(of: /\d\d:\d\d/).count >= 2 && !line.contains("LOOKOUT") && line.contains("F")
            }
        }
        // The cursor on the marker names it in the legend box.
        try tmux.send("{")
        try tmux.waitFor("the marker's name under the cursor") { $0.contains(/│ [PF] \w+/) }
        #expect(zoomed.contains("Latency"))

        // Idle: the cursor on, the window in the past (a live window slides with the clock). Nothing is
        // fetched and nothing moves but the header's clock, once a second.
        try tmux.send("[")
        try tmux.waitFor("not live") { $0.split(separator: "\n").first?.contains("NOT LIVE") == true }
        Thread.sleep(forTimeInterval: 1.5)
        let log = NSTemporaryDirectory() + "lookout-pty-\(getpid())-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: log) }
        _ = try Spawn.run(TmuxHarness.tmuxPath!, ["-L", tmux.socket, "-f", "/dev/null", "pipe-pane", "-t", tmux.session,
                                                  "-o", "cat >> '\(log)'"], environment: nil, captureOutput: false)
        Thread.sleep(forTimeInterval: 10)
        _ = try Spawn.run(TmuxHarness.tmuxPath!, ["-L", tmux.socket, "-f", "/dev/null", "pipe-pane", "-t", tmux.session],
                          environment: nil, captureOutput: false)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
        // One frame of this screen is about 5 kB of cells; ten idle seconds write a few header cells a second.
        print("idle output over 10 s: \(bytes) bytes")
        #expect(bytes > 0 && bytes < 2500, "\(bytes) bytes written in 10 idle seconds")
        try tmux.send("q")
        try tmux.waitFor("the dashboard to quit") { $0.contains("EXITED 0") }
    }
}
