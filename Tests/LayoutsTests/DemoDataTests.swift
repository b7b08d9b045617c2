import DemoService
import Exposition
import Foundation
import MetricsCore
import PromQL
import SeriesStore
import Testing
@testable import Layouts

/// Every panel of every shipped layout finds data in the demo's metrics: the names, labels and
/// expressions agree with what the demo (and the real exporters it imitates) expose.
@Suite struct DemoDataTests {
    /// Scrapes the in-process demo a few times (real time must pass for its counters to move).
    static func scrapedDemo() throws -> (MemoryStore, Timestamp) {
        let demo = DemoServer(scenario: .normal, seed: 7)
        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "perfect21-api", instance: "127.0.0.1:9100", appender: store)
        let start: Timestamp = 1_700_000_000_000
        var time = start
        for i in 0..<3 {
            if i > 0 { Thread.sleep(forTimeInterval: 0.6) }
            time = start + Timestamp(i) * 5_000
            let scrape = try Exposition.parse(demo.metricsText(),
                                              format: ExpositionFormat(contentType: DemoServer.metricsContentType))
            ingester.ingest(scrape, at: time, duration: 0.01)
        }
        return (store, time)
    }

    @Test func everyShippedPanelHasData() throws {
        let (store, now) = try Self.scrapedDemo()
        let engine = Engine(storage: store)
        var checked = 0
        for name in ["executive.json", "technical.json", "slo.json"] {
            let dashboard = try LayoutLoader.load(file: Paths.shipped(name))
            for panel in dashboard.panels.flatMap({ [$0] + $0.children }) {
                for target in panel.targets {
                    // The health score and its components are recorded by the shipped rules
                    // (rules/perfect21-health.yml), not exposed by the demo.
                    if target.expr.hasPrefix("perfect21_performance_score") || target.expr.hasPrefix("perfect21:") { continue }
                    let result = try engine.instant(try PromQLParser.parse(target.expr), at: now)
                    let values: [Double]
                    switch result.value {
                    case .vector(let samples): values = samples.map(\.sample.v)
                    case .scalar(let s): values = [s.v]
                    default: values = []
                    }
                    #expect(!values.isEmpty, "\(name) \(panel.path) \(panel.title): no data for \(target.expr)")
                    let allFinite = values.allSatisfy { $0.isFinite }
                    #expect(allFinite, "\(name) \(panel.path) \(panel.title): \(values)")
                    checked += 1
                }
            }
        }
        #expect(checked == 23)  // the executive layout's folded latency heatmap included
    }

    @Test func endpointTableHasTheFiveHandlersOfTheDesign() throws {
        let (store, now) = try Self.scrapedDemo()
        let dashboard = try LayoutLoader.load(file: Paths.shipped("executive.json"))
        let table = try #require(dashboard.panels.first { $0.type == .table })
        let result = try Engine(storage: store).instant(try PromQLParser.parse(table.targets[0].expr), at: now)
        guard case .vector(let samples) = result.value else {
            Issue.record("expected a vector, got \(result.value)")
            return
        }
        let targets = Dictionary(uniqueKeysWithValues: samples.compactMap { s in
            s.labels["handler"].map { ($0, s.labels["target"] ?? "") }
        })
        #expect(targets == [
            "/api/auth/login": "200 ms", "/api/user/dashboard": "300 ms", "/api/user/profile": "200 ms",
            "/api/files/upload": "800 ms", "/api/analytics/report": "2 s",
        ])
    }
}
