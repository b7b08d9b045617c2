import Foundation

/// What the dashboard asks of a data source, whatever answers it: the embedded engine over
/// scraped samples, or a Prometheus-compatible server.
public protocol QuerySource: AnyObject, Sendable {
    /// Shown in the header: `demo`, a redacted URL, or `3 targets`.
    var displayName: String { get }

    /// Starts polling (scraping, or nothing for a server). Safe to call once.
    func start()
    /// Stops polling and releases connections; returns when no callback will fire any more.
    func stop()

    /// Evaluates `expr` at one instant (`time` in milliseconds).
    func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome
    /// Evaluates `expr` over `start...end` every `step` (all milliseconds). Always a matrix on success.
    func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome

    /// Per-target health for the status line and the targets view (empty in server mode).
    func targets() -> [TargetStatus]
    /// Header text about the server (version, TLS state), if any.
    func serverInfo() -> String?
    /// Called on an arbitrary thread whenever new data has arrived (a scrape finished).
    func setDataHandler(_ handler: @escaping @Sendable () -> Void)

    /// The time a live dashboard asks "now" at. A server answers for `now`; the embedded scraper
    /// answers for its newest scrape's stamp, so that values and the graphs' newest step are one
    /// instant and share their evaluation.
    func evaluationTime(now: Timestamp) -> Timestamp
}

extension QuerySource {
    public func evaluationTime(now: Timestamp) -> Timestamp { now }
}

/// A query's answer or the reason it has none, plus the server's warnings.
public struct QueryOutcome: Sendable {
    public var result: Result<QueryValue, QueryFailure>
    public var warnings: [String]

    public init(result: Result<QueryValue, QueryFailure>, warnings: [String] = []) {
        self.result = result
        self.warnings = warnings
    }

    public static func success(_ v: QueryValue, warnings: [String] = []) -> QueryOutcome {
        QueryOutcome(result: .success(v), warnings: warnings)
    }

    public static func failure(_ f: QueryFailure) -> QueryOutcome {
        QueryOutcome(result: .failure(f))
    }
}

/// Why a query failed, in words short enough for a panel: `timeout after 2s`, `HTTP 503`,
/// `parse error at 1:17: unexpected "]"`.
public struct QueryFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case parse, evaluation, network, timeout, http, api, badResponse, tooLarge, unavailable
    }

    public var kind: Kind
    public var message: String
    /// Where it happened: a redacted URL, or `expr 1:17`.
    public var location: String?

    public init(kind: Kind, message: String, location: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public var description: String { message }
}

/// The health of one scrape target.
public struct TargetStatus: Hashable, Sendable {
    public enum Health: String, Hashable, Sendable { case unknown, up, down }

    public var job: String
    /// URL with any user info redacted.
    public var url: String
    public var health: Health
    public var lastError: String?
    public var lastScrape: Date?
    public var lastDuration: TimeInterval?
    public var bytes: Int
    public var seriesCount: Int

    public init(
        job: String, url: String, health: Health = .unknown, lastError: String? = nil,
        lastScrape: Date? = nil, lastDuration: TimeInterval? = nil, bytes: Int = 0, seriesCount: Int = 0
    ) {
        self.job = job
        self.url = url
        self.health = health
        self.lastError = lastError
        self.lastScrape = lastScrape
        self.lastDuration = lastDuration
        self.bytes = bytes
        self.seriesCount = seriesCount
    }
}
