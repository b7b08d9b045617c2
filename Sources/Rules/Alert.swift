import Foundation
import MetricsCore

/// The state of one alert, as Prometheus defines it.
public enum AlertState: String, Hashable, Sendable, Comparable {
    case inactive, pending, firing

    private var rank: Int { self == .firing ? 2 : self == .pending ? 1 : 0 }
    public static func < (a: AlertState, b: AlertState) -> Bool { a.rank < b.rank }
}

/// One active (pending or firing) or recently resolved alert instance, ready to display.
public struct AlertInstance: Hashable, Sendable {
    /// `silence` marks an Alertmanager silence listed with the alerts (state `inactive`).
    public enum Origin: String, Hashable, Sendable { case lookout, server, alertmanager, silence }

    public var name: String
    public var state: AlertState
    /// Labels after templating, including `alertname` and the rule's labels.
    public var labels: Labels
    /// Annotations after templating (`summary`, `description`...).
    public var annotations: [String: String]
    public var value: Double
    /// When the alert became pending.
    public var activeAt: Date?
    /// When it went from pending to firing.
    public var firedAt: Date?
    /// When it stopped firing (kept for a while so the screen can show "resolved").
    public var resolvedAt: Date?
    public var origin: Origin

    public init(name: String, state: AlertState, labels: Labels, annotations: [String: String] = [:],
                value: Double = .nan, activeAt: Date? = nil, firedAt: Date? = nil, resolvedAt: Date? = nil,
                origin: Origin = .lookout) {
        self.name = name
        self.state = state
        self.labels = labels
        self.annotations = annotations
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.origin = origin
    }

    public var severity: String? { labels["severity"] }
}
