import Foundation
import HTTPClient
import MetricsCore

/// One alert as Alertmanager's `/api/v2/alerts` reports it.
public struct AlertmanagerAlert: Sendable, Hashable {
    public var labels: Labels
    public var annotations: [String: String]
    /// `active`, `suppressed` or `unprocessed`.
    public var state: String
    /// Silence ids muting it (state `suppressed`).
    public var silencedBy: [String]
    public var startsAt: Date?
    public var fingerprint: String

    public var name: String { labels["alertname"] ?? "" }
}

/// One silence as `/api/v2/silences` reports it.
public struct AlertmanagerSilence: Sendable, Hashable {
    public struct Matcher: Sendable, Hashable {
        public var name: String
        public var value: String
        public var isRegex: Bool
        public var isEqual: Bool

        /// `name="value"`, `name=~"re"`, `name!="value"`, `name!~"re"`.
        public var text: String {
            let op = isRegex ? (isEqual ? "=~" : "!~") : (isEqual ? "=" : "!=")
            return "\(name)\(op)\"\(value)\""
        }
    }

    public var id: String
    public var matchers: [Matcher]
    public var startsAt: Date?
    public var endsAt: Date?
    public var createdBy: String
    public var comment: String
    /// `active`, `pending` or `expired`.
    public var state: String
}

/// Reads alerts and silences from an Alertmanager (API v2). Answers are bounded by the body limit
/// and the count of entries kept (`maxEntries`), since an outsider controls them.
public final class AlertmanagerClient: Sendable {
    public let baseURL: String
    public let displayName: String
    private let client: HTTPClient
    private let auth: HTTPAuth?
    private let tls: TLSOptions
    private let timeout: TimeInterval
    static let maxEntries = 1000

    public init(baseURL: String, timeout: TimeInterval = 5, auth: HTTPAuth? = nil, tls: TLSOptions = TLSOptions(),
                client: HTTPClient = HTTPClient()) {
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        self.baseURL = root
        self.displayName = redactURL(root)
        self.client = client
        self.auth = auth
        self.tls = tls
        self.timeout = timeout
    }

    public func stop() { client.shutdown() }

    /// Active and suppressed alerts (not the inhibited ones' duplicates: Alertmanager lists each once).
    public func alerts() async -> Result<[AlertmanagerAlert], QueryFailure> {
        await get("alerts").flatMap { body, url in Self.decodeAlerts(body, location: url) }
    }

    /// Silences that are active or pending (expired ones are history).
    public func silences() async -> Result<[AlertmanagerSilence], QueryFailure> {
        await get("silences").flatMap { body, url in
            Self.decodeSilences(body, location: url).map { $0.filter { $0.state != "expired" } }
        }
    }

    private func get(_ endpoint: String) async -> Result<([UInt8], String), QueryFailure> {
        let request = HTTPRequest(url: "\(baseURL)/api/v2/\(endpoint)", headers: [("Accept", "application/json")],
                                  connectTimeout: min(5, timeout), totalTimeout: timeout, maxBodyBytes: 16 << 20,
                                  auth: auth, tls: tls)
        switch await client.get(request) {
        case .success(let r): return .success((r.body, r.url))
        case .failure(let e): return .failure(QueryFailure(e))
        }
    }

    // MARK: decoding (pure)

    private struct RawAlert: Decodable {
        struct Status: Decodable {
            var state: String
            var silencedBy: [String]?
        }
        var labels: [String: String]
        var annotations: [String: String]?
        var status: Status
        var startsAt: String?
        var fingerprint: String?
    }

    private struct RawSilence: Decodable {
        struct Matcher: Decodable {
            var name: String
            var value: String
            var isRegex: Bool
            var isEqual: Bool?
        }
        struct Status: Decodable { var state: String }
        var id: String
        var matchers: [Matcher]
        var startsAt: String?
        var endsAt: String?
        var createdBy: String?
        var comment: String?
        var status: Status
    }

    public static func decodeAlerts(_ body: [UInt8], location: String = "") -> Result<[AlertmanagerAlert], QueryFailure> {
        decode([RawAlert].self, body, location).map { raw in
            raw.prefix(maxEntries).map {
                AlertmanagerAlert(labels: Labels($0.labels), annotations: $0.annotations ?? [:], state: $0.status.state,
                                  silencedBy: $0.status.silencedBy ?? [],
                                  startsAt: $0.startsAt.flatMap(PrometheusAPI.parseRFC3339),
                                  fingerprint: $0.fingerprint ?? "")
            }
        }
    }

    public static func decodeSilences(_ body: [UInt8], location: String = "") -> Result<[AlertmanagerSilence], QueryFailure> {
        decode([RawSilence].self, body, location).map { raw in
            raw.prefix(maxEntries).map { s in
                AlertmanagerSilence(
                    id: s.id,
                    matchers: s.matchers.map { .init(name: $0.name, value: $0.value, isRegex: $0.isRegex,
                                                     isEqual: $0.isEqual ?? true) },
                    startsAt: s.startsAt.flatMap(PrometheusAPI.parseRFC3339),
                    endsAt: s.endsAt.flatMap(PrometheusAPI.parseRFC3339),
                    createdBy: s.createdBy ?? "", comment: s.comment ?? "", state: s.status.state)
            }
        }
    }

    /// API v2 answers are bare JSON (no Prometheus envelope); errors name the JSON path.
    private static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], _ location: String) -> Result<T, QueryFailure> {
        do {
            return .success(try JSONDecoder().decode(T.self, from: Data(body)))
        } catch {
            return .failure(QueryFailure(kind: .badResponse,
                                         message: "invalid Alertmanager response: \(PrometheusAPI.describe(error))",
                                         location: location))
        }
    }
}
