import DataSources
import Foundation
import HTTPClient
import MetricsCore
import Testing

@Suite("Prometheus source against the fault server")
final class PrometheusSourceFaultTests: Sendable {
    let server: FaultServer

    init() async throws { server = try await FaultServer.start() }
    deinit { server.stop() }

    func source(_ fault: String, timeout: TimeInterval = 1, interval: TimeInterval = 1) -> PrometheusSource {
        PrometheusSource(
            baseURL: server.url("/\(fault)/"),
            options: SourceOptions(mode: .prometheus(url: ""), interval: interval, timeout: timeout),
            auth: nil)
    }

    func failure(_ fault: String, timeout: TimeInterval = 1) async -> QueryFailure? {
        let s = source(fault, timeout: timeout)
        defer { s.stop() }
        if case .failure(let f) = await s.instantQuery("up", at: 1_700_000_000_000).result { return f }
        return nil
    }

    @Test func successAndServerInfo() async throws {
        let s = source("ok")
        defer { s.stop() }
        s.start()
        let v = try await s.instantQuery("up", at: 1_700_000_000_000).result.get()
        guard case .vector(let samples) = v else { Issue.record("not a vector"); return }
        #expect(samples.first?.labels["job"] == "fault")
        let m = try await s.rangeQuery("up", start: 0, end: 60_000, step: 15_000).result.get()
        guard case .matrix(let series) = m else { Issue.record("not a matrix"); return }
        #expect(series.first?.samples.count == 2)
        #expect(try await s.labelValues("job").get() == ["fault", "node"])
        #expect(try await s.alerts().get().isEmpty)
        // buildinfo is fetched in the background at start.
        for _ in 0..<50 where s.serverInfo() == nil { try await Task.sleep(for: .milliseconds(20)) }
        #expect(s.serverInfo() == "Prometheus 2.42.0")
    }

    @Test(arguments: [
        ("404", QueryFailure.Kind.http, "HTTP 404"), ("500", .http, "HTTP 500"), ("503", .http, "HTTP 503"),
        ("truncated", .badResponse, "truncated"), ("garbage", .badResponse, "not JSON"),
        ("invalid-utf8", .badResponse, "not JSON"), ("bad-json", .badResponse, "invalid API response"),
        ("api-error", .api, "bad_data: 1:5: parse error"),
        ("api-error-422", .api, "422: error when executing query=\"up\": cannot evaluate"),
        ("api-error-503", .api, "unavailable: too many queries in flight"), ("hang", .timeout, "timeout after 1s"),
        ("drip", .timeout, "timeout after 1s"),
    ])
    func faultIsNamedAndHeals(fault: String, kind: QueryFailure.Kind, message: String) async throws {
        let start = Date()
        let f = try #require(await failure(fault))
        #expect(f.kind == kind)
        #expect(f.message.contains(message), "\(f.message)")
        #expect(f.location?.contains("/\(fault)/api/v1/query") == true)
        // Within the 1 s timeout plus slack for a loaded test machine.
        #expect(Date().timeIntervalSince(start) < 10)
        _ = await server.control("/heal")
        let s = source(fault)
        defer { s.stop() }
        #expect((try? await s.instantQuery("up", at: 1_700_000_000_000).result.get()) != nil)
    }

    @Test func connectionRefused() async throws {
        let s = PrometheusSource(baseURL: "http://127.0.0.1:\(server.closedPort)", options: SourceOptions(mode: .scrape([])), auth: nil)
        defer { s.stop() }
        guard case .failure(let f) = await s.instantQuery("up", at: 0).result else { Issue.record("succeeded"); return }
        #expect(f.kind == .network && f.message == "connection refused")
    }

    @Test func tooLarge() async throws {
        let s = PrometheusSource(
            baseURL: server.url("/huge-cl"), options: SourceOptions(mode: .scrape([]), maxBodyBytes: 1 << 20), auth: nil)
        defer { s.stop() }
        guard case .failure(let f) = await s.instantQuery("up", at: 0).result else { Issue.record("succeeded"); return }
        #expect(f.kind == .tooLarge && f.message == "body over 1 MiB")
    }

    @Test func identicalQueriesInFlightAreSentOnce() async throws {
        let s = source("slow", timeout: 5, interval: 10)
        defer { s.stop() }
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<6 {
                group.addTask { (try? await s.instantQuery("sum(up)", at: 1_700_000_000_000).result.get()) != nil }
            }
            group.addTask { (try? await s.instantQuery("sum(up)", at: 1_700_000_001_000).result.get()) != nil }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 7))
        // Six identical queries shared one request; the one at another time needed its own.
        #expect(await server.control("/count?path=/slow/api/v1/query") == "2")
        // Asked again within the same refresh (half an interval, at most 2 s): answered without a request.
        #expect((try? await s.instantQuery("sum(up)", at: 1_700_000_000_000).result.get()) != nil)
        #expect(await server.control("/count?path=/slow/api/v1/query") == "2")
    }
}
