import Foundation
import Testing
import TestSupport
@testable import Exposition

/// Scrapes a real prometheus-node-exporter on a free loopback port in both formats and parses what it
/// serves. Without the exporter or curl: skipped with a line (a failure under CI=true); the exporter is
/// always stopped by its pid.
@Suite(.serialized) struct LiveNodeExporterTests {
    static let exporter = Tools.find("prometheus-node-exporter") ?? "prometheus-node-exporter"
    static let curl = Tools.find("curl") ?? "curl"
    static var available: Bool {
        Tools.gate(Tools.find("prometheus-node-exporter") != nil && Tools.find("curl") != nil,
                   "prometheus-node-exporter and curl", for: "LiveNodeExporterTests")
    }

    /// Runs curl; returns (content type, body).
    static func fetch(_ url: String, accept: String) throws -> (String, [UInt8])? {
        let headerFile = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-ne-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: headerFile) }
        let (body, status) = try Spawn.run(curl, ["-s", "--max-time", "10", "-H", "Accept: \(accept)", "-D", headerFile.path, url],
                                           captureOutput: true)
        guard status == 0 else { return nil }
        let headers = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        let contentType = headers.split(whereSeparator: \.isNewline)
            .first { $0.lowercased().hasPrefix("content-type:") }
            .map { String($0.dropFirst("content-type:".count)).trimmingCharacters(in: .whitespaces) } ?? ""
        return (contentType, [UInt8](body.utf8))
    }

    @Test(.enabled(if: LiveNodeExporterTests.available))
    func liveScrapesParseInBothFormats() throws {
        // A fresh port, and another when the exporter loses it to someone else (it exits on EADDRINUSE).
        let (pid, port) = try LoopbackPort.start { port in
            try Spawn.start(Self.exporter, ["--web.listen-address=127.0.0.1:\(port)", "--no-collector.systemd"])
        }
        defer { Spawn.stop(pid) }
        let url = "http://127.0.0.1:\(port)/metrics"
        var text: (String, [UInt8])?
        for _ in 0..<50 where text == nil {
            text = try Self.fetch(url, accept: "text/plain;version=0.0.4")
            if text == nil { usleep(100_000) }
        }
        let (textType, textBody) = try #require(text, "node_exporter did not answer")
        #expect(ExpositionFormat(contentType: textType) == .text)
        let scrape = try Exposition.parse(textBody, format: ExpositionFormat(contentType: textType))
        #expect(scrape.samples.count > 100)
        #expect(scrape.samples.contains { $0.labels.name == "node_exporter_build_info" })
        #expect(scrape.metadata["node_cpu_seconds_total"]?.type == .counter || scrape.metadata["go_goroutines"]?.type == .gauge)

        // This exporter build may not offer OpenMetrics; whatever it answers must parse as the format
        // its Content-Type names.
        let om = try #require(try Self.fetch(url, accept: "application/openmetrics-text;version=1.0.0"))
        let format = ExpositionFormat(contentType: om.0)
        let omScrape = try Exposition.parse(om.1, format: format)
        let textNames = Set(scrape.samples.compactMap { $0.labels.name })
        let omNames = Set(omScrape.samples.compactMap { $0.labels.name })
        // Both answers describe (nearly) the same series; a few may come and go between scrapes.
        #expect(textNames.intersection(omNames).count >= textNames.count * 9 / 10, "\(om.0)")
    }
}
