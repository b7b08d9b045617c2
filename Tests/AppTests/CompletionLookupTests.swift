@testable import App
import MetricsCore
import Testing

/// A server-like source: the metadata API answers, PromQL is never asked. Records every call.
final class CatalogSource: QuerySource, CompletionCatalog, @unchecked Sendable {
    private(set) var calls: [String] = []
    var displayName: String { "catalog" }
    func start() {}
    func stop() {}
    func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        calls.append("query " + expr)
        return .failure(QueryFailure(kind: .parse, message: "not asked in server mode"))
    }
    func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome { .success(.matrix([])) }
    func targets() -> [TargetStatus] { [] }
    func serverInfo() -> String? { nil }
    func setDataHandler(_ handler: @escaping @Sendable () -> Void) {}

    func labelValues(_ name: String, matching selector: String?) async -> Result<[String], QueryFailure> {
        calls.append("label/\(name)/values" + (selector.map { "?match[]=" + $0 } ?? ""))
        return .success(name == "__name__" ? ["up", "http_requests_total", "http_request_duration_seconds_bucket"]
                        : ["/login", "/api"])
    }
    func series(matching selector: String, start: Timestamp, end: Timestamp) async -> Result<[Labels], QueryFailure> {
        calls.append("series?match[]=\(selector)&start=\(start)&end=\(end)")
        return .success([Labels(["__name__": selector, "handler": "/api", "code": "200"]),
                         Labels(["__name__": selector, "handler": "/login", "method": "GET"])])
    }
}

@Suite struct CompletionLookupTests {
    let now: Timestamp = 1_800_000_000_000

    @Test func serverModeAsksTheMetadataAPI() async throws {
        let source = CatalogSource()
        let metrics = try #require(await CompletionLookup.run(.metrics, source: source, now: now))
        #expect(metrics.metrics == ["http_request_duration_seconds_bucket", "http_requests_total", "up"])
        let labels = try #require(await CompletionLookup.run(.labelNames(metric: "http_requests_total"), source: source, now: now))
        #expect(labels.labelNames == ["http_requests_total": ["code", "handler", "method"]])
        let values = try #require(await CompletionLookup.run(.labelValues(metric: "http_requests_total", label: "handler"),
                                                             source: source, now: now))
        #expect(values.labelValues == ["http_requests_total handler": ["/api", "/login"]])
        #expect(source.calls == [
            "label/__name__/values",
            "series?match[]=http_requests_total&start=\(now - 3_600_000)&end=\(now)",
            "label/handler/values?match[]=http_requests_total",
        ])
    }

    @Test func completionUsesWhatTheServerListed() async throws {
        var vocabulary = CompletionVocabulary()
        let source = CatalogSource()
        let request = try #require(CompletionLookup.Request(Completion.slot("rate(http_req", caret: 13)))
        vocabulary.merge(try #require(await CompletionLookup.run(request, source: source, now: now)))
        #expect(Completion.candidates("rate(http_req", caret: 13, vocabulary: vocabulary).map(\.0)
            == ["http_requests_total", "http_request_duration_seconds_bucket"])
    }

    @Test func embeddedModeAsksInstantQueries() async throws {
        let source = TableSource(["count by (handler) (http_requests_total)": [Labels(["handler": "/a"]), Labels(["handler": "/b"])]])
        let values = try #require(await CompletionLookup.run(.labelValues(metric: "http_requests_total", label: "handler"),
                                                             source: source, now: now))
        #expect(values.labelValues == ["http_requests_total handler": ["/a", "/b"]])
        #expect(source.asked == ["count by (handler) (http_requests_total)"])
    }
}
