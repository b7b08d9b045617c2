import Foundation
import MetricsCore

/// The alert state machine of one alerting rule, as Prometheus runs it: each output series of
/// the expression is one alert instance, which goes pending, fires once it has been active for
/// `for`, keeps firing for `keep_firing_for` after the condition clears, and is then resolved
/// (kept for `resolvedRetention` so the screen can show it).
struct AlertingRuleState: Sendable {
    struct Active: Sendable {
        var labels: Labels
        var annotations: [String: String]
        var value: Double
        var state: AlertState
        var activeAt: Timestamp
        var firedAt: Timestamp?
        var resolvedAt: Timestamp?
        var keepFiringSince: Timestamp?
    }

    /// How long a resolved alert stays listed (Prometheus keeps them 15 minutes too).
    static let resolvedRetention: Int64 = 15 * 60_000

    let rule: RuleDefinition
    private(set) var active: [Labels: Active] = [:]

    init(rule: RuleDefinition) { self.rule = rule }

    /// Carries the alerts of an earlier version of the rule over (after a reload).
    init(rule: RuleDefinition, keeping old: AlertingRuleState) {
        self.rule = rule
        self.active = old.active
    }

    struct EvalError: Error {
        var message: String
    }

    /// Applies one evaluation's result at `ts`. Returns the `ALERTS` and `ALERTS_FOR_STATE`
    /// samples for the alerts now pending or firing. On error the state is left unchanged.
    mutating func update(_ samples: [InstantSample], at ts: Timestamp, external: TemplateContext) throws(EvalError) -> [(Labels, Double)] {
        var seen: [Labels: Active] = [:]
        for sample in samples {
            var templateLabels: [String: String] = [:]
            for l in sample.labels { templateLabels[l.name] = l.value }
            let data = TemplateData(labels: templateLabels, value: sample.sample.v,
                                    externalLabels: external.labels, externalURL: external.url)
            var labels = sample.labels.withoutName()
            for (name, value) in rule.labels { labels.set(name, AlertTemplate.expand(value, data: data)) }
            labels.set("alertname", rule.name)
            var annotations: [String: String] = [:]
            for (name, text) in rule.annotations { annotations[name] = AlertTemplate.expand(text, data: data) }
            guard seen[labels] == nil else {
                throw EvalError(message: "vector contains metrics with the same labelset after applying alert labels")
            }
            seen[labels] = Active(labels: labels, annotations: annotations, value: sample.sample.v, state: .pending,
                                  activeAt: ts)
        }

        for (labels, fresh) in seen {
            if var existing = active[labels], existing.state != .inactive {
                existing.value = fresh.value
                existing.annotations = fresh.annotations
                existing.keepFiringSince = nil
                active[labels] = existing
            } else {
                active[labels] = fresh
            }
        }

        var output: [(Labels, Double)] = []
        for (labels, var alert) in active {
            if seen[labels] == nil {
                var keepFiring = false
                if alert.state == .firing, rule.keepFiringFor > 0 {
                    let since = alert.keepFiringSince ?? ts
                    alert.keepFiringSince = since
                    keepFiring = ts - since < rule.keepFiringFor
                }
                if alert.state == .pending
                    || (alert.resolvedAt.map { ts - $0 > Self.resolvedRetention } ?? false) {
                    active[labels] = nil
                    continue
                }
                if !keepFiring {
                    if alert.state != .inactive {
                        alert.state = .inactive
                        alert.resolvedAt = ts
                    }
                    active[labels] = alert
                    continue
                }
            }
            if alert.state == .pending, ts - alert.activeAt >= rule.holdDuration {
                alert.state = .firing
                alert.firedAt = ts
            }
            active[labels] = alert
            output.append((alertSeries(alert), 1))
            // Prometheus stores whole seconds here (ActiveAt.Unix()).
            output.append((forStateSeries(alert), Double(alert.activeAt / 1000)))
        }
        return output
    }

    private func alertSeries(_ a: Active) -> Labels {
        a.labels.setting(Labels.metricName, "ALERTS").setting("alertstate", a.state.rawValue)
    }

    private func forStateSeries(_ a: Active) -> Labels {
        a.labels.setting(Labels.metricName, "ALERTS_FOR_STATE")
    }

    /// The alerts to show: pending, firing, and resolved ones still within retention.
    func instances() -> [AlertInstance] {
        active.values.map { a in
            AlertInstance(name: rule.name, state: a.state, labels: a.labels, annotations: a.annotations, value: a.value,
                          activeAt: Date(milliseconds: a.activeAt), firedAt: a.firedAt.map(Date.init(milliseconds:)),
                          resolvedAt: a.resolvedAt.map(Date.init(milliseconds:)), origin: .lookout)
        }
    }
}

/// External labels and URL, visible to templates as `$externalLabels` and `$externalURL`.
public struct TemplateContext: Sendable, Hashable {
    public var labels: [String: String]
    public var url: String
    public init(labels: [String: String] = [:], url: String = "") {
        self.labels = labels
        self.url = url
    }
}

extension Date {
    init(milliseconds: Timestamp) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
