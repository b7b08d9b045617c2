import DataSources
import Foundation
import MetricsCore
import Testing
import TestSupport

/// The real stack from scripts/stack.sh (node, redis, postgres exporters and Prometheus).
final class RealStack: @unchecked Sendable {
    /// Looked up on PATH; postgres's server binaries (outside PATH) are what scripts/stack.sh finds.
    static let binaries = [
        "prometheus", "prometheus-node-exporter", "prometheus-redis-exporter",
        "prometheus-postgres-exporter", "redis-server", "psql", "runuser",
    ]
    /// Skips quietly unless every binary is installed and we may start postgres (root, for runuser).
    static var available: Bool {
        getuid() == 0 && ProcessInfo.processInfo.environment["LOOKOUT_SKIP_STACK"] == nil
            && binaries.allSatisfy { Tools.find($0) != nil } && Tools.postgresBinDirectory() != nil
    }

    let dir: String
    let env: [String: String]

    static func script(_ args: [String]) throws -> Int32 {
        try runAndWait(["bash", FaultServer.repoRoot.appendingPathComponent("scripts/stack.sh").path] + args)
    }

    /// Starts the stack off the cooperative pool (the script blocks for several seconds).
    static func start() async throws -> RealStack {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-stack-\(UUID())").path
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try RealStack(dir: dir) })
            }
        }
    }

    private init(dir: String) throws {
        self.dir = dir
        let status = try Self.script(["start", dir])
        guard status == 0, let text = try? String(contentsOfFile: dir + "/stack.env", encoding: .utf8) else {
            _ = try? Self.script(["stop", dir])
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "stack.sh start failed (\(status)), logs in \(dir)/logs"])
        }
        env = text.split(separator: "\n").reduce(into: [:]) { map, line in
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { map[String(parts[0])] = String(parts[1]) }
        }
    }

    func stop() {
        _ = try? Self.script(["stop", dir])
        try? FileManager.default.removeItem(atPath: dir)
    }

    deinit { stop() }
}

@Suite("Real stack (integration)", .enabled(if: Tools.gate(RealStack.available, "the real monitoring stack", for: "Real stack (integration)")), .serialized)
final class StackIntegrationTests: Sendable {
    let stack: RealStack

    init() async throws { stack = try await RealStack.start() }
    deinit { stack.stop() }

    static let queries: [(expr: String, check: @Sendable (Double) -> Bool)] = [
        ("redis_memory_used_bytes", { $0 > 0 }),
        ("pg_stat_database_numbackends{datname=\"postgres\"}", { $0 >= 1 }),
        ("node_memory_MemTotal_bytes", { $0 > 1_000_000 }),
        ("sum(rate(node_cpu_seconds_total[5s]))", { $0 > 0 && $0.isFinite }),
    ]

    func expectRealValues(_ source: any QuerySource, mode: String) async {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for q in Self.queries {
            let outcome = await source.instantQuery(q.expr, at: now)
            switch outcome.result {
            case .success(.vector(let v)):
                #expect(!v.isEmpty, "\(mode): \(q.expr) returned no series")
                #expect(v.allSatisfy { q.check($0.sample.v) }, "\(mode): \(q.expr) = \(v.map(\.sample.v))")
            case .success(let other): Issue.record("\(mode): \(q.expr) gave \(other)")
            case .failure(let f): Issue.record("\(mode): \(q.expr) failed: \(f) at \(f.location ?? "")")
            }
        }
    }

    @Test func bothModesSeeRealValues() async throws {
        let e = stack.env
        let targets = try ["node=\(e["NODE_URL"] ?? "")", "redis=\(e["REDIS_EXPORTER_URL"] ?? "")",
                           "postgres=\(e["PG_EXPORTER_URL"] ?? "")"].map(ScrapeTarget.parse)
        let embedded = try makeSource(SourceOptions(mode: .scrape(targets), interval: 1))
        defer { embedded.stop() }
        guard let scraper = embedded as? EmbeddedSource else { Issue.record("not embedded"); return }
        // Two scrapes a second apart, so rate() has two samples.
        await scraper.scrapeAll()
        try await Task.sleep(for: .milliseconds(1200))
        await scraper.scrapeAll()
        #expect(scraper.targets().allSatisfy { $0.health == .up && $0.seriesCount > 10 }, "\(scraper.targets())")
        await expectRealValues(scraper, mode: "embedded")

        let server = try makeSource(SourceOptions(mode: .prometheus(url: e["PROMETHEUS_URL"] ?? ""), interval: 1))
        defer { server.stop() }
        server.start()
        await expectRealValues(server, mode: "prometheus")
        for _ in 0..<50 where server.serverInfo() == nil { try await Task.sleep(for: .milliseconds(50)) }
        #expect(server.serverInfo()?.hasPrefix("Prometheus 2.") == true || server.serverInfo()?.hasPrefix("Prometheus 3.") == true)
        if let prom = server as? PrometheusSource {
            #expect(try await prom.labelValues("job").get().sorted() == ["node", "postgres", "redis"])
            #expect((try? await prom.alerts().get()) != nil)
        }
    }
}
