import Foundation
import Testing
@testable import Layouts

@Suite struct GrafanaDialectTests {
    @Test func everyPanelTypeDecodes() throws {
        let layout = try LayoutLoader.loadDetailed(file: Paths.fixture("grafana-all-panels.json"))
        let d = layout.dashboard
        #expect(layout.dialect == .grafana)
        #expect(d.title == "Fixture: every panel type")
        #expect(d.refresh == 10_000)
        #expect(d.timeRange == 21_600_000)
        #expect(d.panels.map(\.type) == [.stat, .gauge, .barList, .row, .row])
        #expect(d.panels[3].children.map(\.type) == [.graph, .graph])
        #expect(d.panels[4].children.map(\.type) == [.text, .table, .barList])
        #expect(d.panels[4].children[2].sourceType == "piechart")

        let stat = d.panels[0]
        #expect(stat.title == "Up targets")
        #expect(stat.gridPos == GridPos(x: 0, y: 0, w: 6, h: 4))
        #expect(stat.unit == "short" && stat.decimals == 0)
        #expect(stat.thresholds == [Threshold(value: nil, color: "red"), Threshold(value: 1, color: "green")])
        #expect(stat.showSparkline == true)
        #expect(stat.targets == [Target(expr: "sum(up{job=\"$job\"})", legendFormat: "up", refId: "A")])

        // Percentage thresholds become absolute values over min...max.
        let gauge = d.panels[1]
        #expect(gauge.unit == "percentunit" && gauge.min == 0 && gauge.max == 1)
        #expect(gauge.thresholds == [Threshold(value: nil, color: "green"), Threshold(value: 0.7, color: "orange"),
                                     Threshold(value: 0.9, color: "red")])

        let bar = d.panels[2]
        #expect(bar.targets == [
            Target(expr: "rate(node_disk_io_time_seconds_total[$__rate_interval])", legendFormat: "{{device}}", refId: "A"),
            Target(expr: "up", refId: "B", hidden: true),
        ])

        let traffic = d.panels[3]
        #expect(traffic.title == "Traffic" && !traffic.collapsed)
        #expect(traffic.children[0].unit == "reqps" && traffic.children[0].showLegend == true)
        #expect(traffic.children[0].path == "panels[4]")
        #expect(traffic.children[1].unit == "s")
        #expect(traffic.children[1].title == "Latency (old graph)")

        let other = d.panels[4].children
        // Markdown is shown as plain text.
        #expect(other[0].content == "Runbook\nCall the on-call.")
        #expect(other[1].unit == "s" && other[1].decimals == 2)
        #expect(other[2].title == "Status codes")
    }

    @Test func rgbaColoursBecomeHex() throws {
        let text = #"{"schemaVersion": 39, "panels": [{"type": "stat", "fieldConfig": {"defaults": {"thresholds": {"steps": [{"color": "rgba(50, 172, 45, 0.97)", "value": null}, {"color": "rgb(245,54,54)", "value": 1}, {"color": "rgb(300, 0, 0)", "value": 2}]}}}}]}"#
        let panel = try #require(try LayoutLoader.decode(text, file: "x.json").dashboard.panels.first)
        #expect(panel.thresholds.map(\.color) == ["#32ac2d", "#f53636", "rgb(300, 0, 0)"])
    }

    @Test func variablesOfEveryKind() throws {
        let d = try LayoutLoader.load(file: Paths.fixture("grafana-all-panels.json"))
        #expect(d.variables == [
            Variable(name: "ds", kind: .datasource("prometheus")),
            Variable(name: "job", label: "Job", kind: .labelValues(metric: "up", label: "job"), current: "api"),
            Variable(name: "instance", kind: .labelValues(metric: "up{job=\"$job\"}", label: "instance")),
            Variable(name: "quantile", kind: .custom(["0.5", "0.95", "0.99"]), current: "0.95"),
            Variable(name: "env", kind: .constant("prod"), current: "prod"),
            Variable(name: "window", kind: .interval(["1m", "5m", "10m"]), current: "5m"),
        ])
    }

    @Test func collapsedRowsKeepTheirNestedPanels() throws {
        let d = try LayoutLoader.load(file: Paths.fixture("grafana-collapsed.json"))
        #expect(d.refresh == nil)
        #expect(d.timeRange == 1_800_000)
        #expect(d.panels.map(\.type) == [.stat, .row, .row])
        #expect(d.panels[0].unit == "s" && d.panels[0].decimals == 1)
        let memory = d.panels[1]
        #expect(memory.collapsed)
        #expect(memory.children.map(\.title) == ["Memory used", "About memory"])
        #expect(memory.children[0].path == "panels[1].panels[0]")
        #expect(memory.children[0].showLegend == false)
        #expect(memory.children[0].min == 0 && memory.children[0].unit == "bytes")
        #expect(memory.children[1].content == "Old text panels keep their body here.")
        #expect(d.panels[2].collapsed && d.panels[2].children.isEmpty)
    }

    @Test func nodeExporterFullLoads() throws {
        guard let path = try Paths.shared("node-exporter-full.json", for: "nodeExporterFullLoads") else { return }
        let layout = try LayoutLoader.loadDetailed(file: path)
        let d = layout.dashboard
        #expect(layout.dialect == .grafana)
        #expect(d.title == "Node Exporter Full")
        #expect(d.refresh == 60_000)
        #expect(d.timeRange == 86_400_000)
        #expect(d.variables.map(\.name) == ["ds_prometheus", "job", "nodename", "node"])
        #expect(d.variables[1].kind == .labelValues(metric: "node_uname_info", label: "job"))
        let all = d.panels.flatMap { [$0] + $0.children }
        #expect(all.count == 141)
        #expect(all.filter { $0.type == .row }.count == 16)
        #expect(all.filter { $0.type == .graph }.count == 111)
        #expect(!all.contains { if case .unsupported = $0.type { return true } else { return false } })
        #expect(d.panels.filter { $0.type == .row && $0.collapsed }.count == 14)
        #expect(layout.expressions.count == 286)
    }
}
