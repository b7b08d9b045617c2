import Testing
@testable import Layouts

/// Broken layouts and the exact message each must give: the JSON path and what was expected there.
@Suite struct BrokenLayoutTests {
    static let cases: [(String, String)] = [
        (#"{"panels": []}"#,
         "x.json: title: error: missing required field, expected a string"),
        (#"{"title": "t"}"#,
         "x.json: panels: error: missing required field, expected an array of panels"),
        (#"{"title": 5, "panels": []}"#,
         "x.json: title: error: expected a string, found a number"),
        (#"{"title": "t", "panels": {}}"#,
         "x.json: panels: error: expected an array, found an object"),
        (#"{"title": "t", "panels": [3]}"#,
         "x.json: panels[0]: error: expected an object (a panel), found a number"),
        (#"{"title": "t", "panels": [{"title": "a", "type": "grpah"}]}"#,
         #"x.json: panels[0].type: error: expected one of stat, graph, gauge, table, text, alerts, row, found "grpah""#),
        (#"{"title": "t", "panels": [{}, {}, {}, {"targets": [{"legendFormat": "x"}]}]}"#,
         "x.json: panels[3].targets[0].expr: error: missing required field, expected a string with a PromQL expression"),
        (#"{"title": "t", "panels": [{"targets": [{"expr": 42}]}]}"#,
         "x.json: panels[0].targets[0].expr: error: expected a string with a PromQL expression, found a number"),
        (#"{"title": "t", "panels": [{"position": {"x": 0, "y": 0, "w": 6}}]}"#,
         "x.json: panels[0].position.h: error: missing required field, expected an integer"),
        (#"{"title": "t", "panels": [{"position": {"x": 0.5, "y": 0, "w": 6, "h": 1}}]}"#,
         "x.json: panels[0].position.x: error: expected an integer, found a number"),
        (#"{"title": "t", "panels": [{"thresholds": [50, "high"]}]}"#,
         "x.json: panels[0].thresholds[1]: error: expected a number (the list started with numbers), found a string"),
        (#"{"title": "t", "panels": [{"thresholds": [{"value": 1}]}]}"#,
         #"x.json: panels[0].thresholds[0].color: error: missing required field, expected a colour name such as "red""#),
        (#"{"title": "t", "panels": [{"thresholds": [{"color": "red"}, {"color": "green"}]}]}"#,
         "x.json: panels[0].thresholds[1].value: error: expected a number (only the first threshold may omit its value)"),
        (#"{"title": "t", "panels": [{"decimals": 99}]}"#,
         "x.json: panels[0].decimals: error: expected an integer from 0 to 20, found 99"),
        (#"{"title": "t", "refresh": "soon", "panels": []}"#,
         #"x.json: refresh: error: expected a duration such as "30s" or "5m", found "soon""#),
        (#"{"title": "t", "panels": [{"type": "stat", "panels": []}]}"#,
         #"x.json: panels[0].panels: error: only a panel of type "row" can hold panels"#),
        (#"{"title": "t", "panels": [{"type": "row", "panels": [{"type": "row"}]}]}"#,
         "x.json: panels[0].panels[0].type: error: a row cannot be placed inside another row"),
        (#"{"title": "t", "panels": [{"options": {"sparkline": "yes"}}]}"#,
         "x.json: panels[0].options.sparkline: error: expected true or false, found a string"),
        (#"{"title": "t", "panels": [], "templating": [{"name": "a b", "type": "constant", "value": "x"}]}"#,
         #"x.json: templating[0].name: error: expected a variable name of letters, digits and _, found "a b""#),
        (#"{"title": "t", "panels": [], "templating": [{"name": "v", "type": "query", "query": "up"}]}"#,
         "x.json: templating[0].query: error: expected label_values(metric, label) or label_values(label)"),
        (#"{"title": "t", "panels": [], "templating": [{"name": "v", "type": "random"}]}"#,
         #"x.json: templating[0].type: error: expected one of constant, custom, query, interval, found "random""#),
        (#"{"dashboard": {"title": "t", "panels": [{"expr": ["up"]}]}}"#,
         "x.json: dashboard.panels[0].expr: error: expected a string with a PromQL expression, found an array"),
    ]

    @Test(arguments: cases)
    func brokenLayout(input: String, expected: String) {
        #expect(decodeError(input) == expected)
    }

    @Test func unknownFieldsInLookoutFilesAreWarnings() throws {
        let layout = try LayoutLoader.decode(#"{"title": "t", "panels": [{"title": "a", "unti": "s"}]}"#, file: "x.json")
        #expect(layout.warnings.map(\.description) == [#"x.json: panels[0].unti: warning: unknown field "unti" ignored"#])
    }

    @Test func missingFileIsReported() {
        #expect(throws: LayoutError(.error, file: "/nonexistent/x.json", at: .file, "no such file")) {
            try LayoutLoader.load(file: "/nonexistent/x.json")
        }
    }
}
