import Foundation
import Testing
@testable import Layouts

/// The real dashboards in ../shared/dashboards (see SOURCES.tsv there): every one loads, checks without
/// errors, and each of its panels is drawn, approximated or named as not drawn.
@Suite struct SharedDashboardsTests {
    /// File → (panels, drawn, approximated, not drawn) as `lookout check --coverage` counts them.
    static let expected: [String: (Int, Int, Int, Int)] = [
        "crunchydata-pg-details.json": (21, 20, 1, 0),
        "etcd-io-etcd.json": (12, 12, 0, 0),
        "fusakla-prometheus2.json": (44, 44, 0, 0),
        "grafana-loki-chunks.json": (14, 12, 2, 0),
        "kubernetes-ingress-nginx.json": (14, 12, 2, 0),
        "node-exporter-full.json": (125, 121, 4, 0),
        "ot-container-kit-redis-cluster.json": (16, 16, 0, 0),
        "percona-disk-details.json": (18, 18, 0, 0),  // repeats drawn once per selected value
        "prometheus-operator-deployment.json": (8, 8, 0, 0),
        "thanos-io-receive.json": (30, 30, 0, 0),
    ]

    @Test(arguments: expected.keys.sorted())
    func loadsWithoutErrorsAndEveryPanelIsAccountedFor(name: String) throws {
        guard let path = try Paths.shared(name, for: "SharedDashboardsTests") else { return }
        let checker = LayoutChecker()
        let errors = checker.check(file: path).filter { $0.severity == .error }
        #expect(errors.map(\.description) == [])
        let rows = try #require(checker.coverage(file: path))
        let count = { (s: PanelCoverage.Status) in rows.filter { $0.status == s }.count }
        let (total, drawn, approximated, notDrawn) = try #require(Self.expected[name])
        #expect(rows.count == total)
        let counts: [Int] = [count(.drawn), count(.approximated), count(.notDrawn)]
        #expect(counts == [drawn, approximated, notDrawn])
        // Nothing is silent: a panel that is not drawn as Grafana draws it says why.
        #expect(rows.filter { $0.status != .drawn && $0.reasons.isEmpty }.map(\.path) == [])
    }

    @Test func legacyRowsDashboardsAreMigrated() throws {
        guard let path = try Paths.shared("etcd-io-etcd.json", for: "legacyRowsDashboardsAreMigrated") else { return }
        let d = try LayoutLoader.load(file: path)
        let all = d.panels.flatMap { [$0] + $0.children }
        #expect(all.filter { $0.type != .row }.count == 12)
        #expect(all.allSatisfy { $0.gridPos != nil })
        #expect(all.first { $0.sourceType == "singlestat" }?.type == .stat)
    }
}

@Suite struct CoverageTests {
    @Test func coverageTableNamesWhatIsNotDrawnAndWhy() throws {
        let file = Paths.fixture("grafana/odd-values.json")
        let rows = try #require(LayoutChecker().coverage(file: file))
        #expect(rows.map(\.status) == [.drawn, .notDrawn, .approximated, .drawn])
        #expect(LayoutChecker.coverageTable(rows, file: "odd.json") == """
            odd.json: coverage
            PANEL      TITLE            TYPE        STATUS        WHY
            panels[0]  grafanalib stat  stat        drawn
            panels[1]  42               timeseries  not drawn     datasource loki is not Prometheus
            panels[2]  mixed            graph       approximated  not queried: B (testdata), C (no PromQL expr)
            panels[3]  wide             text        drawn
            4 panels: 2 drawn, 1 approximated, 1 not drawn

            """)
        // `check` itself warns about the panel it will not draw.
        #expect(LayoutChecker().check(file: file).map(\.description).contains(
            "\(file): panels[1]: warning: panel not drawn: datasource loki is not Prometheus"))
    }

    @Test func reasonsForEachShape() throws {
        let d = try LayoutLoader.load(file: Paths.fixture("grafana/field-config.json"))
        let rows = try #require(LayoutChecker().coverage(file: Paths.fixture("grafana/field-config.json")))
        #expect(rows.count == d.panels.count)
        #expect(rows.map(\.reasons) == [
            [],
            ["background colour shown on the value"],
            [],
            ["transformation calculateField not applied"],
            ["heatmap of le buckets in terminal cells"],
            ["bargauge shown as a sorted bar list"],
            ["piechart shown as a sorted bar list"],
            ["unsupported panel type grafana-worldmap-panel"],
        ])
        #expect(rows.last?.status == .notDrawn)
    }

    @Test func repeatedPanelsAreDrawnAsCopies() throws {
        // The App draws one copy per selected value (expandRepeats), so a repeat is not an approximation.
        let rows = try #require(LayoutChecker().coverage(file: Paths.fixture("grafana/repeat.json")))
        #expect(rows.map(\.title) == ["Up $instance", "After", "IO $device", "Stacked $instance"])
        #expect(rows.map(\.status) == [.drawn, .drawn, .drawn, .drawn])
        #expect(rows.map(\.reasons) == [[], [], [], []])
    }

    @Test func unparsableQueriesAndUndefinedVariablesAreNotDrawn() throws {
        let text = #"{"schemaVersion": 39, "panels": [{"type": "stat", "title": "bad", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 3}, "targets": [{"expr": "sum(", "refId": "A"}]}, {"type": "stat", "title": "var", "gridPos": {"x": 6, "y": 0, "w": 6, "h": 3}, "targets": [{"expr": "up{job=\"$nope\"}", "refId": "A"}]}]}"#
        let rows = try #require(LayoutChecker().coverage(bytes: Array(text.utf8), file: "x.json"))
        #expect(rows.map(\.status) == [.notDrawn, .notDrawn])
        #expect(rows[0].reasons == ["query error: PromQL: unclosed left parenthesis"])
        #expect(rows[1].reasons == ["unresolved variable $nope"])
    }
}
