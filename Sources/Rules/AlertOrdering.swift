import Foundation
import MetricsCore

/// Ordering and merging of alert lists for display.
public enum AlertOrdering {
    /// `critical` > `error` > `warning` > `info` > anything else > none.
    public static func severityRank(_ severity: String?) -> Int {
        switch severity?.lowercased() {
        case "critical", "page": return 5
        case "error", "high": return 4
        case "warning", "warn": return 3
        case "info", "low": return 2
        case nil: return 0
        default: return 1
        }
    }

    /// Firing before pending before resolved; then the most severe; then the oldest; then by name.
    public static func sorted(_ alerts: [AlertInstance]) -> [AlertInstance] {
        alerts.sorted { a, b in
            if a.state != b.state { return a.state > b.state }
            let sa = severityRank(a.severity), sb = severityRank(b.severity)
            if sa != sb { return sa > sb }
            let ta = a.activeAt ?? .distantFuture, tb = b.activeAt ?? .distantFuture
            if ta != tb { return ta < tb }
            if a.name != b.name { return a.name < b.name }
            return a.labels.description < b.labels.description
        }
    }

    /// The alert a banner names: the most severe of those firing, or nil when nothing fires.
    public static func mostSevereFiring(_ alerts: [AlertInstance]) -> AlertInstance? {
        sorted(alerts.filter { $0.state == .firing }).first
    }

    /// Merges the server's alerts (from `/api/v1/alerts`) with Lookout's own. Server alerts are
    /// marked `.server`. When both report an alert with the same labels (the same rule loaded in
    /// both places), one entry is kept: the one further along (firing over pending), the server's on
    /// a tie, since it is the system of record.
    public static func merge(own: [AlertInstance], server: [AlertInstance]) -> [AlertInstance] {
        var byLabels: [Labels: AlertInstance] = [:]
        var order: [Labels] = []
        for var s in server {
            s.origin = .server
            if byLabels[s.labels] == nil { order.append(s.labels) }
            if let existing = byLabels[s.labels], existing.state > s.state { continue }
            byLabels[s.labels] = s
        }
        for o in own {
            if let existing = byLabels[o.labels] {
                if o.state > existing.state { byLabels[o.labels] = o }
                continue
            }
            order.append(o.labels)
            byLabels[o.labels] = o
        }
        return sorted(order.compactMap { byLabels[$0] })
    }
}
