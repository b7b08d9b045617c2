import DataSources
import Foundation
import HTTPClient
import MetricsCore
import Rules

/// Polls an Alertmanager's alerts and silences in the background and keeps the last answers as
/// alert entries: alerts marked `.alertmanager` (firing; a silenced one is listed as inactive, saying
/// by which silence, so that it neither counts as firing nor rings the bell), and each active or
/// pending silence as a `.silence` entry, listed with the alerts but never counted as one.
final class AlertmanagerPoller: Sendable {
    private let client: AlertmanagerClient
    private let latest = Locked<[AlertInstance]>([])
    private let task = Locked<Task<Void, Never>?>(nil)

    init(url: String, intervalMs: Int64, timeout: TimeInterval) {
        client = AlertmanagerClient(baseURL: url, timeout: timeout)
        let client = self.client, latest = self.latest
        let t = Task.detached {
            while !Task.isCancelled {
                if let entries = await Self.poll(client) { latest.set(entries) }
                try? await Task.sleep(nanoseconds: UInt64(max(1000, intervalMs)) * 1_000_000)
            }
        }
        task.set(t)
    }

    deinit {
        task.get()?.cancel()
        client.stop()
    }

    func current() -> [AlertInstance] { latest.get() }

    /// Polls once now (snapshots draw right after).
    func refresh() async {
        if let entries = await Self.poll(client) { latest.set(entries) }
    }

    /// Alerts and silences, or nil when the alerts could not be read (the last answer stays).
    static func poll(_ client: AlertmanagerClient) async -> [AlertInstance]? {
        async let alerts = client.alerts()
        async let silences = client.silences()
        guard case .success(let list) = await alerts else { return nil }
        let silenceList = (try? await silences.get()) ?? []
        return list.map(entry) + silenceList.map(entry)
    }

    static func entry(_ a: AlertmanagerAlert) -> AlertInstance {
        var annotations = a.annotations
        let silenced = a.state == "suppressed"
        if silenced {
            let ids = a.silencedBy.prefix(2).map { String($0.prefix(8)) }
            let by = ids.isEmpty ? "" : " by \(ids.joined(separator: ", "))"
            annotations["summary"] = "(silenced\(by)) " + (a.annotations["summary"] ?? "")
        }
        return AlertInstance(name: a.name, state: silenced ? .inactive : .firing, labels: a.labels, annotations: annotations,
                             activeAt: a.startsAt, firedAt: a.startsAt, origin: .alertmanager)
    }

    static func entry(_ s: AlertmanagerSilence) -> AlertInstance {
        let matchers = s.matchers.map(\.text).joined(separator: ",")
        let until = s.endsAt.map { " until \(Self.clock($0))" } ?? ""
        let by = s.createdBy.isEmpty ? "" : " by \(s.createdBy)"
        let comment = s.comment.isEmpty ? "" : ": \(s.comment)"
        return AlertInstance(name: "{\(matchers)}", state: .inactive, labels: Labels(),
                             annotations: ["summary": "\(s.state)\(until)\(by)\(comment)", "silence_id": s.id],
                             activeAt: s.startsAt, origin: .silence)
    }

    private static func clock(_ date: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "HH:mm"
        return f.string(from: date)
    }
}
