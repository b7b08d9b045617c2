import App
import DataSources
import Foundation
import Layouts
import MetricsCore
import TestSupport
import Testing

/// Issue 10, point 3: the real Grafana dashboards in ../shared/dashboards against the real stack
/// (scripts/stack.sh: node_exporter, redis and postgres with their exporters, Prometheus), in embedded
/// mode at a 5 s interval with each dashboard's own range, through the same planning and mapping as the
/// live screen. Prints `panels drawn / total` for each (also in .build/real-dashboards.txt).
/// Under CI=true a missing ../shared or stack binary is a failure; otherwise the test says why it skips.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct RealDashboardsTests {
    static let folder = TmuxHarness.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/dashboards")
    /// The first screen: a large terminal, as on-call engineers use for dashboards.
    static let size = (width: 200, height: 60)
    static let intervalMs: Int64 = 5_000

    @Test func sharedDashboardsAgainstTheRealStack() async throws {
        guard let files = Self.dashboardFiles() else { return }
        guard RealStack.available else {
            if Tools.isCI { Issue.record("RealDashboardsTests needs the real stack (scripts/stack.sh install) and root") }
            testLog("RealDashboardsTests: skipped, the real stack's binaries (or root) are missing")
            return
        }
        guard let stack = try RealStack.start() else {
            if Tools.isCI { Issue.record("RealDashboardsTests: stack.sh reports missing binaries") }
            return
        }
        defer { stack.stop() }
        let node = try stack.value("NODE_URL")
        let prometheus = try stack.value("PROMETHEUS_URL") + "/metrics"
        var report: [String] = []

        // Node Exporter Full (24 h) against node_exporter alone: three refreshes 5 s apart.
        let nef = try await probe("node-exporter-full.json", targets: [("node", node)], refreshes: 3)
        report.append(nef.line)
        #expect(nef.result.variables.map { $0.value == nil ? "-" : $0.name } == ["ds_prometheus", "job", "nodename", "node"],
                "node-exporter-full: \(nef.result.variables.compactMap(\.unresolved))")
        #expect(nef.ratio >= 0.8, "node-exporter-full: \(nef.line)\n\(nef.details)")

        // Server mode: the variables come from Prometheus' label values API, chained as in embedded mode.
        let server = try await probe("node-exporter-full.json", server: try stack.value("PROMETHEUS_URL"), refreshes: 1)
        report.append("server mode, " + server.line)
        #expect(server.result.variables.map { $0.value == nil ? "-" : $0.name } == ["ds_prometheus", "job", "nodename", "node"],
                "node-exporter-full (server): \(server.result.variables.compactMap(\.unresolved))")

        // The Prometheus 2 dashboard (6 h) scraping a real Prometheus' own /metrics.
        let p2 = try await probe("fusakla-prometheus2.json", targets: [("prometheus", prometheus)], refreshes: 3)
        report.append(p2.line)
        #expect(p2.ratio >= 0.7, "fusakla-prometheus2: \(p2.line)\n\(p2.details)")
        // `$custom_label_value` is `label_values(prometheus_build_info, $custom_label_name)`: read after substitution.
        #expect(p2.result.variables.filter { $0.value == nil }.map(\.name) == [], "fusakla-prometheus2: \(p2.line)")

        // The others need systems that do not run here: every variable is resolved or says why not.
        let everything = try [("node", node), ("redis", try stack.value("REDIS_EXPORTER_URL")),
                              ("postgres", try stack.value("PG_EXPORTER_URL")), ("prometheus", prometheus)]
        for file in files where !["node-exporter-full.json", "fusakla-prometheus2.json"].contains(file) {
            let other = try await probe(file, targets: everything, refreshes: 2)
            report.append(other.line)
            let dashboard = try LayoutLoader.load(file: Self.folder.appendingPathComponent(file).path)
            #expect(other.result.variables.map(\.name) == dashboard.variables.map(\.name), "\(file): variables lost")
            for v in other.result.variables where (v.value == nil) == (v.unresolved == nil) {
                Issue.record("\(file): $\(v.name) neither resolved nor reported")
            }
        }
        let text = report.joined(separator: "\n")
        testLog("real dashboards (embedded mode, \(Self.size.width)x\(Self.size.height), 5 s):\n" + text)
        try? text.write(to: TmuxHarness.repoRoot.appendingPathComponent(".build/real-dashboards.txt"),
                        atomically: true, encoding: .utf8)
    }

    struct Probe {
        var result: DashboardProbe.Result
        var line: String
        var details: String
        var ratio: Double { result.panels.isEmpty ? 0 : Double(result.drawnCount) / Double(result.panels.count) }
    }

    /// Loads `file`, scrapes `targets` every 5 s from now (or asks the `server`), and probes the first
    /// screen after `refreshes`.
    private func probe(_ file: String, targets: [(job: String, url: String)] = [], server: String? = nil,
                       refreshes: Int) async throws -> Probe {
        let path = Self.folder.appendingPathComponent(file).path
        let dashboard = try LayoutLoader.load(file: path)
        let state = AppState(layouts: [LayoutEntry(name: file, dashboard: dashboard, path: path)],
                             rangeMs: dashboard.timeRange ?? 3_600_000)
        let mode = server.map { SourceOptions.Mode.prometheus(url: $0) }
            ?? .scrape(targets.map { ScrapeTarget(job: $0.job, url: $0.url) })
        let source = try makeSource(SourceOptions(mode: mode, interval: Double(Self.intervalMs) / 1000))
        source.start()
        defer { source.stop() }
        let started = WallClock.system.now()
        // The first refresh comes as the first scrape lands, as in the live session.
        try await Task.sleep(nanoseconds: 1_500_000_000)
        let result = await DashboardProbe.run(state: state, source: source, intervalMs: Self.intervalMs,
                                              refreshes: refreshes, width: Self.size.width, height: Self.size.height,
                                              historyStart: server == nil ? started : nil)
        let unresolved = VariableResolver.unresolvedReport(dashboard.variables, resolved: result.variables)
        let line = "\(file): \(result.drawnCount)/\(result.panels.count) first-screen panels drawn"
            + " (range \(PromDuration.format(state.rangeMs)))"
            + (unresolved.isEmpty ? "" : "; " + unresolved.joined(separator: "; "))
        let details = result.panels.map { "  \($0.drawn ? "drawn" : "EMPTY") \($0.path) \($0.title): \($0.state)" }
            .joined(separator: "\n")
        testLog(line + "\n" + details)
        return Probe(result: result, line: line, details: details)
    }

    /// The shared dashboards, or nil (a failure under CI=true) when ../shared is missing.
    static func dashboardFiles() -> [String]? {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?
            .filter { $0.hasSuffix(".json") }.sorted() ?? []
        guard files.contains("node-exporter-full.json"), files.contains("fusakla-prometheus2.json") else {
            if Tools.isCI { Issue.record("RealDashboardsTests: \(folder.path) with the shared dashboards is missing") }
            testLog("RealDashboardsTests: skipped, \(folder.path) is missing")
            return nil
        }
        return files
    }
}
