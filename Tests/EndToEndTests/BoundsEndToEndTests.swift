import Foundation
import Testing
import TestSupport

/// Issue 13's bounds as the user meets them: targets over the label and series bounds are down, and
/// the targets view (`t`) names each one's bound beside its job.
@Suite(.serialized, .enabled(if: TmuxHarness.available), .timeLimit(.minutes(5)))
struct BoundsEndToEndTests {
    @Test func targetsViewNamesTheBoundEachTargetBroke() throws {
        guard try ServerTools.required([], by: "targetsViewNamesTheBoundEachTargetBroke") else { return }
        let dir = try TerminalSafetyEndToEndTests.folder()
        func write(_ name: String, _ body: String) throws -> String {
            let file = dir.appendingPathComponent(name)
            try Data(body.utf8).write(to: file)
            return "\(name.prefix(while: { $0 != "." }))=file://\(file.path)"
        }
        let long = try write("long.prom", "m{a=\"\(String(repeating: "v", count: 16 * 1024 + 1))\"} 1\n")
        let wide = try write("wide.prom", "m{" + (0...128).map { "l\($0)=\"x\"" }.joined(separator: ",") + "} 1\n")
        let many = try write("many.prom", (0...100_000).map { "m{i=\"\($0)\"} 1\n" }.joined())
        let fine = try write("fine.prom", "m 1\n")
        let layout = dir.appendingPathComponent("layout.json")
        try Data("""
            {"title": "Bounds", "panels": [{"title": "Count", "type": "stat",
              "position": {"x": 0, "y": 0, "w": 24, "h": 6}, "targets": [{"expr": "count(up)"}]}]}
            """.utf8).write(to: layout)
        let args = ["--scrape", long, "--scrape", wide, "--scrape", many, "--scrape", fine, "--layout", layout.path, "--interval", "2s"]

        let session = try TerminalSafetyEndToEndTests.start(args, in: dir, width: 240, height: 30)
        defer { session.close() }
        try session.tmux.waitFor("the first scrapes", timeout: 30) { $0.contains("targets 1/4 up") }
        try session.tmux.send("t")
        let screen = try session.tmux.waitFor("the targets view", timeout: 15) { $0.contains("Targets") && $0.contains("fine") }
        testLog("targets view:\n\(screen)")
        let rows = screen.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        /// The row of `job`: its health and its error cell (after the series count, up to the frame).
        func row(_ job: String) -> (health: String, error: String)? {
            for line in rows {
                guard let m = line.firstMatch(of: /┃ (\w+) file:\S+ (up|down) \d+s ago \d+ ms \d+ ?(.*?) ?┃ ┃$/), m.1 == job else { continue }
                return (String(m.2), String(m.3))
            }
            return nil
        }
        let wideColumn = ("m{" + (0..<128).map { "l\($0)=\"x\"," }.joined()).utf8.count + 1
        let longRow = try #require(row("long"), "no long row:\n\(screen)")
        #expect(longRow == ("down", "parse error at line 1:6: label value longer than 16384 bytes"))
        let wideRow = try #require(row("wide"), "no wide row:\n\(screen)")
        #expect(wideRow == ("down", "parse error at line 1:\(wideColumn): more than 128 labels on one series"))
        let manyRow = try #require(row("many"), "no many row:\n\(screen)")
        #expect(manyRow == ("down", "over series_limit: more than 100000 series in one scrape"))
        let fineRow = try #require(row("fine"), "no fine row:\n\(screen)")
        #expect(fineRow == ("up", ""))
        try session.quit()
    }

    /// `lookout query` answers a failed scrape with `up` 0 and says why on stderr; `series_limit` in
    /// the config moves the bound.
    @Test func queryNamesTheBoundAndTheConfigRaisesIt() throws {
        let dir = try TerminalSafetyEndToEndTests.folder()
        let body = dir.appendingPathComponent("three.prom")
        try Data("m{i=\"1\"} 1\nm{i=\"2\"} 1\nm{i=\"3\"} 1\n".utf8).write(to: body)
        func query(limit: Int) throws -> (output: String, status: Int32) {
            let config = dir.appendingPathComponent("limit-\(limit).yaml")
            try Data("series_limit: \(limit)\n".utf8).write(to: config)
            return try Spawn.run(TmuxHarness.binary, [
                "query", "{__name__=~\"up|scrape_samples_scraped\"}", "--config", config.path, "--scrape", "file://\(body.path)",
            ], captureOutput: true, includeStderr: true)
        }
        let over = try query(limit: 2)
        #expect(over.status == 0)
        #expect(over.output.contains("warning: scrape of file://\(body.path) failed: over series_limit: more than 2 series in one scrape"),
                "\(over.output)")
        #expect(over.output.contains("up{instance=\"\(body.path)\", job=\"scrape\"} => 0"), "\(over.output)")
        let under = try query(limit: 3)
        #expect(under.status == 0 && !under.output.contains("warning"), "\(under.output)")
        #expect(under.output.contains("scrape_samples_scraped{instance=\"\(body.path)\", job=\"scrape\"} => 3"), "\(under.output)")
    }
}
