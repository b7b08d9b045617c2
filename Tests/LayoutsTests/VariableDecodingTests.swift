import Testing
@testable import Layouts

/// Every variable form of Grafana's JSON model, decoded from a fixture of our own.
@Suite struct VariableDecodingTests {
    func variables() throws -> [Variable] {
        try LayoutLoader.load(file: Paths.fixture("grafana-variables.json")).variables
    }

    @Test func everyFormDecodesExactly() throws {
        let v = try variables()
        #expect(v.map(\.name) == ["ds", "job", "instance", "device", "quantile", "metric", "env", "window",
                                  "cluster", "filter", "Filters", "other"])
        #expect(v[0] == Variable(name: "ds", kind: .datasource("prometheus"), current: "P1"))
        // Grafana 9+: the query as an object.
        #expect(v[1] == Variable(name: "job", kind: .labelValues(metric: "node_uname_info", label: "job"),
                                 current: "node", refresh: 1, sort: 1))
        // No query text in the object: `definition` says it; several saved values are all kept.
        #expect(v[2] == Variable(name: "instance", kind: .labelValues(metric: #"node_uname_info{job="$job"}"#, label: "instance"),
                                 current: "a:1", currentValues: ["a:1", "b:2"], multi: true, includeAll: true))
        // The query editor's own fields.
        #expect(v[3] == Variable(name: "device", kind: .labelValues(metric: "node_disk_io_now", label: "device"),
                                 current: "$__all", includeAll: true, allValue: ".+"))
        // A number written as a string is read as Grafana reads it.
        #expect(v[4] == Variable(name: "quantile", kind: .queryResult(#"{__name__=~"prometheus_.*_seconds"}"#),
                                 regex: #"/quantile="([^"]+)"/"#, sort: 3))
        #expect(v[5] == Variable(name: "metric", kind: .metrics("node_network_.*_bytes_total"),
                                 regex: "/node_network_(?<text>[a-z]+)_bytes_total/"))
        #expect(v[6] == Variable(name: "env", kind: .custom(["prod", "stage", "dev"]), current: "stage"))
        #expect(v[7] == Variable(name: "window", kind: .interval(["1m", "10m"]), auto: true, autoCount: 20, autoMin: "2m"))
        #expect(v[8] == Variable(name: "cluster", kind: .constant("eu-1"), current: "eu-1"))
        #expect(v[9] == Variable(name: "filter", kind: .textbox("api.*"), current: "web.*"))
        #expect(v[10] == Variable(name: "Filters", kind: .adhoc([AdhocFilter(key: "env", op: "=", value: "prod"),
                                                                AdhocFilter(key: "zone", op: "=~", value: "a|b")])))
        #expect(v[11] == Variable(name: "other", kind: .unsupportedQuery("SELECT 1"), current: "x"))
    }

    @Test(arguments: [
        ("label_values(up, job)", Variable.Kind.labelValues(metric: "up", label: "job")),
        ("label_values(job)", .labelValues(metric: nil, label: "job")),
        ("  query_result(topk(5, up))  ", .queryResult("topk(5, up)")),
        ("metrics(go_.*)", .metrics("go_.*")),
        ("metrics()", .metrics("")),
    ])
    func queryForms(query: String, kind: Variable.Kind) {
        #expect(Templating.parseVariableQuery(query) == kind)
    }

    @Test func unknownQueriesAreNotGuessed() {
        #expect(Templating.parseVariableQuery("up") == nil)
        #expect(Templating.parseVariableQuery("query_result()") == nil)
        #expect(Templating.parseVariableQuery("label_values(up, 1x)") == nil)
    }

    @Test func customListsFollowGrafana() {
        let options = Templating.customOptions(#"a, Big : b,c\,d"#)
        #expect(options.map(\.text) == ["a", "Big", "c,d"])
        #expect(options.map(\.value) == ["a", "b", "c,d"])
    }

    @Test func lookoutFilesStayStrict() {
        #expect(decodeError(#"{"title": "t", "panels": [], "templating": [{"name": "v", "type": "query", "query": "query_result(up)"}]}"#) == nil)
        #expect(decodeError(#"{"title": "t", "panels": [], "templating": [{"name": "v", "type": "query", "query": "up"}]}"#)
            == "x.json: templating[0].query: error: expected label_values(metric, label) or label_values(label)")
    }

    @Test func checkSaysWhatStaysUnresolved() {
        let fixture = LayoutChecker().check(file: Paths.fixture("grafana-variables.json"))
        #expect(fixture.filter { $0.location == .path("templating") }.map(\.message)
            == [#"$Filters: ad hoc filters env="prod", zone=~"a|b" are added to every selector"#])
        let text = #"{"schemaVersion": 39, "panels": [], "templating": {"list": ["#
            + #"{"name": "a", "type": "query", "query": "SELECT 1"},"#
            + #"{"name": "b", "type": "query", "query": "label_values(up{job=\"$nope\"}, b)"}]}}"#
        #expect(LayoutChecker().check(text: text, file: "v.json").map(\.description) == [
            "v.json: templating: warning: $a: no value: query Lookout cannot run: SELECT 1",
            "v.json: templating: warning: $b: its query uses $nope, which no variable defines",
        ])
    }
}
