@testable import App
import Foundation
import MetricsCore
import Rules
import Testing

/// Lookout's own alerts, the server's and an Alertmanager's: one entry per label set, origins kept.
@Suite("Alert merge across origins")
struct AlertMergeTests {
    func alert(_ name: String, _ state: AlertState, _ origin: AlertInstance.Origin, instance: String = "a") -> AlertInstance {
        AlertInstance(name: name, state: state, labels: Labels(["alertname": name, "instance": instance]), origin: origin)
    }

    @Test func sameLabelsListedOnceFurthestAlongWins() {
        let merged = AlertMerge.merge(
            own: [alert("HighErrorRate", .pending, .lookout), alert("LowCache", .firing, .lookout)],
            others: [alert("HighErrorRate", .firing, .server), alert("HighErrorRate", .firing, .alertmanager),
                     alert("LowCache", .firing, .alertmanager), alert("DiskFull", .firing, .alertmanager, instance: "db1")])
        #expect(merged.map(\.name) == ["DiskFull", "HighErrorRate", "LowCache"])
        // Firing beats pending; on a tie the earlier origin (Lookout, then the server) stays.
        #expect(merged.map(\.origin) == [.alertmanager, .server, .lookout])
    }

    @Test func silencesAreListedAfterTheAlertsAndNeverMerged() {
        let silence = AlertInstance(name: #"{alertname="X"}"#, state: .inactive, labels: Labels(), origin: .silence)
        let merged = AlertMerge.merge(own: [alert("X", .firing, .lookout)], others: [silence, silence])
        #expect(merged.map(\.origin) == [.lookout, .silence, .silence])
    }

    @Test func alertmanagerRowsAndSilencesSayWhatTheyAre() {
        let rows = AlertRows.rows([
            alert("DiskFull", .firing, .alertmanager),
            AlertInstance(name: "Muted", state: .inactive, labels: Labels(["alertname": "Muted"]),
                          annotations: ["summary": "(silenced by f437e1e4) "], origin: .alertmanager),
            AlertInstance(name: #"{alertname="Muted"}"#, state: .inactive, labels: Labels(),
                          annotations: ["summary": "active until 21:09 by alice: maintenance"], origin: .silence),
        ], now: 0)
        #expect(rows.map(\.name) == ["DiskFull [am]", "Muted [am]", #"silence {alertname="Muted"}"#])
        #expect(rows.map(\.summary) == ["", "(silenced by f437e1e4) ", "active until 21:09 by alice: maintenance"])
    }
}
