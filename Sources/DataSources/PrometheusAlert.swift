import Foundation
import MetricsCore

/// One alert as `/api/v1/alerts` reports it.
public struct PrometheusAlert: Sendable, Hashable {
    public var name: String
    /// `pending` or `firing` (Prometheus' words).
    public var state: String
    public var labels: Labels
    public var annotations: [String: String]
    public var activeAt: Date?
    public var value: Double?

    public init(name: String, state: String, labels: Labels, annotations: [String: String], activeAt: Date?, value: Double?) {
        self.name = name
        self.state = state
        self.labels = labels
        self.annotations = annotations
        self.activeAt = activeAt
        self.value = value
    }
}

extension PrometheusAPI {
    private struct AlertsData: Decodable {
        struct Alert: Decodable {
            var labels: [String: String]
            var annotations: [String: String]?
            var state: String
            var activeAt: String?
            var value: String?
        }
        var alerts: [Alert]
    }

    /// Decodes `/api/v1/alerts`.
    public static func decodeAlerts(_ body: [UInt8], location: String = "") -> Result<[PrometheusAlert], QueryFailure> {
        decode(AlertsData.self, from: body, location: location).map { data, _ in
            data.alerts.map {
                PrometheusAlert(
                    name: $0.labels["alertname"] ?? "", state: $0.state, labels: Labels($0.labels),
                    annotations: $0.annotations ?? [:], activeAt: $0.activeAt.flatMap(parseRFC3339),
                    value: $0.value.flatMap(APIPoint.parseValue))
            }
        }
    }

    /// RFC 3339 with up to nanosecond fractions (`2024-01-02T03:04:05.123456789Z`, `+02:00`), which
    /// Foundation's ISO 8601 parser does not take beyond milliseconds.
    static func parseRFC3339(_ text: String) -> Date? {
        var base = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix(while: { $0.isASCII && $0.isNumber })
            fraction = Double("0." + digits) ?? 0
            base = String(text[..<dot]) + text[text.index(after: dot)...].dropFirst(digits.count)
        }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: base).map { $0.addingTimeInterval(fraction) }
    }
}
