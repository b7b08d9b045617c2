import Exposition
import Foundation
import MetricsCore
import PromQL
import SeriesStore
import Testing
import TestSupport
@testable import Layouts

/// The technical layout's Cache and System rows against the real node_exporter and redis_exporter on
/// loopback (fresh ports, retried when lost to another process; every daemon stopped by its pid). The
/// binaries are found on PATH; missing ones skip outside CI and fail under CI=true.
@Suite(.serialized) struct RealExporterTests {
    static let binaries = ["prometheus-node-exporter", "prometheus-redis-exporter", "redis-server", "redis-cli", "curl"]
    static let available = binaries.allSatisfy { Tools.find($0) != nil }

    @Test(.enabled(if: Tools.gate(available, "node/redis exporters, redis and curl", for: "RealExporterTests")), .timeLimit(.minutes(1)))
    func cacheAndSystemRowsShowData() throws {
        let folder = try TemporaryFolder()
        let (node, nodePort) = try Daemon.listening(try tool("prometheus-node-exporter")) { port in [
            "--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults",
            "--collector.cpu", "--collector.meminfo", "--collector.diskstats",
        ] }
        defer { node.stop() }
        let (redis, redisPort) = try Daemon.listening(try tool("redis-server")) { port in [
            "--port", "\(port)", "--bind", "127.0.0.1", "--dir", folder.path, "--save", "", "--appendonly", "no",
        ] }
        defer { redis.stop() }
        let (exporter, exporterPort) = try Daemon.listening(try tool("prometheus-redis-exporter")) { port in [
            "--redis.addr=redis://127.0.0.1:\(redisPort)", "--web.listen-address=127.0.0.1:\(port)",
        ] }
        defer { exporter.stop() }
        let targets = [("node", "http://127.0.0.1:\(nodePort)/metrics"), ("redis", "http://127.0.0.1:\(exporterPort)/metrics")]
        for (_, url) in targets { try #require(try waitForAnswer(url), "\(url) never answered") }

        // Some hits and misses, so the hit rate has something to divide.
        let cli = ["-p", "\(redisPort)"]
        _ = run(try tool("redis-cli"), cli + ["set", "k", "v"])
        let store = MemoryStore()
        let ingesters = targets.map { ScrapeIngester(job: $0.0, instance: $0.1, appender: store) }
        var now: Timestamp = 0
        for round in 0..<3 {
            if round > 0 { Thread.sleep(forTimeInterval: 1.0) }
            for _ in 0..<(round + 1) {
                _ = run(try tool("redis-cli"), cli + ["get", "k"])
                _ = run(try tool("redis-cli"), cli + ["get", "missing"])
            }
            now = Timestamp(Date().timeIntervalSince1970 * 1000)
            for (ingester, target) in zip(ingesters, targets) {
                let text = try #require(run(try tool("curl"), ["-sf", "--max-time", "3", target.1]))
                ingester.ingest(try Exposition.parse(text, format: .text), at: now, duration: 0.01)
            }
        }

        let dashboard = try LayoutLoader.load(file: Paths.shipped("technical.json"))
        let rows = dashboard.panels.filter { $0.title == "Cache" || $0.title == "System" }
        #expect(rows.count == 2)
        let engine = Engine(storage: store)
        for panel in rows.flatMap(\.children) {
            let expr = try PromQLParser.parse(panel.targets[0].expr)
            guard case .vector(let samples) = try engine.instant(expr, at: now).value else {
                Issue.record("\(panel.title): not a vector")
                continue
            }
            let values = samples.map(\.sample.v)
            let finite = values.allSatisfy { $0.isFinite }
            #expect(!values.isEmpty && finite, "\(panel.title): \(values)")
        }
    }
}

/// A background process stopped by its own pid (posix_spawn: see TestSupport's Spawn).
final class Daemon {
    let pid: pid_t

    init(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        pid = try Spawn.start(path, arguments, environment: Self.merged(environment))
    }

    private init(pid: pid_t) { self.pid = pid }

    /// Started on a fresh loopback port, again on another one when that port was lost meanwhile.
    static func listening(_ path: String, environment: [String: String] = [:],
                          _ arguments: (UInt16) -> [String]) throws -> (Daemon, UInt16) {
        let (pid, port) = try LoopbackPort.start { port in
            try Spawn.start(path, arguments(port), environment: merged(environment))
        }
        return (Daemon(pid: pid), port)
    }

    private static func merged(_ environment: [String: String]) -> [String: String]? {
        environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }

    var isRunning: Bool { Spawn.isRunning(pid) }

    func stop() { Spawn.stop(pid) }

    deinit { stop() }
}

/// Output of a short command, nil when it fails.
func run(_ path: String, _ arguments: [String]) -> String? {
    guard let r = try? Spawn.run(path, arguments, captureOutput: true), r.status == 0 else { return nil }
    return r.output
}

/// Whether a command succeeds; its output is discarded, not piped, so that a daemon it starts
/// (pg_ctl's postgres) cannot hold a pipe open and make us wait for ever.
func succeeds(_ path: String, _ arguments: [String]) -> Bool {
    (try? Spawn.run(path, arguments, captureOutput: false))?.status == 0
}

func waitForAnswer(_ url: String, seconds: Double = 10) throws -> Bool {
    let curl = try tool("curl")
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if run(curl, ["-sf", "--max-time", "1", "-o", "/dev/null", url]) != nil { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return false
}

/// The executable `name` on PATH; the suites' `.enabled` gates have checked it (outside CI), so a
/// missing one here is a failure that names it.
func tool(_ name: String) throws -> String {
    guard let path = Tools.find(name) else { throw MissingTool(what: name, test: "LayoutsTests") }
    return path
}
