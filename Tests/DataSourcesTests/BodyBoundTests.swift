import DataSources
import Foundation
import HTTPClient
import MetricsCore
import Testing

/// A body over the cap that arrives fast is named for what it is ("body over N MiB"), per scrape target
/// and per Prometheus API server, and well before the timeout, whether chunked or announced.
@Suite("Body size bound")
final class BodyBoundTests: Sendable {
    let server: FaultServer

    init() async throws { server = try await FaultServer.start() }
    deinit { server.stop() }

    func scrape(_ path: String, maxBody: Int, timeout: TimeInterval) async throws -> (error: String?, seconds: Double) {
        let target = ScrapeTarget(job: "big", url: server.url(path))
        let source = EmbeddedSource(
            targets: [target], store: StoreScrapeStorage(),
            options: SourceOptions(mode: .scrape([target]), interval: timeout, timeout: timeout, maxBodyBytes: maxBody), auth: nil)
        defer { source.stop() }
        let start = Date()
        await source.scrapeAll()
        let status = try #require(source.targets().first)
        #expect(status.health == .down)
        return (status.lastError, Date().timeIntervalSince(start))
    }

    @Test(arguments: ["/huge/metrics", "/huge-cl/metrics"])
    func scrapeTargetOverOneMiB(path: String) async throws {
        let (error, seconds) = try await scrape(path, maxBody: 1 << 20, timeout: 20)
        #expect(error == "body over 1 MiB")
        #expect(seconds < 10, "took \(seconds) s: the cap, not the 20 s timeout, must end it")
    }

    /// The default cap (64 MiB) against 72 MiB streamed chunked as fast as loopback carries it.
    @Test func scrapeTargetOverTheDefaultCap() async throws {
        #expect(SourceOptions(mode: .scrape([])).maxBodyBytes == 64 << 20)
        let (error, seconds) = try await scrape(
            "/huge/metrics?mib=72", maxBody: SourceOptions(mode: .scrape([])).maxBodyBytes, timeout: 60)
        #expect(error == "body over 64 MiB")
        #expect(seconds < 30, "took \(seconds) s")
        let (announced, _) = try await scrape(
            "/huge-cl/metrics?mib=72", maxBody: HTTPRequest.defaultMaxBodyBytes, timeout: 60)
        #expect(announced == "body over 64 MiB")
    }

    @Test(arguments: ["/huge", "/huge-cl"])
    func prometheusServerOverOneMiB(base: String) async throws {
        let s = PrometheusSource(
            baseURL: server.url(base), options: SourceOptions(mode: .scrape([]), timeout: 20, maxBodyBytes: 1 << 20),
            auth: nil)
        defer { s.stop() }
        let start = Date()
        guard case .failure(let f) = await s.instantQuery("up", at: 0).result else { Issue.record("succeeded"); return }
        #expect(f.kind == .tooLarge)
        #expect(f.message == "body over 1 MiB")
        #expect(Date().timeIntervalSince(start) < 10)
    }
}

@Suite("Series count bound")
struct SeriesBoundTests {
    @Test func defaultIsPrometheusLikeSampleLimit() {
        #expect(SourceOptions(mode: .scrape([])).maxSeriesPerTarget == 100_000)
        #expect(SourceOptions.defaultMaxSeriesPerTarget == 100_000)
    }

    /// One series more than the default limit fails the scrape with the limit named; exactly the limit passes.
    @Test func overTheDefaultLimitFailsTheScrapeWhole() {
        let storage = StoreScrapeStorage()
        func body(_ n: Int) -> [UInt8] {
            var text = ""
            for i in 0..<n { text += "churn_series{i=\"\(i)\"} 1\n" }
            return Array(text.utf8)
        }
        let limit = SourceOptions.defaultMaxSeriesPerTarget
        let ok = storage.ingest(
            body: body(limit), contentType: nil, target: Labels(["job": "a", "instance": "x"]), at: 1000, duration: 0,
            maxSeries: limit)
        #expect((try? ok.get()) == limit)
        let over = storage.ingest(
            body: body(limit + 1), contentType: nil, target: Labels(["job": "b", "instance": "x"]), at: 1000, duration: 0,
            maxSeries: limit)
        guard case .failure(let failure) = over else { Issue.record("accepted \(limit + 1) series"); return }
        #expect(failure.message == "over series_limit: more than 100000 series in one scrape")
    }
}
