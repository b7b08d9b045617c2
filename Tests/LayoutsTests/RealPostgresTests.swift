import Exposition
import Foundation
import MetricsCore
import PromQL
import SeriesStore
import Testing
import TestSupport
@testable import Layouts

/// The technical layout's Database row and the SLO layout's connection-pool panel against a throwaway
/// PostgreSQL and the real postgres_exporter (with Fixtures/pg_queries.yaml for pg_stat_statements).
/// Needs root (initdb refuses root, so it runs as `postgres` through runuser); skipped otherwise.
@Suite(.serialized) struct RealPostgresTests {
    /// initdb and pg_ctl live outside PATH (Debian: /usr/lib/postgresql/VERSION/bin); the rest is on PATH.
    static let pgBin = Tools.postgresBinDirectory()
    static let available = getuid() == 0 && pgBin != nil
        && ["psql", "runuser", "install", "prometheus-postgres-exporter", "curl", "bash"].allSatisfy { Tools.find($0) != nil }

    @Test(.enabled(if: Tools.gate(available, "root, PostgreSQL and its exporter", for: "RealPostgresTests")), .timeLimit(.minutes(1)))
    func databaseRowShowsData() throws {
        let pgBin = try #require(Self.pgBin, "no PostgreSQL server binaries (pg_config --bindir, /usr/lib/postgresql/*/bin)")
        let (runuser, psqlTool) = (try tool("runuser"), try tool("psql"))
        let folder = try TemporaryFolder()
        // initdb runs as postgres: the folder must be traversable and the data's parent postgres-owned.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        let pg = folder.path + "/pg"
        try #require(succeeds(try tool("install"), ["-d", "-o", "postgres", "-g", "postgres", "-m", "0700", pg]))
        try #require(succeeds(runuser, ["-u", "postgres", "--", "\(pgBin)/initdb", "-D", pg + "/data",
                                        "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]))
        let pgctl = ["-u", "postgres", "--", "\(pgBin)/pg_ctl", "-D", pg + "/data"]
        // The server outlives pg_ctl and would inherit every open descriptor, among them the socket
        // Foundation watches to see the child end: close them all before pg_ctl runs.
        let closeDescriptors = #"for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@""#
        // A port picked and released can be taken before postgres binds it: pg_ctl then fails, and
        // we try again on a fresh port.
        var started: UInt16?
        for _ in 0..<4 where started == nil {
            let candidate = try LoopbackPort.pick()
            let options = "-c port=\(candidate) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(pg) "
                + "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
            if succeeds(try tool("bash"), ["-c", closeDescriptors, "pg_ctl", runuser]
                + pgctl + ["-l", pg + "/log", "-w", "-o", options, "start"]) { started = candidate }
        }
        let port = try #require(started, "postgres did not start (log: \(pg)/log)")
        defer { _ = succeeds(runuser, pgctl + ["-m", "immediate", "-w", "stop"]) }
        let psql = ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", "postgres", "-q", "-c"]
        try #require(succeeds(psqlTool, psql + ["CREATE EXTENSION IF NOT EXISTS pg_stat_statements"]))

        let (exporter, exporterPort) = try Daemon.listening(try tool("prometheus-postgres-exporter"),
            environment: ["DATA_SOURCE_NAME": "postgresql://postgres@127.0.0.1:\(port)/postgres?sslmode=disable"]) { port in [
            "--web.listen-address=127.0.0.1:\(port)", "--extend.query-path=\(Paths.fixture("pg_queries.yaml"))",
        ] }
        defer { exporter.stop() }
        let url = "http://127.0.0.1:\(exporterPort)/metrics"
        try #require(try waitForAnswer(url), "postgres_exporter never answered")

        let store = MemoryStore()
        let ingester = ScrapeIngester(job: "postgres", instance: "127.0.0.1:\(exporterPort)", appender: store)
        var now: Timestamp = 0
        for round in 0..<3 {
            if round > 0 { Thread.sleep(forTimeInterval: 1.0) }
            // Some work, so blocks are hit and statements are tracked.
            _ = succeeds(psqlTool, psql + ["SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid"])
            now = Timestamp(Date().timeIntervalSince1970 * 1000)
            let text = try #require(run(try tool("curl"), ["-sf", "--max-time", "5", url]))
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
