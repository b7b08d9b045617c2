import DataSources
import Foundation
import HTTPClient
import MetricsCore
import Synchronization
import Testing

@Suite("Embedded source scraping the fault server")
final class EmbeddedSourceFaultTests: Sendable {
    let server: FaultServer

    init() async throws { server = try await FaultServer.start() }
    deinit { server.stop() }

    static let faults: [(path: String, error: String)] = [
        ("/503/metrics", "HTTP 503 Service Unavailable"), ("/404/metrics", "HTTP 404 Not Found"),
        ("/500/metrics", "HTTP 500"), ("/hang/metrics", "timeout after 0.9s"), ("/drip/metrics", "timeout after 0.9s"),
        ("/truncated/metrics", "truncated body"), ("/garbage/metrics", "parse error at line 1:1"),
        ("/invalid-utf8/metrics", "invalid UTF-8"), ("/huge/metrics", "body over 1 MiB"),
    ]

    func makeSource(_ store: any ScrapeStorage, extra: [ScrapeTarget] = []) throws -> EmbeddedSource {
        var targets = [try ScrapeTarget.parse("good=\(server.url("/ok/metrics"))")]
        // One job per fault (same host:port), so `up` can be read per fault.
        targets += Self.faults.map { ScrapeTarget(job: $0.path, url: server.url($0.path)) }
        targets += extra
        return EmbeddedSource(
            targets: targets, store: store,
            options: SourceOptions(mode: .scrape(targets), interval: 1, maxBodyBytes: 1 << 20), auth: nil)
    }

    @Test func everyFaultIsNamedPerTargetAndHeals() async throws {
        let store = StoreScrapeStorage()
        let refused = ScrapeTarget(job: "gone", url: "http://127.0.0.1:\(server.closedPort)/metrics")
        let source = try makeSource(store, extra: [refused])
        defer { source.stop() }

        let start = Date()
        await source.scrapeAll()
        // One cycle is bounded by the 0.9 s scrape timeout, whatever the targets do (the timeouts are
        // asserted by kind below; the wall-clock bound has slack for a loaded 2-core CI machine).
        #expect(Date().timeIntervalSince(start) < 10)
        let status = source.targets()
        #expect(status.count == Self.faults.count + 2)
        #expect(status[0].health == .up && status[0].seriesCount == 3 && status[0].bytes > 0)
        for (i, fault) in Self.faults.enumerated() {
            let s = status[i + 1]
            #expect(s.health == .down, "\(fault.path): \(s)")
            #expect(s.lastError?.contains(fault.error) == true, "\(fault.path): \(s.lastError ?? "nil")")
        }
        #expect(status.last?.lastError == "connection refused")
        #expect(upValues(store) == ["good": [1], "gone": [0]].merging(Self.faults.map { ($0.path, [0]) }) { a, _ in a })

        _ = await server.control("/heal")
        await source.scrapeAll()
        let healed = source.targets()
        #expect(healed.dropLast().allSatisfy { $0.health == .up && $0.lastError == nil })
        #expect(healed.last?.health == .down)
        let demo = store.select([try LabelMatcher(.equal, "__name__", "demo_temperature_celsius")], mint: 0, maxt: .max)
        #expect(demo.count == Self.faults.count + 1)
    }

    /// `up` samples per job, from the store.
    func upValues(_ store: StoreScrapeStorage) -> [String: [Double]] {
        let series = store.select([try! LabelMatcher(.equal, "__name__", "up")], mint: 0, maxt: .max)
        return series.reduce(into: [:]) { $0[$1.labels["job"] ?? "", default: []] += $1.samples.map(\.v) }
    }

    @Test func timerDrivesCyclesAndStopEndsCallbacks() async throws {
        let store = StoreScrapeStorage()
        let target = try ScrapeTarget.parse("good=\(server.url("/ok/metrics"))")
        let slow = try ScrapeTarget.parse("bad=\(server.url("/hang/metrics"))")
        let source = EmbeddedSource(
            targets: [target, slow], store: store,
            options: SourceOptions(mode: .scrape([]), interval: 0.3), auth: nil)
        let calls = Mutex(0)
        source.setDataHandler { calls.withLock { $0 += 1 } }
        source.start()
        // A hanging target costs its timeout, not the other target's updates: cycles keep coming.
        // (Polled with a deadline rather than a fixed sleep: test machines can be very loaded.)
        let deadline = Date().addingTimeInterval(10)
        while calls.withLock({ $0 }) < 3 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        source.stop()
        let seen = calls.withLock { $0 }
        #expect(seen >= 3)
        #expect(upValues(store)["good"]?.filter { $0 == 1 }.count ?? 0 >= 3)
        #expect(upValues(store)["bad"]?.allSatisfy { $0 == 0 } == true)
        try await Task.sleep(for: .milliseconds(400))
        #expect(calls.withLock { $0 } == seen)
    }

    @Test func acceptHeaderNegotiatesOpenMetricsAndText() async throws {
        let store = StoreScrapeStorage()
        let target = try ScrapeTarget.parse(server.url("/accept/metrics"))
        let source = EmbeddedSource(targets: [target], store: store, options: SourceOptions(mode: .scrape([])), auth: nil)
        defer { source.stop() }
        await source.scrapeAll()
        #expect(source.targets().first?.health == .up)
        let up = store.select([try LabelMatcher(.equal, "__name__", "up")], mint: 0, maxt: .max)
        #expect(up.map(\.labels) == [Labels(["__name__": "up", "job": "scrape", "instance": "127.0.0.1:\(server.port)"])])
    }

    @Test func seriesLimitFailsTheScrape() async throws {
        let store = StoreScrapeStorage()
        let target = try ScrapeTarget.parse(server.url("/ok/metrics"))
        let source = EmbeddedSource(
            targets: [target], store: store, options: SourceOptions(mode: .scrape([]), maxSeriesPerTarget: 2), auth: nil)
        defer { source.stop() }
        await source.scrapeAll()
        #expect(source.targets().first?.health == .down)
        let error = try #require(source.targets().first?.lastError)
        #expect(error == "over series_limit: more than 2 series in one scrape")
    }

    @Test func queriesRunOnTheEngineOverScrapedSamples() async throws {
        let target = try ScrapeTarget.parse("demo=\(server.url("/ok/metrics"))")
        let source = EmbeddedSource(
            targets: [target], store: StoreScrapeStorage(), options: SourceOptions(mode: .scrape([])), auth: nil)
        defer { source.stop() }
        await source.scrapeAll()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let value = try await source.instantQuery("demo_temperature_celsius", at: now).result.get()
        guard case .vector(let v) = value else { Issue.record("not a vector: \(value)"); return }
        #expect(v.map(\.sample.v) == [21.5])
        #expect(v.first?.labels["job"] == "demo")
        let sum = try await source.instantQuery("sum(demo_requests_total)", at: now).result.get()
        guard case .vector(let s) = sum else { Issue.record("not a vector"); return }
        #expect(s.map(\.sample.v) == [1030])
        let range = try await source.rangeQuery("up", start: now - 60_000, end: now, step: 15_000).result.get()
        guard case .matrix(let m) = range else { Issue.record("not a matrix"); return }
        #expect(m.count == 1 && m[0].samples.last?.v == 1)

        guard case .failure(let parse) = await source.instantQuery("sum(", at: now).result else {
            Issue.record("parse error expected"); return
        }
        #expect(parse.kind == .parse)
        #expect(parse.location?.hasPrefix("expr 1:") == true)
    }

    @Test func savedExpositionFilesAreScrapedAndMissingOnesReported() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-\(UUID()).prom").path
        try Data("# TYPE app_jobs gauge\napp_jobs{queue=\"mail\"} 7\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let targets = [ScrapeTarget(job: "textfile", url: "file://\(path)"), ScrapeTarget(job: "gone", url: "file://\(path).x")]
        let source = EmbeddedSource(targets: targets, store: StoreScrapeStorage(), options: SourceOptions(mode: .scrape([])), auth: nil)
        defer { source.stop() }
        await source.scrapeAll()
        #expect(source.targets().map(\.health) == [.up, .down])
        #expect(source.targets().last?.lastError?.hasPrefix("cannot read file") == true)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        guard case .vector(let v) = try await source.instantQuery("app_jobs", at: now).result.get() else {
            Issue.record("not a vector"); return
        }
        #expect(v.map(\.sample.v) == [7] && v.first?.labels["instance"] == path)
    }

    @Test func failedScrapeMakesSeriesStaleAndHealingBringsThemBack() async throws {
        let target = ScrapeTarget(job: "flaky", url: server.url("/503/metrics"))
        let source = EmbeddedSource(targets: [target], store: StoreScrapeStorage(), options: SourceOptions(mode: .scrape([])), auth: nil)
        defer { source.stop() }
        func temperature() async throws -> [Double] {
            let now = Int64(Date().timeIntervalSince1970 * 1000) + 1
            guard case .vector(let v) = try await source.instantQuery("demo_temperature_celsius", at: now).result.get() else {
                return [-1]
            }
            return v.map(\.sample.v)
        }
        _ = await server.control("/heal")
        await source.scrapeAll()
        #expect(try await temperature() == [21.5])
        _ = await server.control("/break")
        try await Task.sleep(for: .milliseconds(5))   // a later timestamp than the good scrape
        await source.scrapeAll()
        #expect(source.targets().first?.lastError == "HTTP 503 Service Unavailable")
        // Stale, not frozen on the last good value.
        #expect(try await temperature() == [])
        _ = await server.control("/heal")
        try await Task.sleep(for: .milliseconds(5))
        await source.scrapeAll()
        #expect(try await temperature() == [21.5])
        #expect(source.targets().first?.health == .up)
    }
}
