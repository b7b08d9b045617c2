import Foundation
import Testing
import TestSupport

/// Recordings through the real binary, checked with the real promtool: `record` headless, a kill -9
/// in the middle, and `demo --record` with the incident's alert transitions.
// No gate on the binary: a missing or stale one fails (BuiltBinary), it never skips.
@Suite(.timeLimit(.minutes(3)))
struct RecordEndToEndTests {
    static let promtool = Tools.find("promtool") ?? "promtool"
    static let env = ["LANG": "C.UTF-8", "PATH": Tools.searchPath, "HOME": "/nonexistent"]

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-record-\(getpid())-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("""
            # TYPE jobs_done counter
            jobs_done_total{queue="a \\"quoted\\" <b>"} 42
            # TYPE temp gauge
            temp{room="x"} 21.5
            temp{room="y"} NaN

            """.utf8).write(to: URL(fileURLWithPath: dir + "/metrics.prom"))
        return dir
    }

    /// promtool's verdict and the number of samples it wrote into blocks.
    static func backfill(_ file: String, into dir: String) throws -> (status: Int32, samples: Int, output: String) {
        try #require(FileManager.default.isExecutableFile(atPath: promtool), "promtool missing: apt install prometheus")
        let r = try Spawn.run(try Tools.path("sh"), ["-c", "'\(promtool)' tsdb create-blocks-from openmetrics '\(file)' '\(dir)' 2>&1"],
                              captureOutput: true)
        // BLOCK ULID  MIN TIME  MAX TIME  DURATION  NUM SAMPLES ...: sum the fifth column over blocks.
        let samples = r.output.split(separator: "\n").dropFirst().compactMap { line -> Int? in
            let cols = line.split(separator: " ", omittingEmptySubsequences: true)
            return cols.count > 4 ? Int(cols[4]) : nil
        }.reduce(0, +)
        return (r.status, samples, r.output)
    }

    /// Sample lines of a recording and the newest timestamp among them (seconds).
    static func sampleLines(_ file: String) throws -> (count: Int, newest: Double) {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let newest = lines.compactMap { Double($0.split(separator: " ").last ?? "") }.max() ?? 0
        return (lines.count, newest)
    }

    @Test func headlessRecordingIsAcceptedByPromtool() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/rec.om"
        let (_, status) = try runLookout(["record", file, "--from", "file://\(dir)/metrics.prom", "--interval", "500ms",
                                          "--duration", "3s"], environment: Self.env)
        #expect(status == 0)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasSuffix("\n# EOF\n"))
        #expect(text.contains(#"jobs_done_total{instance="\#(dir)/metrics.prom",job="scrape",queue="a \"quoted\" <b>"} 42.0 "#))
        let (count, _) = try Self.sampleLines(file)
        // 4 to 8 scrapes in 3 s at 500 ms, each 3 samples and 5 report series (up, scrape_*).
        #expect(count % 8 == 0 && (32...56).contains(count), "\(count) samples")
        let promtool = try Self.backfill(file, into: dir + "/blocks")
        #expect(promtool.status == 0, "\(promtool.output)")
        #expect(promtool.samples == count, "\(promtool.output)")
        let events = try String(contentsOfFile: file + ".events.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(events.first?.hasPrefix(#"{"event":"start","interval_ms":500,"layouts":["#) == true, "\(events)")
        #expect(events.last?.hasPrefix(#"{"event":"stop","samples":\#(count),"#) == true, "\(events)")
    }

    /// Server mode: `record --prometheus` fetches the layout's raw series once over the range from a
    /// real Prometheus (serving the blocks of an earlier recording) and writes them as promtool wants.
    @Test func serverModeFetchesTheLayoutsSeriesOnce() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = dir + "/first.om"
        #expect(try runLookout(["record", first, "--from", "file://\(dir)/metrics.prom", "--interval", "1s",
                                "--duration", "3s"], environment: Self.env).status == 0)
        #expect(try Self.backfill(first, into: dir + "/tsdb").status == 0)
        try Data("global: {}\nscrape_configs: []\n".utf8).write(to: URL(fileURLWithPath: dir + "/prometheus.yml"))
        try Data("""
            {"title": "server", "panels": [
              {"title": "jobs", "type": "graph", "position": {"x": 0, "y": 0, "w": 12, "h": 8},
               "targets": [{"expr": "sum(rate(jobs_done_total[1m]))"}, {"expr": "max(temp{room=~\\"x|y\\"})"}]},
              {"title": "rooms", "type": "table", "position": {"x": 12, "y": 0, "w": 12, "h": 8},
               "targets": [{"expr": "temp", "legendFormat": "{{room}}"}]}]}
            """.utf8).write(to: URL(fileURLWithPath: dir + "/layout.json"))
        var pid: pid_t = 0
        var port = 0
        for _ in 0..<5 {   // a port taken meanwhile: another one
            port = Int(try LoopbackPort.pick())
            pid = try Spawn.start(try Tools.path("prometheus"), ["--config.file=\(dir)/prometheus.yml",
                                                          "--storage.tsdb.path=\(dir)/tsdb", "--storage.tsdb.retention.time=100y",
                                                          "--web.listen-address=127.0.0.1:\(port)"])
            let deadline = Date().addingTimeInterval(20)
            var ready = false
            while !ready && Date() < deadline && Spawn.isRunning(pid) {
                ready = (try? Spawn.run(try Tools.path("curl"), ["-sf", "http://127.0.0.1:\(port)/-/ready"], captureOutput: true).status) == 0
                if !ready { Thread.sleep(forTimeInterval: 0.2) }
            }
            if ready { break }
            Spawn.stop(pid)
            pid = 0
        }
        try #require(pid > 0, "prometheus did not start")
        defer { Spawn.stop(pid, grace: 2) }
        let fetched = dir + "/server.om"
        let r = try runLookout(["record", fetched, "--prometheus", "http://127.0.0.1:\(port)", "--layout", dir + "/layout.json",
                                "--range", "10m", "--interval", "1s"], environment: Self.env)
        #expect(r.status == 0)
        let text = try String(contentsOfFile: fetched, encoding: .utf8)
        // The three series the two selectors name, each once (the overlap of `temp` and `temp{room=~"x|y"}`).
        let names = Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { String($0.split(separator: " ")[0]) })
        #expect(names.count == 3 && names.contains { $0.hasPrefix("jobs_done_total{") }, "\(names)")
        let promtool = try Self.backfill(fetched, into: dir + "/tsdb2")
        let count = try Self.sampleLines(fetched).count
        #expect(promtool.status == 0 && promtool.samples == count, "\(promtool.output)")
    }

    @Test func killNineLosesAtMostTheLastInterval() throws {
        _ = try BuiltBinary.require(repoRoot: TmuxHarness.repoRoot)
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/rec.om"
        let pid = try Spawn.start(try Tools.path("sh"), ["-c", "cd '\(TmuxHarness.repoRoot.path)' && exec '\(TmuxHarness.binary)' "
                                              + "record '\(file)' --from 'file://\(dir)/metrics.prom' --interval 500ms"],
                                  environment: Self.env)
        defer { Spawn.stop(pid) }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, ((try? Self.sampleLines(file).count) ?? 0) < 24 { Thread.sleep(forTimeInterval: 0.1) }
        Thread.sleep(forTimeInterval: 1.2)
        let killedAt = Date().timeIntervalSince1970
        #expect(kill(pid, SIGKILL) == 0)
        Spawn.stop(pid)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasSuffix("\n# EOF\n"))
        let (count, newest) = try Self.sampleLines(file)
        #expect(count >= 24 && count % 8 == 0, "\(count) samples")
        // The last scrape written started at most one interval (plus a scrape's time) before the kill.
        #expect(killedAt - newest < 1.5, "newest sample \(killedAt - newest) s before the kill")
        let promtool = try Self.backfill(file, into: dir + "/blocks")
        #expect(promtool.status == 0 && promtool.samples == count, "\(promtool.output)")
        // No stop event: the process never got to write it.
        let events = try String(contentsOfFile: file + ".events.jsonl", encoding: .utf8)
        #expect(!events.contains(#""event":"stop""#))
        // It replays, up to its last scrape: a table of the recorded gauge at the end.
        try Data("""
            {"title": "killed", "panels": [{"title": "temps", "type": "table", "position": {"x": 0, "y": 0, "w": 24, "h": 8},
              "targets": [{"expr": "temp", "legendFormat": "{{room}}"}]}]}
            """.utf8).write(to: URL(fileURLWithPath: dir + "/layout.json"))
        let replayed = try runLookout(["snapshot", "--replay", file, "--layout", dir + "/layout.json",
                                       "--size", "140x10", "--color", "never"], environment: Self.env)
        #expect(replayed.status == 0)
        #expect(replayed.output.range(of: #"x +21\.5"#, options: .regularExpression) != nil, "\(replayed.output)")
        #expect(replayed.output.contains("REPLAY rec.om"), "\(replayed.output)")
    }

    @Test func demoRecordKeepsTheIncidentsAlertTransitions() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/demo.om"
        let tmux = try Self.lookoutInTmux("demo --scenario incident --incident-after 2s --interval 1s --record '\(file)'")
        defer { tmux.close() }
        let deadline = Date().addingTimeInterval(90)
        var events = ""
        while Date() < deadline, !events.contains(#""alert":"HighErrorRate","event":"alert","#) {
            Thread.sleep(forTimeInterval: 0.5)
            events = Self.events(file)
        }
        #expect(events.range(of: #""alert":"HighErrorRate","event":"alert","labels":\{"alertname":"HighErrorRate","#
                             + #""severity":"critical"\},"seen":\d+,"state":"pending","t":\d+\}"#,
                             options: .regularExpression) != nil, "\(events)")
        try Self.quit(tmux, recording: file)
        #expect(events.hasPrefix(#"{"event":"start","interval_ms":1000,"layouts":["#))
        #expect(events.contains(#""source":"demo","t":"#))
        let promtool = try Self.backfill(file, into: dir + "/blocks")
        let written = try Self.sampleLines(file).count
        #expect(promtool.status == 0 && promtool.samples == written, "\(promtool.output)")
        try Self.expectReplayedPending(file, events: events)
        try Self.expectLiveReplay(file)
    }

    /// The issue's round trip: the incident recorded until HighErrorRate fires (its `for: 1m`), then
    /// `snapshot --replay` shows it firing one evaluation slot (5 s) after the recorded moment and still pending one slot
    /// before, and `replay --speed max` ends with it firing.
    @Test(.timeLimit(.minutes(4))) func firingReplaysAtTheRecordedMoment() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/demo.om"
        let tmux = try Self.lookoutInTmux("demo --scenario incident --incident-after 2s --interval 1s --record '\(file)'")
        defer { tmux.close() }
        let firing = #""alert":"HighErrorRate","event":"alert","labels":{"alertname":"HighErrorRate","severity":"critical"},"seen":"#
        let deadline = Date().addingTimeInterval(150)
        var events = ""
        while Date() < deadline, !(events.contains(firing) && events.contains(#""state":"firing""#)) {
            Thread.sleep(forTimeInterval: 1)
            events = Self.events(file)
        }
        // The live rules fired at a slot that the recording's last scrape may not have reached yet:
        // record on past it (two slots), or the replay would end before the moment it should show.
        Thread.sleep(forTimeInterval: 10)
        try Self.quit(tmux, recording: file)
        tmux.close()
        let t = try Self.highErrorRateOffset(file, events: events) { $0.contains(#""state":"firing""#) }
        // Alerts change only at their group's evaluation slots (`interval: 5s` in rules/). Live, the
        // rules of a slot race the scrape that lands just after it, so the replay (which has that
        // scrape) may cross the threshold one slot apart: the firing moment must agree within one
        // evaluation interval, checked a second beyond it on each side.
        let slot: Int64 = 5000
        let after = try Self.replayFrame(file, at: t + slot + 1000)
        #expect(after.range(of: #"FIRING +critical +HighErrorRate"#, options: .regularExpression) != nil, "\(after)")
        let before = try Self.replayFrame(file, at: t - slot - 1000)
        #expect(before.range(of: #"pending +critical +HighErrorRate"#, options: .regularExpression) != nil, "\(before)")
        let replay = try Self.lookoutInTmux("replay '\(file)' --speed max")
        defer { replay.close() }
        try replay.waitFor("the end of the replay with HighErrorRate firing", timeout: 60) { s in
            s.contains("REPLAY demo.om end") && s.range(of: #"FIRING +critical +HighErrorRate"#,
                                                        options: .regularExpression) != nil
        }
    }

    /// `lookout replay` in tmux: REPLAY and the speed in the header, `>` faster, `p` pauses, and at
    /// the end the alert the recording saw.
    static func expectLiveReplay(_ file: String) throws {
        let tmux = try lookoutInTmux("replay '\(file)'")
        defer { tmux.close() }
        try tmux.waitFor("REPLAY at 1x") { $0.contains("REPLAY demo.om 1\u{00D7}") }
        try tmux.sendLiteral(">")
        try tmux.waitFor("REPLAY at 10x") { $0.contains("REPLAY demo.om 10\u{00D7}") }
        try tmux.sendLiteral("p")
        let paused = try tmux.waitFor("REPLAY paused") { $0.contains("REPLAY demo.om paused") }
        Thread.sleep(forTimeInterval: 1.5)
        let clock = #"\d\d:\d\d:\d\d \("#
        let still = try tmux.capture()
        #expect(paused.range(of: clock, options: .regularExpression).map { paused[$0] }
                == still.range(of: clock, options: .regularExpression).map { still[$0] }, "the clock moved while paused")
        try tmux.sendLiteral("p")
        try tmux.sendLiteral(">")
        try tmux.sendLiteral(">")
        try tmux.waitFor("the end with HighErrorRate", timeout: 30) { s in
            s.contains("REPLAY demo.om end") && s.range(of: #"(pending|firing) +critical +HighErrorRate"#,
                                                        options: .regularExpression) != nil
        }
        try tmux.sendLiteral("q")
    }

    /// `snapshot --replay` re-evaluates the rules over the recording: HighErrorRate is pending one
    /// evaluation slot (5 s) after the recorded transition, and not yet one slot before it.
    static func expectReplayedPending(_ file: String, events: String) throws {
        let t = try highErrorRateOffset(file, events: events) { _ in true }
        // Within one evaluation slot of the rules' group, as in firingReplaysAtTheRecordedMoment.
        let slot: Int64 = 5000
        let after = try replayFrame(file, at: t + slot + 1000)
        #expect(after.contains("REPLAY demo.om"), "\(after)")
        #expect(after.range(of: #"pending +critical +HighErrorRate"#, options: .regularExpression) != nil, "\(after)")
        let before = try replayFrame(file, at: t - slot - 1000)
        #expect(!before.contains("HighErrorRate"), "\(before)")
    }

    /// `lookout ARGUMENTS` in a 160x45 tmux from the repository root (where the shipped rules load),
    /// with a bare environment; the pane stays 30 s after it exits, so its last screen can be read.
    static func lookoutInTmux(_ arguments: String) throws -> TmuxHarness {
        try TmuxHarness(width: 160, height: 45, command: "cd '\(TmuxHarness.repoRoot.path)' && env -i PATH='\(Tools.searchPath)' "
            + "HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color '\(TmuxHarness.binary)' \(arguments); sleep 30")
    }

    /// The recording's events so far ("" before the file exists).
    static func events(_ file: String) -> String {
        (try? String(contentsOfFile: file + ".events.jsonl", encoding: .utf8)) ?? ""
    }

    /// Quits a recording dashboard and waits until the recording is closed (its stop event).
    static func quit(_ tmux: TmuxHarness, recording file: String) throws {
        try tmux.sendLiteral("q")
        try tmux.waitFor("the stop event", timeout: 15) { _ in events(file).contains(#""event":"stop""#) }
    }

    /// Milliseconds from the recording's first sample to the first HighErrorRate event `matching`.
    static func highErrorRateOffset(
        _ file: String, events: String, matching: (Substring) -> Bool
    ) throws -> Int64 {
        let line = try #require(events.split(separator: "\n").first {
            $0.contains(#""alert":"HighErrorRate""#) && matching($0)
        }, "\(events)")
        let t = try #require(line.range(of: #""t":(\d+)"#, options: .regularExpression).flatMap {
            Int64(line[$0].dropFirst(4))
        })
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let first = text.split(separator: "\n").compactMap { l -> Int64? in
            guard !l.hasPrefix("#"), let s = Double(l.split(separator: " ").last ?? "") else { return nil }
            return Int64((s * 1000).rounded())
        }.min() ?? 0
        return t - first
    }

    /// `snapshot --replay` of the executive layout `offsetMs` after the recording's first sample.
    static func replayFrame(_ file: String, at offsetMs: Int64) throws -> String {
        let r = try runLookout(["snapshot", "--replay", file, "--at", "+\(max(0, offsetMs))ms", "--size", "140x40",
                                "--color", "never", "--layout", "executive"], environment: env)
        #expect(r.status == 0, "\(r.output)")
        return r.output
    }
}
