import Foundation
import Testing
import TestSupport

/// Issue 10 point 4, for real: VictoriaMetrics (scraping the demo and the exporters, with none of
/// Lookout's recording rules) serves the shipped executive and technical layouts in server mode,
/// the health score drawn from inlined rules; and a server's own error text reaches the panel.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct ServersEndToEndTests {
    static let serverTools = ["victoria-metrics", "prometheus-alertmanager"]

    @Test func victoriaMetricsDrawsTheShippedLayoutsAndServerErrorsShowTheirText() throws {
        guard try ServerTools.required(Self.serverTools, by: "ServersEndToEndTests") else { return }
        guard let stack = try RealStack.start(lookoutBinary: TmuxHarness.binary) else { return }
        defer { stack.stop() }
        let traffic = TrafficGenerator(redisPort: try stack.port("REDIS_PORT"), pgPort: try stack.port("PG_PORT"))
        defer { traffic.stop() }
        let vm = try stack.value("VM_URL")

        // Executive layout: every panel with queries shows a value, the health score included
        // although VictoriaMetrics has no perfect21:* series; its title says it was inlined.
        let executive = try LayoutPanels.read("layouts/executive.json", rows: nil).filter { !$0.exprs.isEmpty }
        #expect(executive.contains { $0.title == "Health score" }, "executive layout panels: \(executive.map(\.title))")
        try ServerQueries.waitForFiniteValues(vm, ["sum(rate(http_requests_total[1m]))", "up{job=\"node\"}"])
        let exec = try ServerSnapshot.until(["--layout", "executive", "--prometheus", vm], executive, seconds: 90)
        ServerSnapshot.check(exec.frame, executive, mode: "executive on VictoriaMetrics")
        #expect(exec.frame.contains(" Health score (inlined) "), "no inlined marker:\n\(exec.frame)")
        #expect(!exec.frame.contains("Latency (inlined)"), "a panel without recorded series marked inlined")

        // Technical layout on VictoriaMetrics: the rows the Prometheus test checks.
        let technical = try LayoutPanels.read("layouts/technical.json", rows: ["Database", "Cache", "System"])
        let tech = try ServerSnapshot.until(["--layout", "technical", "--prometheus", vm], technical, seconds: 90)
        ServerSnapshot.check(tech.frame, technical, mode: "technical on VictoriaMetrics")
        testLog("executive on VictoriaMetrics (attempt \(exec.attempts)):\n\(exec.frame)\n"
            + "technical on VictoriaMetrics (attempt \(tech.attempts)):\n\(tech.frame)")

        // A query both servers refuse at evaluation: the panel shows the server's own words.
        let layout = try BadQueryLayout.write()
        defer { try? FileManager.default.removeItem(atPath: layout) }
        let expected = [
            (try stack.value("PROMETHEUS_URL"), "execution: found duplicate series for the match group"),
            (vm, "422: error when executing query="),
        ]
        for (url, words) in expected {
            let frame = try ServerSnapshot.run(["--layout", layout, "--prometheus", url], size: "160x12")
            guard let box = FrameReader(frame).box(titled: "Bad join") else {
                Issue.record("no Bad join box:\n\(frame)")
                continue
            }
            let text = box.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            #expect(text.contains(words), "\(url): panel does not show \"\(words)\":\n\(frame)")
            #expect(!text.contains("HTTP 422"), "\(url): only the status shown:\n\(frame)")
        }
    }

    /// Issue 13 finding 1: a server that accepts and never answers costs one timeout per refresh.
    /// A layout of 16 panels with 16 different queries, and the shipped rules (15 queries evaluated
    /// one after another before the frame), against fault-server.py's hang mode: the frame comes
    /// after about one 5 s query timeout, where it took 80 s when each query paid its own.
    @Test func hungServerGivesTheFirstFrameAfterOneTimeout() throws {
        guard try ServerTools.required([], by: "hungServerGivesTheFirstFrameAfterOneTimeout") else { return }
        let sixteen = try SixteenQueryLayout.write()
        defer { try? FileManager.default.removeItem(atPath: sixteen) }
        let fault = try FaultProcess.start()
        defer { fault.stop() }
        let start = Date()
        let frame = try ServerSnapshot.run(["--layout", sixteen, "--prometheus", fault.url("/hang"),
                                            "--interval", "1s"], size: "160x50")
        let elapsed = Date().timeIntervalSince(start)
        testLog("hung server: first frame after \(String(format: "%.1f", elapsed)) s")
        #expect(frame.contains("timeout after 5s"), "frame does not name the timeout:\n\(frame)")
        // One 5 s timeout plus start-up; two timeouts would already be 10 s.
        #expect(elapsed < 9.5, "first frame after \(elapsed) s")

        // The server's error text, with control bytes in it, is shown without them.
        let layout = try BadQueryLayout.write()
        defer { try? FileManager.default.removeItem(atPath: layout) }
        let hostile = try ServerSnapshot.run(["--layout", layout, "--prometheus", fault.url("/api-error-hostile")],
                                             size: "160x12")
        #expect(hostile.contains("bad_data: evil"), "error text missing:\n\(hostile)")
        #expect(!hostile.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 || $0.value == 0x202e },
                "control bytes reached the output")
    }
}

extension ServersEndToEndTests {
    /// The same in the live dashboard (in tmux): every one of the 16 panels says `timeout after 5s`
    /// about one timeout after the start, not one per query.
    @Test func hungServerCostsTheLiveDashboardOneTimeout() throws {
        guard try ServerTools.required([], by: "hungServerCostsTheLiveDashboardOneTimeout"), TmuxHarness.available
        else { return }
        let sixteen = try SixteenQueryLayout.write()
        defer { try? FileManager.default.removeItem(atPath: sixteen) }
        let fault = try FaultProcess.start()
        defer { fault.stop() }
        let command = "cd '\(TmuxHarness.repoRoot.path)' && HOME=/nonexistent '\(TmuxHarness.binary)' --layout '\(sixteen)'"
            + " --prometheus '\(fault.url("/hang"))' --interval 1s"
        let start = Date()
        let term = try TmuxHarness(width: 160, height: 50, command: command)
        defer { term.close() }
        var screen = ""
        while Date().timeIntervalSince(start) < 30 {
            screen = try term.capture()
            if screen.components(separatedBy: "timeout after 5s").count - 1 >= 16 { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let elapsed = Date().timeIntervalSince(start)
        testLog("hung server, live dashboard: 16 panels timed out after \(String(format: "%.1f", elapsed)) s")
        #expect(screen.components(separatedBy: "timeout after 5s").count - 1 >= 16, "screen:\n\(screen)")
        #expect(elapsed < 9.5, "16 panels showed the timeout after \(elapsed) s:\n\(screen)")
    }
}

/// What the server tests need: a missing tool skips the test with the shared skip line (Tools),
/// except under `CI=true`, where it throws (a failure). A missing or stale lookout binary always throws.
enum ServerTools {
    static func required(_ tools: [String], by test: String) throws -> Bool {
        _ = try BuiltBinary.require(repoRoot: TmuxHarness.repoRoot)
        var missing = (tools + ["python3", "curl"]).filter { Tools.find($0) == nil }
        if !tools.isEmpty && !RealStack.available { missing.append("the real stack's binaries (or root)") }
        guard !missing.isEmpty else { return true }
        _ = try Tools.missing(missing.joined(separator: ", "), for: test)
        return false
    }
}

/// A layout of one stat panel whose query parses everywhere but no server can evaluate.
enum BadQueryLayout {
    static func write() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-bad-\(UUID().uuidString.prefix(8)).json").path
        let json = """
            {"title": "Bad query", "panels": [{"title": "Bad join", "type": "stat",
              "position": {"x": 0, "y": 0, "w": 24, "h": 6}, "targets": [{"expr": "up + on() up"}]}]}
            """
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// 16 stat panels in a 4 × 4 grid, each asking its own query.
enum SixteenQueryLayout {
    static func write() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-16-\(UUID().uuidString.prefix(8)).json").path
        let panels = (0..<16).map { i in
            """
            {"title": "Query \(i)", "type": "stat", "position": {"x": \(i % 4 * 6), "y": \(i / 4 * 5), "w": 6, "h": 5},
             "targets": [{"expr": "sum(rate(http_requests_total{shard=\\"\(i)\\"}[1m]))"}]}
            """
        }
        try "{\"title\": \"Sixteen queries\", \"panels\": [\(panels.joined(separator: ",\n"))]}"
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// scripts/fault-server.py as a child process, its port read from the file it writes; stopped by pid.
final class FaultProcess {
    let pid: pid_t
    let port: Int

    static func start() throws -> FaultProcess {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-fault-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: portFile) }
        let script = TmuxHarness.repoRoot.appendingPathComponent("scripts/fault-server.py").path
        let pid = try Spawn.start(try Tools.path("python3"), [script, "--port-file", portFile])
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let line = try? String(contentsOfFile: portFile, encoding: .utf8) {
                let words = line.split(separator: " ")
                if words.count >= 2, let port = Int(words[1]) { return FaultProcess(pid: pid, port: port) }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Spawn.stop(pid)
        throw HarnessError(message: "fault-server.py wrote no port within 10 s")
    }

    private init(pid: pid_t, port: Int) {
        self.pid = pid
        self.port = port
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
    func stop() { Spawn.stop(pid) }
}
