@testable import DemoService
import Foundation
import Testing
import TestSupport

/// A real Prometheus scrapes the demo over loopback; its own PromQL engine then checks the
/// acceptance figures of issue 5. Skipped quietly when Prometheus is not installed.
@Suite struct RealPrometheusTests {
    static let prometheus = Tools.find("prometheus")

    static let loginP95 = #"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{handler="/api/auth/login"}[30s])))"#
    static let errorRatio = #"sum(rate(http_requests_total{status=~"5.."}[30s])) / sum(rate(http_requests_total[30s]))"#

    @Test(.enabled(if: Tools.gate(prometheus != nil, "prometheus", for: "RealPrometheusTests")), .timeLimit(.minutes(2)))
    func prometheusSeesTheBaselineAndTheIncident() async throws {
        let demo = DemoServer(scenario: .normal, seed: 2_500)
        let metricsURL = try await demo.start()
        let workDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lookout-demo-prom-\(UUID().uuidString)")
        var prometheus: TestProcess?
        do {
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            let target = "\(metricsURL.host ?? "127.0.0.1"):\(metricsURL.port ?? 0)"
            let config = """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: perfect21-api
                    static_configs:
                      - targets: ['\(target)']

                """
            let configFile = workDirectory.appendingPathComponent("prometheus.yml")
            try Data(config.utf8).write(to: configFile)
            let (process, port) = try TestProcess.listening(executable: try #require(Self.prometheus), arguments: { port in [
                "--config.file=\(configFile.path)",
                "--storage.tsdb.path=\(workDirectory.appendingPathComponent("data").path)",
                "--storage.tsdb.retention.time=1d",
                "--web.listen-address=127.0.0.1:\(port)",
            ] }, log: workDirectory.appendingPathComponent("prometheus.log"))
            prometheus = process
            let client = PrometheusQueryClient(base: try #require(URL(string: "http://127.0.0.1:\(port)/")))

            // Ready when the demo target has been scraped (first scrapes land ~5 s after start).
            let up = try await client.waitFor("count(up == 1)", seconds: 25) { $0 == 1 }
            try #require(up == 1, "Prometheus never scraped the demo")
            // ~15 scrapes give the 30 s windows enough samples: about 8,000 login requests and
            // 37,000 requests in all, so the 5xx ratio's noise is ~0.05 points, well inside 0.3.
            let samples = try await client.waitFor("count_over_time(up[1m])", seconds: 30) { $0 >= 15 }
            try #require((samples ?? 0) >= 15)

            let p95 = try #require(try await client.value(of: Self.loginP95))
            #expect(abs(p95 - 0.380) / 0.380 < 0.15, "normal: login P95 \(p95) s")
            let ratio = try #require(try await client.value(of: Self.errorRatio))
            #expect(abs(ratio - 0.008) < 0.003, "normal: 5xx ratio \(ratio)")

            // Start the incident at once; the design's alert conditions must both be crossed.
            demo.setScenario(.incident, incident: IncidentTiming(startOffset: 0, duration: 600))
            let incidentP95 = try await client.waitFor(Self.loginP95, seconds: 40) { $0 > 0.5 }
            let incidentRatio = try await client.waitFor(Self.errorRatio, seconds: 30) { $0 > 0.01 }
            #expect((incidentP95 ?? 0) > 0.5, "incident: login P95 \(String(describing: incidentP95))")
            #expect((incidentRatio ?? 0) > 0.01, "incident: 5xx ratio \(String(describing: incidentRatio))")
        } catch {
            prometheus?.stop()
            await demo.stop()
            try? FileManager.default.removeItem(at: workDirectory)
            throw error
        }
        prometheus?.stop()
        await demo.stop()
        try? FileManager.default.removeItem(at: workDirectory)
    }
}
