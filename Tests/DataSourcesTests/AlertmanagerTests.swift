import DataSources
import Foundation
import MetricsCore
import Testing

/// Alertmanager API v2 answers as prometheus-alertmanager 0.25 gives them (captured from a real
/// one on loopback: one active alert, one silenced, one silence).
@Suite("Alertmanager API decoding")
struct AlertmanagerDecodingTests {
    static let alerts = """
        [{"annotations":{},"endsAt":"2026-12-06T20:14:57.548Z","fingerprint":"d4803cfb3b440a84","receivers":[{"name":"none"}],
          "startsAt":"2026-12-06T20:09:57.548Z","status":{"inhibitedBy":[],"silencedBy":["f437e1e4-d2bc-4246-bd8d-cc8d580f5a39"],
          "state":"suppressed"},"updatedAt":"2026-12-06T20:09:57.548Z","labels":{"alertname":"Muted","severity":"warning"}},
         {"annotations":{"summary":"disk 97% full"},"endsAt":"2026-12-06T20:14:57.548Z","fingerprint":"e94c744ae3d44df8",
          "receivers":[{"name":"none"}],"startsAt":"2026-12-06T20:09:57.548Z","status":{"inhibitedBy":[],"silencedBy":[],
          "state":"active"},"updatedAt":"2026-12-06T20:09:57.548Z","labels":{"alertname":"DiskFull","instance":"db1","severity":"critical"}}]
        """
    static let silences = """
        [{"id":"f437e1e4-d2bc-4246-bd8d-cc8d580f5a39","status":{"state":"active"},"updatedAt":"2026-12-06T20:09:57.562Z",
          "comment":"maintenance","createdBy":"alice","endsAt":"2026-12-06T21:09:57.000Z",
          "matchers":[{"isEqual":true,"isRegex":false,"name":"alertname","value":"Muted"},
                      {"isEqual":false,"isRegex":true,"name":"instance","value":"db.*"}],
          "startsAt":"2026-12-06T20:09:57.562Z"}]
        """

    @Test func alerts() throws {
        let list = try AlertmanagerClient.decodeAlerts(Array(Self.alerts.utf8)).get()
        #expect(list.map(\.name) == ["Muted", "DiskFull"])
        #expect(list[0].state == "suppressed" && list[0].silencedBy == ["f437e1e4-d2bc-4246-bd8d-cc8d580f5a39"])
        #expect(list[1].state == "active" && list[1].silencedBy.isEmpty)
        #expect(list[1].labels == Labels(["alertname": "DiskFull", "instance": "db1", "severity": "critical"]))
        #expect(list[1].annotations == ["summary": "disk 97% full"])
        #expect(list[1].fingerprint == "e94c744ae3d44df8")
        let start = try #require(list[1].startsAt)
        #expect(abs(start.timeIntervalSince1970 - 1_796_587_797.548) < 0.001)
    }

    @Test func silences() throws {
        let list = try AlertmanagerClient.decodeSilences(Array(Self.silences.utf8)).get()
        #expect(list.count == 1)
        let s = try #require(list.first)
        #expect(s.id == "f437e1e4-d2bc-4246-bd8d-cc8d580f5a39" && s.state == "active")
        #expect(s.createdBy == "alice" && s.comment == "maintenance")
        #expect(s.matchers.map(\.text) == [#"alertname="Muted""#, #"instance!~"db.*""#])
        #expect(s.endsAt.map { Int($0.timeIntervalSince1970) } == 1_796_591_397)
    }

    @Test func malformedAnswersNameThePath() {
        guard case .failure(let f) = AlertmanagerClient.decodeAlerts(Array(#"[{"labels":{"a":"b"},"status":{}}]"#.utf8)) else {
            Issue.record("decoded an alert without status.state")
            return
        }
        #expect(f.kind == .badResponse)
        #expect(f.message == #"invalid Alertmanager response: at [0].status: missing "state""#)
        guard case .failure(let g) = AlertmanagerClient.decodeSilences(Array("<html>".utf8)) else {
            Issue.record("decoded HTML")
            return
        }
        #expect(g.message.hasPrefix("invalid Alertmanager response: not JSON"), "\(g.message)")
    }
}
