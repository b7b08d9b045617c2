import Foundation
import Testing
import TestSupport

/// `lookout snapshot --format` through the real binary: every format from the demo, and a scrape
/// whose label values and layout title are hostile, which must come out inert in every format.
@Suite(.timeLimit(.minutes(3)))
struct ExportEndToEndTests {
    static let env = ["LANG": "C.UTF-8", "PATH": Tools.searchPath, "HOME": "/nonexistent"]

    /// Label values an attacker controls on a target, as exposition text (raw ESC and C1 bytes too).
    static let hostileMetrics = """
        # TYPE evil gauge
        evil{who="<script>alert(1)</script>"} 1
        evil{who="\u{1B}]0;pwned\u{07}\u{1B}[31mred"} 2
        evil{who="javascript:alert(document.cookie)"} 3
        evil{who="<a href='http://evil.example/'>&amp; \\"q\\"</a>"} 4
        evil{who="<img src=x onerror=alert(1)> url(http://evil.example/x.png)"} 5

        """

    static let hostileLayout = """
        {"title": "<script>alert('title')</script>\\u001b]0;t\\u0007", "range": "15m", "panels": [
          {"title": "who <b>&amp;</b>", "type": "table", "position": {"x": 0, "y": 0, "w": 24, "h": 12},
           "targets": [{"expr": "evil", "legendFormat": "{{who}}"}]}
        ]}
        """

    /// Writes the hostile target and layout into a fresh folder.
    static func hostileFixture() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-hostile-\(getpid())-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(hostileMetrics.utf8).write(to: dir.appendingPathComponent("metrics.prom"))
        try Data(hostileLayout.utf8).write(to: dir.appendingPathComponent("layout.json"))
        return dir
    }

    @Test func hostileLabelsAreInertInEveryFormat() throws {
        let dir = try Self.hostileFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        for format in ["ansi", "text", "html", "svg"] {
            let out = dir.appendingPathComponent("frame.\(format)")
            let (_, status) = try runLookout(
                ["snapshot", "--scrape", "file://" + dir.appendingPathComponent("metrics.prom").path,
                 "--layout", dir.appendingPathComponent("layout.json").path,
                 "--interval", "1s", "--after", "1s", "--size", "100x20", "--format", format, "-o", out.path],
                environment: Self.env)
            #expect(status == 0, "\(format)")
            let doc = try String(contentsOf: out, encoding: .utf8)
            // The values are shown (so the test looks at the right frame), sanitised.
            #expect(doc.contains("alert(document.cookie)"), "\(format):\n\(doc)")
            let scalars = doc.unicodeScalars
            #expect(!scalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0x07 }, "\(format)")
            if format == "ansi" {
                // Only our SGR sequences: every ESC starts `ESC [ digits;... m`.
                let escapes = doc.components(separatedBy: "\u{1B}").dropFirst()
                #expect(escapes.allSatisfy { $0.range(of: #"^\[[0-9;]*m"#, options: .regularExpression) != nil })
            } else {
                #expect(!scalars.contains { $0.value == 0x1B }, "\(format) holds a raw ESC")
            }
            if format == "html" || format == "svg" {
                for bad in ["<script", "<a ", "<img", "<b>"] { #expect(!doc.lowercased().contains(bad), "\(format): \(bad)") }
            }
        }
        try ExportChecks.validate(svg: dir.appendingPathComponent("frame.svg").path,
                                  html: dir.appendingPathComponent("frame.html").path)
    }

    @Test func demoSnapshotInEveryFormat() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-export-\(getpid())-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var texts: [String: String] = [:]
        for format in ["text", "ansi", "html", "svg"] {
            let (out, status) = try runLookout(
                ["snapshot", "--demo", "--layout", "executive", "--interval", "1s", "--after", "2s", "--size", "100x30",
                 "--format", format], environment: Self.env)
            #expect(status == 0)
            texts[format] = out
            try Data(out.utf8).write(to: dir.appendingPathComponent("demo.\(format)"))
        }
        let text = try #require(texts["text"])
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 31)
        #expect(!text.contains("\u{1B}"))
        #expect(texts["ansi"]?.contains("\u{1B}[0;") == true)
        #expect(texts["html"]?.hasPrefix("<!DOCTYPE html>\n") == true)
        #expect(texts["svg"]?.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ") == true)
        #expect(texts["svg"]?.contains("width=\"900\" height=\"540\"") == true)
        try ExportChecks.validate(svg: dir.appendingPathComponent("demo.svg").path,
                                  html: dir.appendingPathComponent("demo.html").path)
    }
}

/// xmllint on both documents (a missing xmllint is a failure: `scripts/install-deps.sh --test`).
enum ExportChecks {
    static func validate(svg: String, html: String, svgToo: Bool = true) throws {
        let xmllint = Tools.find("xmllint") ?? "xmllint"
        try #require(FileManager.default.isExecutableFile(atPath: xmllint), "xmllint missing: apt install libxml2-utils")
        if svgToo {
            #expect(try Spawn.run(xmllint, ["--noout", "--nonet", svg], captureOutput: true).status == 0, "SVG invalid")
        }
        #expect(try Spawn.run(xmllint, ["--noout", "--nonet", html], captureOutput: true).status == 0, "HTML not XML")
        let html5 = try Spawn.run(try Tools.path("sh"), ["-c", "'\(xmllint)' --html --noout --nonet '\(html)' 2>&1"],
                                  captureOutput: true)
        #expect(html5.status == 0 && html5.output.isEmpty, "HTML parser: \(html5.output)")
    }
}

/// `S` in the live dashboard writes the screen where the status line says.
@Suite(.enabled(if: TmuxHarness.available), .timeLimit(.minutes(2)))
struct SaveKeyEndToEndTests {
    @Test func capitalSWritesAValidHTMLFrameAndNamesIt() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-state-\(getpid())-\(UUID())")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let command = "cd '\(TmuxHarness.repoRoot.path)' && env -i PATH='\(Tools.searchPath)' HOME=/nonexistent LANG=C.UTF-8 "
            + "TERM=tmux-256color XDG_STATE_HOME='\(state.path)' '\(TmuxHarness.binary)' demo --interval 1s"
        let tmux = try TmuxHarness(width: 200, height: 40, command: command)
        defer { tmux.close() }
        try tmux.waitFor("the dashboard with numbers") { $0.contains("Health score") && ScreenText.hasNumbers($0) }
        try tmux.sendLiteral("S")
        let folder = state.path + "/lookout/snapshots"
        let screen = try tmux.waitFor("the saved path in the status line") { $0.contains("snapshot saved: " + folder) }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.count == 1)
        let name = try #require(files.first)
        #expect(name.range(of: #"^lookout-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.html$"#, options: .regularExpression) != nil)
        #expect(screen.contains(folder + "/" + name))
        let html = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        #expect(html.contains("Health score"))
        try ExportChecks.validate(svg: "/dev/null/skip", html: folder + "/" + name, svgToo: false)
    }
}
