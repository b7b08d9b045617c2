import Exposition
import Foundation
import MetricsCore
import PromQL
import SeriesStore
import Testing
import TestSupport
@testable import Layouts

/// The technical layout's Cache and System rows against the real node_exporter and redis_exporter on
/// loopback (free ports, every daemon stopped by its pid). Skipped when the binaries are not installed.
@Suite(.serialized) struct RealExporterTests {
    static let binaries = ["/usr/bin/prometheus-node-exporter", "/usr/bin/prometheus-redis-exporter",
                           "/usr/bin/redis-server", "/usr/bin/redis-cli", "/usr/bin/curl"]
    static let available = binaries.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: Tools.gate(available, "node/redis exporters, redis and curl", for: "RealExporterTests")), .timeLimit(.minutes(1)))
    func cacheAndSystemRowsShowData() throws {
        let folder = try TemporaryFolder()
        let (nodePort, redisPort, exporterPort) = (try freePort(), try freePort(), try freePort())
        let node = try Daemon("/usr/bin/prometheus-node-exporter", [
            "--web.listen-address=127.0.0.1:\(nodePort)", "--collector.disable-defaults",
            "--collector.cpu", "--collector.meminfo", "--collector.diskstats",
        ])
        defer { node.stop() }
        let redis = try Daemon("/usr/bin/redis-server", [
            "--port", "\(redisPort)", "--bind", "127.0.0.1", "--dir", folder.path, "--save", "", "--appendonly", "no",
        ])
        defer { redis.stop() }
        let exporter = try Daemon("/usr/bin/prometheus-redis-exporter", [
            "--redis.addr=redis://127.0.0.1:\(redisPort)", "--web.listen-address=127.0.0.1:\(exporterPort)",
        ])
        defer { exporter.stop() }
        let targets = [("node", "http://127.0.0.1:\(nodePort)/metrics"), ("redis", "http://127.0.0.1:\(exporterPort)/metrics")]
        for (_, url) in targets { try #require(waitForAnswer(url), "\(url) never answered") }

        // Some hits and misses, so the hit rate has something to divide.
        let cli = ["-p", "\(redisPort)"]
        _ = run("/usr/bin/redis-cli", cli + ["set", "k", "v"])
        let store = MemoryStore()
        let ingesters = targets.map { ScrapeIngester(job: $0.0, instance: $0.1, appender: store) }
        var now: Timestamp = 0
        for round in 0..<3 {
            if round > 0 { Thread.sleep(forTimeInterval: 1.0) }
            for _ in 0..<(round + 1) {
                _ = run("/usr/bin/redis-cli", cli + ["get", "k"])
                _ = run("/usr/bin/redis-cli", cli + ["get", "missing"])
            }
            now = Timestamp(Date().timeIntervalSince1970 * 1000)
            for (ingester, target) in zip(ingesters, targets) {
                let text = try #require(run("/usr/bin/curl", ["-sf", "--max-time", "3", target.1]))
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
        let env = environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 }
        pid = try Spawn.start(path, arguments, environment: env)
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

func waitForAnswer(_ url: String, seconds: Double = 10) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if run("/usr/bin/curl", ["-sf", "--max-time", "1", "-o", "/dev/null", url]) != nil { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return false
}

/// A loopback port free right now (bound to port 0, then released).
func freePort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return UInt16(bigEndian: address.sin_port)
}
