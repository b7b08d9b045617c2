import Foundation
import Testing
@testable import Layouts

@Suite struct CheckerTests {
    static func layout(expr: String) -> String {
        #"{"title": "t", "panels": [{"targets": [{"expr": "\#(expr)"}]}]}"#
    }

    @Test func shippedLayoutsAreClean() throws {
        for name in ["executive.json", "technical.json", "slo.json"] {
            let diagnostics = LayoutChecker(scrapeInterval: 5_000).check(file: Paths.shipped(name))
            #expect(diagnostics.map(\.description) == [], "\(name)")
            let dashboard = try LayoutLoader.load(file: Paths.shipped(name))
            // Every drawable panel has a unit, every panel a position on the grid.
            let panels = dashboard.panels.flatMap { [$0] + $0.children }
            for panel in panels where ![.row, .alerts, .text].contains(panel.type) {
                #expect(panel.unit != nil, "\(name) \(panel.path)")
                #expect(!panel.targets.isEmpty, "\(name) \(panel.path)")
            }
            #expect(panels.allSatisfy { $0.gridPos != nil }, "\(name)")
        }
    }

    /// `lookout check layouts/*.json` meets the editors' schema too; it is skipped, not reported.
    @Test func schemaFileIsNotALayout() {
        #expect(LayoutChecker(strict: true).check(file: Paths.shipped("schema.json")).isEmpty)
        let layoutNamingTheSchema = #"{"$schema": "./schema.json", "title": "t", "panels": []}"#
        #expect(LayoutChecker(strict: true).check(text: layoutNamingTheSchema, file: "x.json").isEmpty)
    }

    @Test func designExecutiveGetsTheWarningsItDeserves() {
        let file = Paths.fixture("design-executive.json")
        let rawBuckets = "warning: histogram_quantile over the raw buckets of http_request_duration_seconds_bucket: "
            + "cumulative counts give the distribution since the process started, not the recent one; use "
            + "histogram_quantile(φ, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))"
        #expect(LayoutChecker().check(file: file).map(\.description) == [
            "\(file):28:47: \(rawBuckets)",
            "\(file):32:47: \(rawBuckets)",
            "\(file):36:47: \(rawBuckets)",
            "\(file):58:22: warning: ratio of rates of http_requests_total with different label filters matches "
                + "every series with itself (the filtered label is part of the match), so it gives 1 per series "
                + "instead of the share; aggregate both sides alike, e.g. sum(rate(...)) / sum(rate(...)), or sum by (x) on both",
        ])
    }

    @Test func designTechnicalHasNoErrors() {
        let diagnostics = LayoutChecker().check(file: Paths.fixture("design-technical.json"))
        #expect(!LayoutChecker.hasErrors(diagnostics))
    }

    @Test func strictTurnsWarningsIntoErrors() {
        let diagnostics = LayoutChecker(strict: true).check(file: Paths.fixture("design-executive.json"))
        #expect(diagnostics.count == 4)
        #expect(diagnostics.allSatisfy { $0.severity == .error })
        #expect(LayoutChecker.hasErrors(diagnostics))
    }

    /// Check errors beyond decoding, each with its exact message and place.
    @Test(arguments: [
        (layout(expr: "rate(x[5m]"),
         "x.json:1:60: error: PromQL: unclosed left parenthesis"),
        (layout(expr: #"up{job=\"é\"} +"#), "x.json:1:65: error: PromQL: unexpected end of input"),
        (layout(expr: "foo(up)"), #"x.json:1:50: error: PromQL: unknown function with name "foo""#),
        (layout(expr: "up[5m]"), "x.json:1:50: error: expression gives a range vector; a panel needs an instant vector or a scalar"),
        (layout(expr: "  "), "x.json: panels[0].targets[0].expr: error: empty expression"),
        (layout(expr: "rate(x_total[$window])"),
         #"x.json:1:63: error: undefined variable $window (define it under "templating")"#),
        // The error after a substituted variable points into the text as written.
        (#"{"title": "t", "templating": [{"name": "job", "type": "constant", "value": "api-server"}], "panels": [{"expr": "up{job=\"$job\"} $$"}]}"#,
         "x.json:1:130: error: PromQL: unexpected character: '$'"),
        ("{\n  \"title\": \"t\",\n  \"panels\": [\n    {\"expr\": \"sum(rate(x[5m]) by\"}\n  ]\n}",
         #"x.json:4:31: error: PromQL: unexpected <by> in aggregation, expected "," or ")""#),
        (#"{"title": "t", "panels": [{"position": {"x": 20, "y": 0, "w": 6, "h": 2}}]}"#,
         "x.json: panels[0]: error: x=20 plus w=6 reaches column 26, beyond the 24-column grid"),
        (#"{"title": "t", "panels": [{"position": {"x": -1, "y": 0, "w": 6, "h": 2}}]}"#,
         "x.json: panels[0]: error: position x=-1, y=0 is outside the grid (x and y start at 0)"),
        (#"{"title": "t", "panels": [{"position": {"x": 0, "y": 0, "w": 0, "h": 2}}]}"#,
         "x.json: panels[0]: error: size w=0, h=2 is empty (width and height must be at least 1)"),
        (#"{"title": "t", "panels": [{"title": "A", "position": {"x": 0, "y": 0, "w": 12, "h": 4}}, {"position": {"x": 8, "y": 2, "w": 8, "h": 4}}]}"#,
         #"x.json: panels[1]: error: overlaps panels[0] ("A") in columns 8-11, rows 2-3"#),
        (#"{"title": "t", "panels": [{"thresholds": [{"color": "green", "value": null}, {"color": "red", "value": 90}, {"color": "yellow", "value": 70}]}]}"#,
         "x.json: panels[0].thresholds: warning: thresholds not ascending: 70 (yellow) comes after 90"),
        (#"{"title": "t", "panels": [{"thresholds": [100, 50]}]}"#,
         "x.json: panels[0].thresholds: warning: thresholds not ascending: 50 (red) comes after 100"),
        (#"{"schemaVersion": 39, "panels": [{"type": "stat", "fieldConfig": {"defaults": {"thresholds": {"steps": [{"color": "green", "value": null}, {"color": "red", "value": 5}, {"color": "orange", "value": 2}]}}}}]}"#,
         "x.json: panels[0].fieldConfig.defaults.thresholds.steps: warning: thresholds not ascending: 2 (orange) comes after 5"),
        (##"{"title": "t", "panels": [{"thresholds": [{"color": "gren", "value": null}, {"color": "#e0b400", "value": 1}, {"color": "semi-dark-red", "value": 2}]}]}"##,
         ##"x.json: panels[0].thresholds: warning: unknown colour "gren" (expected red, orange, yellow, green, blue, purple, cyan, white, black or gray, optionally dark-, semi-dark-, light- or super-light-, or #rrggbb)"##),
        (#"{"schemaVersion": 39, "panels": [{"type": "worldmap", "title": "W"}]}"#,
         #"x.json: panels[0]: warning: panel type "worldmap" is not drawn by Lookout; it shows as a placeholder"#),
    ])
    func checkFindings(input: String, expected: String) {
        #expect(LayoutChecker().check(text: input, file: "x.json").map(\.description) == [expected])
    }

    @Test func rowsAreCheckedAmongTheirOwnChildren() {
        let text = #"{"title": "t", "panels": [{"type": "row", "position": {"x": 0, "y": 0, "w": 24, "h": 1}, "panels": [{"position": {"x": 0, "y": 1, "w": 12, "h": 3}}, {"position": {"x": 6, "y": 1, "w": 12, "h": 3}}]}]}"#
        #expect(LayoutChecker().check(text: text, file: "x.json").map(\.description) == [
            #"x.json: panels[0].panels[1]: error: overlaps panels[0].panels[0] ("") in columns 6-11, rows 1-3"#,
        ])
    }

    @Test func nodeExporterFullChecksClean() throws {
        guard let path = try Paths.shared("node-exporter-full.json", for: "nodeExporterFullChecksClean") else { return }
        // Not even a warning: its counters, rgba() colours and $__rate_interval are all understood.
        #expect(LayoutChecker().check(file: path).map(\.description) == [])
    }

    @Test func grafanaFixturesHaveNoErrors() {
        for name in ["grafana-all-panels.json", "grafana-collapsed.json"] {
            let diagnostics = LayoutChecker().check(file: Paths.fixture(name))
            #expect(diagnostics.filter { $0.severity == .error }.map(\.description) == [], "\(name)")
        }
    }

    @Test func unreadableFilesAreDiagnostics() throws {
        let folder = try TemporaryFolder()
        let empty = try folder.write("empty.json", "")
        #expect(LayoutChecker().check(file: empty).map(\.description) == ["\(empty): error: empty file, expected a JSON object"])
        #expect(LayoutChecker().check(file: folder.path).map(\.description)
            == ["\(folder.path): error: is a directory, expected a .json file"])
    }
}
