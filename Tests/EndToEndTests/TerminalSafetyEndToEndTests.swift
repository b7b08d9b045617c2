import Foundation
import Testing
import TestSupport

/// Issue 13, "terminal safety stays total", for the newer sources of outside text: a server's error
/// body, Alertmanager alerts and silences, and the PromQL prompt's completions. The bytes the real
/// binary writes to its terminal are captured raw with tmux `pipe-pane` from the first one, and the
/// ANSI snapshot of the same view is read too: neither may hold the hostile sequences.
@Suite(.serialized, .enabled(if: TmuxHarness.available), .timeLimit(.minutes(10)))
struct TerminalSafetyEndToEndTests {
    /// A running `lookout` in tmux and the file its raw terminal output goes to.
    struct Session {
        let tmux: TmuxHarness
        let raw: String
        let dir: URL

        var bytes: [UInt8] { (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: raw)))) ?? [] }

        /// Quits with `q` and waits for the exit, so the capture holds the whole session.
        func quit() throws {
            try tmux.send("q")
            try tmux.waitFor("lookout to exit", timeout: 15) { $0.contains("EXITED 0") }
        }

        func close() {
            tmux.close()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-safety-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts lookout held at a gate until the pane's output is piped, so no byte escapes the capture.
    static func start(_ args: [String], in dir: URL, width: Int = 150, height: Int = 24) throws -> Session {
        let gate = dir.appendingPathComponent("gate").path
        let raw = dir.appendingPathComponent("raw.bytes").path
        let quoted = ([TmuxHarness.binary] + args).map { "'\($0)'" }.joined(separator: " ")
        let command = "while [ ! -e '\(gate)' ]; do sleep 0.05; done; cd '\(TmuxHarness.repoRoot.path)' && "
            + "env -i PATH='\(Tools.searchPath)' HOME=/nonexistent XDG_STATE_HOME='\(dir.path)' LANG=C.UTF-8 "
            + "TERM=tmux-256color \(quoted); echo EXITED $?; exec sleep 600"
        let tmux = try TmuxHarness(width: width, height: height, command: command)
        try tmux.pipeOutput(to: raw)
        FileManager.default.createFile(atPath: gate, contents: nil)
        return Session(tmux: tmux, raw: raw, dir: dir)
    }

    /// What must never be in the bytes sent to the terminal: the hostile payloads' control sequences.
    static func rawProblems(_ bytes: [UInt8]) -> [String] {
        guard !bytes.isEmpty else { return ["nothing was captured"] }
        guard let text = String(validating: bytes, as: UTF8.self) else { return ["output is not valid UTF-8"] }
        var found: [String] = []
        if bytes.contains(0x07) { found.append("BEL") }
        for (name, needle) in [("OSC (ESC ])", "\u{1B}]"), ("erase display (ESC [2J)", "\u{1B}[2J"), ("the OSC payload", "pwned"),
                               ("blink (ESC [5m)", "\u{1B}[5m")]
        where bytes.firstRange(of: Array(needle.utf8)) != nil {
            found.append(name)
        }
        for scalar in Set(text.unicodeScalars) {
            if (0x80...0x9F).contains(scalar.value) { found.append("C1 control U+\(String(scalar.value, radix: 16))") }
            if (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                found.append("bidi control U+\(String(scalar.value, radix: 16))")
            }
        }
        return found.sorted()
    }

    /// `lookout snapshot --format ansi`: every ESC must start one of our SGR sequences (`ESC [ n;… m`).
    static func ansiSnapshot(_ args: [String], in dir: URL, size: String = "150x14") throws -> (frame: String, problems: [String]) {
        let out = dir.appendingPathComponent("frame.ansi").path
        let (log, status) = try runLookout(["snapshot"] + args + ["--size", size, "--format", "ansi", "-o", out],
                                           environment: ["PATH": Tools.searchPath, "HOME": "/nonexistent", "LANG": "C.UTF-8"])
        #expect(status == 0, "snapshot exited \(status): \(log)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        let doc = String(decoding: bytes, as: UTF8.self)
        var problems = rawProblems(bytes).filter { $0 != "nothing was captured" }
        let escapes = doc.components(separatedBy: "\u{1B}").dropFirst()
        if !escapes.allSatisfy({ $0.range(of: #"^\[[0-9;]*m"#, options: .regularExpression) != nil }) {
            problems.append("an ESC that does not start an SGR sequence")
        }
        return (doc.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression), problems)
    }

    /// The detector itself finds every payload used here (else the checks below would prove nothing).
    @Test func detectorFindsEveryHostileSequence() {
        #expect(Self.rawProblems(Array(Self.hostileTarget.utf8)) == [
            "BEL", "C1 control U+9b", "C1 control U+9c", "C1 control U+9d", "OSC (ESC ])", "bidi control U+202e",
            "blink (ESC [5m)", "erase display (ESC [2J)", "the OSC payload",
        ])
        #expect(Self.rawProblems(Array("\u{1B}[1;31mfine\u{1B}[0m \u{1B}[H\u{1B}[J".utf8)) == [])
    }

    @Test func serverErrorBodyIsInert() throws {
        guard try ServerTools.required([], by: "serverErrorBodyIsInert") else { return }
        let dir = try Self.folder()
        let layout = try BadQueryLayout.write()
        defer { try? FileManager.default.removeItem(atPath: layout) }
        let fault = try FaultProcess.start()
        defer { fault.stop() }
        let args = ["--layout", layout, "--prometheus", fault.url("/api-error-hostile"), "--interval", "1s"]

        let session = try Self.start(args, in: dir)
        defer { session.close() }
        // The server's words are shown (so the capture holds them), with the sequences taken out.
        try session.tmux.waitFor("the server's error text", timeout: 30) { $0.contains("bad_data: evil red end") }
        Thread.sleep(forTimeInterval: 2.5)   // a few refreshes, each redrawing the error
        try session.quit()
        #expect(Self.rawProblems(session.bytes) == [])

        let (frame, problems) = try Self.ansiSnapshot(args, in: dir)
        #expect(frame.contains("bad_data: evil red end"), "\(frame)")
        #expect(problems == [])
    }

    /// Label values and HELP text of a scraped file, offered by the prompt's completions.
    static let hostileTarget = """
        # HELP evil_total Help \u{1B}]0;pwned\u{07} with \u{9B}2J a C1 CSI
        # TYPE evil_total counter
        evil_total{who="\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[31mred"} 1
        evil_total{who="cone\u{9B}31m\u{9D}0;pwned\u{9C}x"} 2
        evil_total{who="\u{202E}gnp.exe"} 3
        evil_total{who="plain\u{1B}[5m"} 4

        """

    @Test func promptCompletionsAreInert() throws {
        guard try ServerTools.required([], by: "promptCompletionsAreInert") else { return }
        let dir = try Self.folder()
        let target = dir.appendingPathComponent("evil.prom")
        try Data(Self.hostileTarget.utf8).write(to: target)
        let layout = dir.appendingPathComponent("layout.json")
        try Data("""
            {"title": "Evil", "panels": [{"title": "Evil count", "type": "stat",
              "position": {"x": 0, "y": 0, "w": 24, "h": 6}, "targets": [{"expr": "count(evil_total)"}]}]}
            """.utf8).write(to: layout)

        let session = try Self.start(["--scrape", "file://" + target.path, "--layout", layout.path, "--interval", "1s"], in: dir,
                                     height: 40)
        defer { session.close() }
        try session.tmux.waitFor("the scraped data", timeout: 30) { $0.contains("Evil count") && $0.contains("targets 1/1 up") }
        try session.tmux.send(":")
        try session.tmux.sendLiteral("evil_tot")
        try session.tmux.waitFor("metric name completions", timeout: 15) { $0.contains("evil_total") && $0.contains("completions") }
        try session.tmux.sendLiteral("al{who=\"")
        // Every hostile value is offered, as its safe text.
        let screen = try session.tmux.waitFor("label value completions", timeout: 15) { s in
            s.contains("gnp.exe") && s.contains("red") && s.contains("conex") && s.contains("plain")
        }
        testLog("completions:\n\(screen)")
        try session.tmux.send("Escape")
        try session.quit()
        #expect(Self.rawProblems(session.bytes) == [])
    }
}

extension TerminalSafetyEndToEndTests {
    /// Alerts posted to a real Alertmanager with control sequences in labels and annotations, and a
    /// silence whose author and comment carry them too, listed in the TUI and in the ANSI snapshot.
    @Test func alertmanagerAlertsAndSilencesAreInert() throws {
        guard try ServerTools.required(["prometheus-alertmanager"], by: "alertmanagerAlertsAndSilencesAreInert") else { return }
        guard let stack = try RealStack.start() else { return }
        defer { stack.stop() }
        let am = try stack.value("ALERTMANAGER_URL")
        try AlertmanagerAPI.post(am, "alerts", #"""
            [{"labels":{"alertname":"LookoutHostile\u001b]0;pwned\u0007\u009b2J","severity":"critical","who":"\u001b]0;pwned\u0007\u001b[2J\u001b[31mred"},
              "annotations":{"summary":"sum \u009b2J\u009d0;pwned\u009c \u202eend \u001b[5mblink"}},
             {"labels":{"alertname":"LookoutHostileMuted","severity":"warning"},"annotations":{"summary":"muted"}}]
            """#)
        let now = Date()
        let iso = ISO8601DateFormatter()
        try AlertmanagerAPI.post(am, "silences", #"""
            {"matchers":[{"name":"alertname","value":"LookoutHostileMuted","isRegex":false,"isEqual":true}],
             "startsAt":"\#(iso.string(from: now))","endsAt":"\#(iso.string(from: now.addingTimeInterval(3600)))",
             "createdBy":"mallory\u001b]0;pwned\u0007","comment":"quiet \u001b[2J\u0085now \u2066isolated\u2069 \u009b5m"}
            """#)
        let layout = try AlertsLayout.write()
        defer { try? FileManager.default.removeItem(atPath: layout) }
        let dir = try Self.folder()
        let args = ["--layout", layout, "--prometheus", try stack.value("PROMETHEUS_URL"), "--alertmanager", am, "--interval", "1s"]

        let session = try Self.start(args, in: dir)
        defer { session.close() }
        let screen = try session.tmux.waitFor("the hostile alert and the silence", timeout: 40) { s in
            s.contains("LookoutHostile [am]") && s.contains("by mallory") && s.contains("quiet")
        }
        testLog("hostile alerts:\n\(screen)")
        Thread.sleep(forTimeInterval: 2.5)
        try session.quit()
        #expect(Self.rawProblems(session.bytes) == [])

        let (frame, problems) = try Self.ansiSnapshot(args, in: dir)
        #expect(frame.contains("LookoutHostile [am]") && frame.contains("by mallory"), "\(frame)")
        #expect(problems == [])
    }
}
