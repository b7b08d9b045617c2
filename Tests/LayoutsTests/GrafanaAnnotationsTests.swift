import Testing
@testable import Layouts

/// `annotations.list` entries with a PromQL `expr` are read into `Dashboard.annotations`.
@Suite struct GrafanaAnnotationsTests {
    @Test func prometheusQueriesAreReadAndTheOthersLeftOut() throws {
        let text = #"""
        {"schemaVersion": 39, "panels": [],
         "annotations": {"list": [
           {"builtIn": 1, "datasource": "-- Grafana --", "enable": true, "name": "Annotations & Alerts"},
           {"datasource": "$datasource", "enable": true, "expr": "up == 0", "name": "Down", "iconColor": "#E02F44",
            "titleFormat": "{{instance}}", "textFormat": "down", "step": "30s"},
           {"datasource": {"type": "prometheus", "uid": "p"}, "enable": false, "name": "Reloads",
            "target": {"expr": "changes(reload_ts[5m])", "refId": "Anno"}},
           {"datasource": {"type": "loki", "uid": "l"}, "enable": true, "expr": "{job=\"x\"}", "name": "Logs"},
           {"datasource": {"type": "prometheus"}, "enable": true, "expr": "  ", "name": "Empty"}]}}
        """#
        let loaded = try LayoutLoader.decode(text, file: "a.json")
        #expect(loaded.dashboard.annotations == [
            AnnotationQuery(name: "Down", expr: "up == 0", iconColor: "#E02F44", titleFormat: "{{instance}}",
                            textFormat: "down", stepMs: 30_000, path: "annotations.list[1]"),
            AnnotationQuery(name: "Reloads", expr: "changes(reload_ts[5m])", enabled: false, path: "annotations.list[2]"),
        ])
        #expect(loaded.warnings.map(\.description) == [])
    }

    @Test func oddValuesAreWarningsNotErrors() throws {
        let text = #"{"schemaVersion": 39, "panels": [], "annotations": {"list": [{"expr": "up", "step": "soon"}]}}"#
        let loaded = try LayoutLoader.decode(text, file: "b.json")
        #expect(loaded.dashboard.annotations.map(\.stepMs) == [nil])
        #expect(loaded.dashboard.annotations.map(\.name) == ["annotation 0"])
        #expect(loaded.warnings.map(\.description) == [
            #"b.json: annotations.list[0].step: warning: expected a duration such as "30s" or "5m", found "soon"; ignored (Grafana loads it)"#,
        ])
    }

    @Test func thePrometheusStatsDashboardHasTwo() throws {
        guard let path = try Paths.shared("fusakla-prometheus2.json", for: "thePrometheusStatsDashboardHasTwo") else { return }
        let d = try LayoutLoader.load(file: path)
        #expect(d.annotations.map(\.name) == ["Reload", "Restart"])
        #expect(d.annotations.map(\.iconColor) == ["#FFF899", "#E02F44"])
    }
}
