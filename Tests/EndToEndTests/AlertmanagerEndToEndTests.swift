import Foundation
import Testing
import TestSupport

/// Issue 10 point 5, for real: alerts posted to a real Alertmanager (as any client would, with
/// curl), and a silence on one of them, are listed by `lookout snapshot --alertmanager URL` in an
/// alert panel: marked `[am]`, the silenced one as such, and the silence itself with its author.
/// The same through the config file's `alertmanager:` key.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct AlertmanagerEndToEndTests {
    @Test func postedAlertsAndSilencesAreListed() throws {
        guard try ServerTools.required(["prometheus-alertmanager"], by: "AlertmanagerEndToEndTests") else { return }
        guard let stack = try RealStack.start() else { return }
        defer { stack.stop() }
        let am = try stack.value("ALERTMANAGER_URL")
        try AlertmanagerAPI.post(am, "alerts", """
            [{"labels":{"alertname":"LookoutE2EDiskFull","severity":"critical","instance":"db1"},
              "annotations":{"summary":"disk 97% full"}},
             {"labels":{"alertname":"LookoutE2EMuted","severity":"warning"},"annotations":{"summary":"muted one"}}]
            """)
        let now = Date()
        let iso = ISO8601DateFormatter()
        try AlertmanagerAPI.post(am, "silences", """
            {"matchers":[{"name":"alertname","value":"LookoutE2EMuted","isRegex":false,"isEqual":true}],
             "startsAt":"\(iso.string(from: now))","endsAt":"\(iso.string(from: now.addingTimeInterval(3600)))",
             "createdBy":"e2e-author","comment":"maintenance window"}
            """)
        let layout = try AlertsLayout.write()
        defer { try? FileManager.default.removeItem(atPath: layout) }
        let prometheus = try stack.value("PROMETHEUS_URL")

        let frame = try ServerSnapshot.run(["--layout", layout, "--prometheus", prometheus, "--alertmanager", am],
                                           size: "150x14")
        testLog("alerts with --alertmanager:\n\(frame)")
        let rows = try #require(FrameReader(frame).box(titled: "All alerts"), "no alert panel:\n\(frame)")
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows.contains { $0.hasPrefix("FIRING critical LookoutE2EDiskFull [am]") && $0.hasSuffix("disk 97% full") },
                "active alert row missing:\n\(frame)")
        #expect(rows.contains { $0.contains("LookoutE2EMuted [am]") && $0.contains("(silenced by ") && !$0.hasPrefix("FIRING") },
                "silenced alert row missing or counted as firing:\n\(frame)")
        #expect(rows.contains { $0.contains("silence {alertname=") && $0.contains("by e2e-author: maintenance window") },
                "silence row missing:\n\(frame)")
        // Only the unsilenced alert counts as firing in the header.
        #expect(frame.contains("1 FIRING: LookoutE2EDiskFull"), "header:\n\(frame)")

        // The config file's key does the same.
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-am-\(UUID().uuidString.prefix(8)).yaml").path
        try "prometheus: \(prometheus)\nalertmanager: \(am)\n".write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let viaConfig = try ServerSnapshot.run(["--layout", layout, "--config", config], size: "150x14")
        #expect(viaConfig.contains("LookoutE2EDiskFull [am]"), "config key alertmanager: not used:\n\(viaConfig)")
    }
}

extension AlertmanagerEndToEndTests {
    /// The same alert from three origins, listed once: Prometheus (scraping the demo, with the
    /// shipped rules) fires HighResponseTime and sends it to the Alertmanager; Lookout's own rules
    /// see it pending. The alert panel shows one row, firing.
    @Test func oneAlertFromLookoutPrometheusAndAlertmanagerIsListedOnce() throws {
        guard try ServerTools.required(["prometheus-alertmanager"], by: "AlertmanagerEndToEndTests") else { return }
        guard let stack = try RealStack.start(lookoutBinary: TmuxHarness.binary) else { return }
        defer { stack.stop() }
        let am = try stack.value("ALERTMANAGER_URL")
        // The rule has `for: 2m`; the demo's baseline latency trips it from the start.
        let deadline = Date().addingTimeInterval(240)
        var received = false
        while !received && Date() < deadline {
            let (out, _) = try Spawn.run(try Tools.path("curl"), ["-sf", "--max-time", "5", "\(am)/api/v2/alerts"],
                                         environment: nil, captureOutput: true)
            received = out.contains("\"alertname\":\"HighResponseTime\"")
            if !received { Thread.sleep(forTimeInterval: 2) }
        }
        #expect(received, "Prometheus did not send HighResponseTime to the Alertmanager within 4 minutes")
        let layout = try AlertsLayout.write()
        defer { try? FileManager.default.removeItem(atPath: layout) }
        let frame = try ServerSnapshot.run(["--layout", layout, "--prometheus", try stack.value("PROMETHEUS_URL"),
                                            "--alertmanager", am], size: "150x14")
        testLog("one alert from three origins:\n\(frame)")
        let rows = (FrameReader(frame).box(titled: "All alerts") ?? [])
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            .filter { $0.contains("HighResponseTime") }
        #expect(rows.count == 1, "HighResponseTime rows: \(rows)\n\(frame)")
        #expect(rows.first?.hasPrefix("FIRING warning HighResponseTime ") == true, "\(rows)")
    }
}

/// Posts JSON to an Alertmanager's API v2 with curl, as a client would.
enum AlertmanagerAPI {
    static func post(_ base: String, _ endpoint: String, _ json: String) throws {
        let (out, status) = try Spawn.run(try Tools.path("curl"), [
            "-sf", "--max-time", "5", "-XPOST", "-H", "Content-Type: application/json",
            "\(base)/api/v2/\(endpoint)", "-d", json,
        ], environment: nil, captureOutput: true)
        guard status == 0 else { throw HarnessError(message: "POST \(endpoint) to Alertmanager: curl exited \(status): \(out)") }
    }
}

/// A layout of one alert panel over the whole screen.
enum AlertsLayout {
    static func write() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-alerts-\(UUID().uuidString.prefix(8)).json").path
        try """
            {"title": "Alerts only", "panels": [{"title": "All alerts", "type": "alerts",
              "position": {"x": 0, "y": 0, "w": 24, "h": 10}}]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
