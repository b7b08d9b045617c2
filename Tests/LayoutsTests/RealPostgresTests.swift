import Exposition
import Foundation
import MetricsCore
import PromQL
import SeriesStore
import Testing
import TestSupport
@testable import Layouts

/// The technical layout's Database row and the SLO layout's connection-pool panel against a throwaway
/// PostgreSQL 15 and the real postgres_exporter (with Fixtures/pg_queries.yaml for pg_stat_statements).
/// Needs root (initdb refuses root, so it runs as `postgres` through runuser); skipped otherwise.
@Suite(.serialized) struct RealPostgresTests {
    static let pgBin = "/usr/lib/postgresql/15/bin"
    static let available = getuid() == 0
        && ["\(pgBin)/initdb", "\(pgBin)/pg_ctl", "/usr/bin/psql", "/usr/sbin/runuser", "/usr/bin/install",
            "/usr/bin/prometheus-postgres-exporter", "/usr/bin/curl", "/bin/bash"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: Tools.gate(available, "root, PostgreSQL and its exporter", for: "RealPostgresTests")), .timeLimit(.minutes(1)))
    func databaseRowShowsData() throws {
        let folder = try TemporaryFolder()
        // initdb runs as postgres: the folder must be traversable and the data's parent postgres-owned.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        let pg = folder.path + "/pg"
        try #require(succeeds("/usr/bin/install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "0700", pg]))
        try #require(succeeds("/usr/sbin/runuser", ["-u", "postgres", "--", "\(Self.pgBin)/initdb", "-D", pg + "/data",
                                                   "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]))
        let port = try freePort()
        let options = "-c port=\(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(pg) "
            + "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
        let pgctl = ["-u", "postgres", "--", "\(Self.pgBin)/pg_ctl", "-D", pg + "/data"]
        // The server outlives pg_ctl and would inherit every open descriptor, among them the socket
        // Foundation watches to see the child end: close them all before pg_ctl runs.
        let closeDescriptors = #"for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@""#
        try #require(succeeds("/bin/bash", ["-c", closeDescriptors, "pg_ctl", "/usr/sbin/runuser"]
            + pgctl + ["-l", pg + "/log", "-w", "-o", options, "start"]))
        defer { _ = succeeds("/usr/sbin/runuser", pgctl + ["-m", "immediate", "-w", "stop"]) }
        let psql = ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", "postgres", "-q", "-c"]
        try #require(succeeds("/usr/bin/psql", psql + ["CREATE EXTENSION IF NOT EXISTS pg_stat_statements"]))

        let exporterPort = try freePort()
        let exporter = try Daemon("/usr/bin/prometheus-postgres-exporter", [
            "--web.listen-address=127.0.0.1:\(exporterPort)", "--extend.query-path=\(Paths.fixture("pg_queries.yaml"))",
        ], environment: ["DATA_SOURCE_NAME": "postgresql://postgres@127.0.0.1:\(port)/postgres?sslmode=disable"])
        defer { exporter.stop() }
        let url = "http://127.0.0.1:\(exporterPort)/metrics"
        try #require(waitForAnswer(url), "postgres_exporter never answered")

        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "postgres", instance: "127.0.0.1:\(exporterPort)", appender: store)
        var now: Timestamp = 0
        for round in 0..<3 {
            if round > 0 { Thread.sleep(forTimeInterval: 1.0) }
            // Some work, so blocks are hit and statements are tracked.
            _ = succeeds("/usr/bin/psql", psql + ["SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid"])
            now = Timestamp(Date().timeIntervalSince1970 * 1000)
            let text = try #require(run("/usr/bin/curl", ["-sf", "--max-time", "5", url]))
            ingester.ingest(try Exposition.parse(text, format: .text), at: now, duration: 0.01)
        }

        let technical = try LayoutLoader.load(file: Paths.shipped("technical.json"))
        let slo = try LayoutLoader.load(file: Paths.shipped("slo.json"))
        let panels = (technical.panels.first { $0.title == "Database" }?.children ?? [])
            + slo.panels.filter { $0.title.hasPrefix("DB connection pool") }
        #expect(panels.count == 4)
        let engine = Engine(storage: store)
        for panel in panels {
            guard case .vector(let samples) = try engine.instant(try PromQLParser.parse(panel.targets[0].expr), at: now).value else {
                Issue.record("\(panel.title): not a vector")
                continue
            }
            let values = samples.map(\.sample.v)
            let finite = values.allSatisfy { $0.isFinite }
            #expect(!values.isEmpty && finite, "\(panel.title): \(values)")
        }
    }
}
