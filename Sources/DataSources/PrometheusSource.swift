import Foundation
import HTTPClient
import MetricsCore
import PromQL
import Synchronization

/// Server mode: answers queries by asking a Prometheus-compatible HTTP API
/// (Prometheus, Thanos, Mimir, VictoriaMetrics).
public final class PrometheusSource: QuerySource {
    public let baseURL: String
    public let displayName: String
    private let options: SourceOptions
    private let auth: HTTPAuth?
    private let client: HTTPClient
    private let coalescer: Coalescer<QueryOutcome>
    private let hangGuard: HangGuard
    private let state = Mutex(State())

    private struct State {
        var version: String?
        var lastInfoAttempt: Date?
        var handler: (@Sendable () -> Void)?
        var stopped = false
        var rewriter: QueryRewriter?
    }

    /// Rewrites a query before it is sent (inlining recording rules the server lacks); a note, when
    /// given, is added to the answer's warnings so the panel says what was done.
    public typealias QueryRewriter = @Sendable (_ expr: String) async -> (expr: String, note: String?)

    /// `baseURL` is the server root, e.g. `http://127.0.0.1:9090` or `https://host/prometheus/`.
    public init(baseURL: String, options: SourceOptions, auth: HTTPAuth?, client: HTTPClient = HTTPClient()) {
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        self.baseURL = root
        self.displayName = redactURL(root)
        self.options = options
        self.auth = auth
        self.client = client
        // Answers stay shared for half an interval: long enough for every panel of one refresh.
        self.coalescer = Coalescer(ttl: min(2, options.safeInterval / 2))
        // While the server hangs, one probe per interval; the rest of the refresh fails at once.
        self.hangGuard = HangGuard(retryAfter: options.safeInterval)
    }

    public func start() { refreshServerInfo(force: true) }

    public func stop() {
        state.withLock { $0.stopped = true; $0.handler = nil }
        client.shutdown()
    }

    public func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        let (sent, note) = await rewrite(expr)
        return Self.noting(await rawInstantQuery(sent, at: time), note)
    }

    /// An instant query sent exactly as written (the rewriter's own checks use it).
    public func rawInstantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        refreshServerInfo(force: false)
        return await query("query", ["query": expr, "time": Self.seconds(time)])
    }

    public func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
        // One histogram's quantiles: its buckets asked once, the quantiles computed here.
        if let call = ClassicHistogram.singleHistogramQuantile(expr) {
            let buckets = await sendRangeQuery(call.buckets, start: start, end: end, step: step)
            if case .failure = buckets.result { return buckets }
            if let quantiles = SharedBucketQuantiles.quantiles(call.q, of: buckets) { return quantiles }
        }
        return await sendRangeQuery(expr, start: start, end: end, step: step)
    }

    private func sendRangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
        let (sent, note) = await rewrite(expr)
        let params = [
            "query": sent, "start": Self.seconds(start), "end": Self.seconds(end),
            "step": Self.seconds(max(step, 1)),
        ]
        return Self.noting(await query("query_range", params), note)
    }

    public func setQueryRewriter(_ rewriter: QueryRewriter?) {
        state.withLock { $0.rewriter = rewriter }
    }

    private func rewrite(_ expr: String) async -> (String, String?) {
        guard let rewriter = state.withLock({ $0.rewriter }) else { return (expr, nil) }
        return await rewriter(expr)
    }

    private static func noting(_ outcome: QueryOutcome, _ note: String?) -> QueryOutcome {
        guard let note else { return outcome }
        var o = outcome
        o.warnings.insert(note, at: 0)
        return o
    }

    public func targets() -> [TargetStatus] { [] }

    public func serverInfo() -> String? {
        let version = state.withLock { $0.version }
        var parts: [String] = []
        if let version { parts.append("Prometheus \(version)") }
        if options.tls.insecure { parts.append("TLS NOT VERIFIED") }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// The server has no push; the App polls. Kept so callers need not know the mode.
    public func setDataHandler(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.handler = handler }
    }

    /// Current alerts (`/api/v1/alerts`).
    public func alerts() async -> Result<[PrometheusAlert], QueryFailure> {
        await fetch("alerts", [:]).flatMap { body, location in PrometheusAPI.decodeAlerts(body, location: location) }
    }

    /// Values of one label (`/api/v1/label/<name>/values`), optionally restricted by a series selector.
    public func labelValues(_ name: String, matching selector: String? = nil) async -> Result<[String], QueryFailure> {
        let path = "label/\(Self.percentEncode(name))/values"
        let params = selector.map { ["match[]": $0] } ?? [:]
        return await fetch(path, params).flatMap { body, location in
            PrometheusAPI.decodeLabelValues(body, location: location)
        }
    }

    /// The label sets of the series matching `selector` between `start` and `end` (`/api/v1/series`).
    public func series(matching selector: String, start: Timestamp, end: Timestamp) async -> Result<[Labels], QueryFailure> {
        let params = ["match[]": selector, "start": Self.seconds(start), "end": Self.seconds(end)]
        return await fetch("series", params).flatMap { body, location in PrometheusAPI.decodeSeries(body, location: location) }
    }

    // MARK: plumbing

    private func query(_ endpoint: String, _ params: [String: String]) async -> QueryOutcome {
        let url = makeURL(endpoint, params)
        // Panels asking the same thing at the same instant share one request (and its answer for
        // the rest of the refresh).
        return await coalescer.run(url) { [self] in
            switch await fetch(url: url) {
            case .success(let (body, location)): return PrometheusAPI.decodeQuery(body, location: location)
            case .failure(let f): return .failure(f)
            }
        }
    }

    private func fetch(_ endpoint: String, _ params: [String: String]) async -> Result<([UInt8], String), QueryFailure> {
        await fetch(url: makeURL(endpoint, params))
    }

    /// GETs an API URL. Error statuses with an API error body become that API error.
    private func fetch(url: String) async -> Result<([UInt8], String), QueryFailure> {
        let request = HTTPRequest(
            url: url, headers: [("Accept", "application/json")], connectTimeout: options.effectiveConnectTimeout,
            totalTimeout: options.effectiveQueryTimeout, maxBodyBytes: options.maxBodyBytes, auth: auth, tls: options.tls)
        let sentAt = ContinuousClock.now
        let probe: Bool
        switch hangGuard.admit(now: sentAt) {
        case .refuse(let failure): return .failure(failure)
        case .send(let p): probe = p
        }
        let result = await sendOnce(request)
        if case .failure(let f) = result {
            hangGuard.finished(sentAt: sentAt, probe: probe, failure: f)
        } else {
            hangGuard.finished(sentAt: sentAt, probe: probe, failure: nil)
        }
        return result
    }

    private func sendOnce(_ request: HTTPRequest) async -> Result<([UInt8], String), QueryFailure> {
        switch await client.get(request) {
        case .success(let r):
            return .success((r.body, r.url))
        case .failure(let e):
            if case .httpStatus = e.kind, let body = e.body,
               case .failure(let apiFailure) = PrometheusAPI.decode([String: String]?.self, from: body, location: e.url),
               apiFailure.kind == .api {
                return .failure(apiFailure)
            }
            return .failure(QueryFailure(e))
        }
    }

    private func refreshServerInfo(force: Bool) {
        let go = state.withLock { s -> Bool in
            if s.stopped || (s.version != nil && !force) { return false }
            if !force, let last = s.lastInfoAttempt, Date().timeIntervalSince(last) < 30 { return false }
            s.lastInfoAttempt = Date()
            return true
        }
        guard go else { return }
        Task { [self] in
            if case .success(let (body, _)) = await fetch("status/buildinfo", [:]),
               let version = PrometheusAPI.decodeBuildInfo(body) {
                state.withLock { $0.version = String(version.prefix(40)) }
            }
        }
    }

    func makeURL(_ endpoint: String, _ params: [String: String]) -> String {
        let query = params.sorted { $0.key < $1.key }
            .map { "\(Self.percentEncode($0.key))=\(Self.percentEncode($0.value))" }
            .joined(separator: "&")
        return "\(baseURL)/api/v1/\(endpoint)" + (query.isEmpty ? "" : "?\(query)")
    }

    static func seconds(_ ms: Int64) -> String {
        let sign = ms < 0 ? "-" : ""
        let a = ms.magnitude
        let frac = a % 1000
        return frac == 0 ? "\(sign)\(a / 1000)" : "\(sign)\(a / 1000).\(String(format: "%03d", Int(frac)))"
    }

    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
