import Foundation
import MetricsCore
import Testing
import TestSupport
@testable import DataSources

/// The metadata API the prompt's completion reads in server mode, against a real Prometheus scraping
/// itself: metric names (`/api/v1/label/__name__/values`), a metric's series (`/api/v1/series`) and a
/// label's values restricted to a metric (`/api/v1/label/NAME/values?match[]=`).
@Suite(.serialized, .timeLimit(.minutes(1)))
struct PrometheusMetadataTests {
    static let prometheus = Tools.find("prometheus") ?? "prometheus"

    @Test func namesSeriesAndValuesComeFromTheServer() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.prometheus),
                     "\(Self.prometheus) missing (scripts/install-deps.sh --test)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-metadata-\(getpid())-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // LoopbackPort retries on a fresh port when another process took ours meanwhile.
        let (pid, port) = try LoopbackPort.start { port in
            let config = "global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: self\n"
                + "    static_configs: [{targets: ['127.0.0.1:\(port)']}]\n"
            try Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/prometheus.yml"))
            return try Spawn.start(Self.prometheus, [
                "--config.file=\(dir)/prometheus.yml", "--storage.tsdb.path=\(dir)/tsdb",
                "--web.listen-address=127.0.0.1:\(port)",
            ])
        }
        defer { Spawn.stop(pid, grace: 2) }

        let source = PrometheusSource(baseURL: "http://127.0.0.1:\(port)/",
                                      options: SourceOptions(mode: .prometheus(url: ""), interval: 1, timeout: 5), auth: nil)
        defer { source.stop() }
        // The first scrape lands about a second after start.
        var names: [String] = []
        for _ in 0..<50 where !names.contains("up") {
            names = (try? await source.labelValues("__name__").get()) ?? []
            if !names.contains("up") { try await Task.sleep(nanoseconds: 200_000_000) }
        }
        #expect(names.contains("up") && names.contains("prometheus_http_requests_total"))
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let series = try await source.series(matching: "up", start: now - 3_600_000, end: now + 1000).get()
        #expect(series == [Labels(["__name__": "up", "instance": "127.0.0.1:\(port)", "job": "self"])])
        #expect(try await source.labelValues("job", matching: "up").get() == ["self"])
        #expect(try await source.labelValues("job", matching: "no_such_metric").get() == [])
    }
}
