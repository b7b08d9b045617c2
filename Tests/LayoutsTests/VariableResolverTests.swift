import Testing
@testable import Layouts

/// Resolution as Grafana does it: dependency order, saved values checked, All, multi-value formats.
@Suite struct VariableResolverTests {
    /// A source that answers label lookups from a table and records what it was asked.
    final class FakeSource {
        var asked: [VariableLookup] = []
        let answers: [VariableLookup: [String]]
        init(_ answers: [VariableLookup: [String]]) { self.answers = answers }

        func lookup(_ request: VariableLookup) -> Result<[String], VariableResolver.LookupFailure>? {
            asked.append(request)
            return .success(answers[request] ?? [])
        }
    }

    func resolve(_ variables: [Variable], _ source: FakeSource, chosen: [String: String] = [:]) -> [ResolvedVariable] {
        VariableResolver.resolveSync(variables, rangeMs: 86_400_000, scrapeInterval: 15_000, chosen: chosen,
                                     lookup: source.lookup)
    }

    @Test func chainedVariablesAreLookedUpWithTheirParentsValue() {
        // Declared child first: the order still puts the parent first.
        let vars = [
            Variable(name: "node", kind: .labelValues(metric: #"node_uname_info{job="$job"}"#, label: "instance")),
            Variable(name: "job", kind: .labelValues(metric: "node_uname_info", label: "job")),
        ]
        let source = FakeSource([
            .labelValues(selector: "node_uname_info", label: "job"): ["node", "other"],
            .labelValues(selector: #"node_uname_info{job="node"}"#, label: "instance"): ["127.0.0.1:9100"],
        ])
        let r = resolve(vars, source)
        #expect(source.asked == [
            .labelValues(selector: "node_uname_info", label: "job"),
            .labelValues(selector: #"node_uname_info{job="node"}"#, label: "instance"),
        ])
        #expect(r.map(\.name) == ["node", "job"])
        #expect(r[0].value?.formatted(nil) == "127.0.0.1:9100")
        #expect(r[1].value?.formatted(nil) == "node")
    }

    @Test func savedValueIsCheckedAgainstTheOptions() {
        let source = FakeSource([.labelValues(selector: "up", label: "job"): ["api", "web"]])
        let kept = resolve([Variable(name: "job", kind: .labelValues(metric: "up", label: "job"), current: "web")], source)
        #expect(kept[0].value?.values == ["web"])
        // Gone from the options: the first option instead; with includeAll, All.
        let gone = resolve([Variable(name: "job", kind: .labelValues(metric: "up", label: "job"), current: "db")], source)
        #expect(gone[0].value?.values == ["api"])
        let all = resolve([Variable(name: "job", kind: .labelValues(metric: "up", label: "job"), current: "db",
                                    includeAll: true)], source)
        #expect(all[0].value?.formatted(nil) == "(api|web)")
        // The user's pick this session wins while it is offered.
        let picked = resolve([Variable(name: "job", kind: .labelValues(metric: "up", label: "job"), current: "api")],
                             source, chosen: ["job": "web"])
        #expect(picked[0].value?.values == ["web"])
    }

    @Test func allUsesAllValueOrTheAlternation() {
        let source = FakeSource([.labelValues(selector: "up", label: "instance"): ["a.1:9100", "b"]])
        let custom = resolve([Variable(name: "i", kind: .labelValues(metric: "up", label: "instance"), current: "$__all",
                                       includeAll: true, allValue: ".*")], source)
        #expect(custom[0].value?.formatted(nil) == ".*")
        #expect(custom[0].value?.formatted("text") == "All")
        let alternation = resolve([Variable(name: "i", kind: .labelValues(metric: "up", label: "instance"),
                                            current: "$__all", includeAll: true)], source)
        // Regex characters escaped for a PromQL string, as Grafana's Prometheus data source does.
        #expect(alternation[0].value?.formatted(nil) == #"(a\\.1:9100|b)"#)
        // No values at all: All with allValue still stands for something; without it, nothing.
        let empty = FakeSource([:])
        #expect(resolve([Variable(name: "i", kind: .labelValues(metric: "up", label: "instance"), includeAll: true,
                                  allValue: ".+")], empty)[0].value?.formatted(nil) == ".+")
        let none = resolve([Variable(name: "i", kind: .labelValues(metric: "up", label: "instance"))], empty)
        #expect(none[0].value == nil)
        #expect(none[0].unresolved == "no values found for label_values(up, instance)")
    }

    @Test func childOfAnUnresolvedParentSaysWhy() {
        let vars = [
            Variable(name: "job", kind: .labelValues(metric: "node_uname_info", label: "job")),
            Variable(name: "node", kind: .labelValues(metric: #"node_uname_info{job="$job"}"#, label: "instance")),
        ]
        let source = FakeSource([:])
        let r = resolve(vars, source)
        #expect(source.asked == [.labelValues(selector: "node_uname_info", label: "job")])
        #expect(r[1].unresolved == "needs $job, which has no value")
        #expect(VariableResolver.unresolvedReport(vars, resolved: r) == [
            "$job: no value: no values found for label_values(node_uname_info, job)",
            "$node: no value: needs $job, which has no value",
        ])
    }

    @Test func multiValueSelectionsKeepEverySavedValue() {
        let source = FakeSource([.labelValues(selector: nil, label: "mode"): ["idle", "user", "system"]])
        let r = resolve([Variable(name: "mode", kind: .labelValues(metric: nil, label: "mode"), current: "user",
                                  currentValues: ["user", "gone", "idle"], multi: true)], source)
        #expect(r[0].value?.values == ["user", "idle"])
        let values = ["mode": r[0].value!]
        #expect(Templating.substitute(#"x{mode=~"$mode"}"#, resolved: values) == #"x{mode=~"(user|idle)"}"#)
        #expect(Templating.substitute("${mode:csv} ${mode:pipe} ${mode:raw} [[mode:regex]] ${mode:json}", resolved: values)
            == #"user,idle user|idle user,idle (user|idle) ["user","idle"]"#)
    }

    @Test func queryResultAndMetricsThroughTheirRegex() {
        let lines = [
            Templating.queryResultLine(name: "prometheus_x_seconds", labels: [("quantile", "0.5")], value: "1", timestamp: 5),
            Templating.queryResultLine(name: "prometheus_x_seconds", labels: [("quantile", "0.99")], value: "2", timestamp: 5),
            Templating.queryResultLine(name: "prometheus_y_seconds", labels: [("quantile", "0.5")], value: "3", timestamp: 5),
        ]
        #expect(lines[0] == #"prometheus_x_seconds{quantile="0.5"} 1 5"#)
        let q = Templating.applyRegex(#"/quantile="([^"]+)"/"#, to: lines)
        #expect(q.map(\.value) == ["0.5", "0.99"])
        let named = Templating.applyRegex("/(?<text>[a-z]+)_(?<value>[0-9]+)/", to: ["eth_0", "lo_1", "-"])
        #expect(named.map(\.text) == ["eth", "lo"])
        #expect(named.map(\.value) == ["0", "1"])
        #expect(Templating.filterMatching("network_.*_total", ["node_network_receive_bytes_total", "node_cpu"])
            == ["node_network_receive_bytes_total"])
        #expect(Templating.sortOptions([("10", "10"), ("9", "9"), ("b", "b")], sort: 3).map(\.value) == ["b", "9", "10"])
        #expect(Templating.sortOptions([("a", "a"), ("C", "C"), ("b", "b")], sort: 6).map(\.value) == ["C", "b", "a"])
    }

    @Test func staticKindsResolveWithoutTheSource() {
        let vars = [
            Variable(name: "c", kind: .constant("eu-1"), current: "eu-1"),
            Variable(name: "t", kind: .textbox("api.*"), current: "web.*"),
            Variable(name: "e", kind: .custom(["prod", "stage"]), current: "gone"),
            Variable(name: "w", kind: .interval(["1m", "10m"]), auto: true, autoCount: 20, autoMin: "2m"),
            Variable(name: "f", kind: .unsupportedQuery("SELECT 1")),
        ]
        let source = FakeSource([:])
        let r = resolve(vars, source)
        #expect(source.asked.isEmpty)
        #expect(r.map { $0.value?.formatted(nil) } == ["eu-1", "web.*", "prod", "1h", nil])
        #expect(r[4].unresolved == "query Lookout cannot run: SELECT 1")
        #expect(VariableResolver.unresolvedReport(vars) == ["$f: no value: query Lookout cannot run: SELECT 1"])
    }

    @Test func dependencyOrderBreaksCycles() {
        let vars = [
            Variable(name: "a", kind: .labelValues(metric: #"x{b="$b"}"#, label: "a")),
            Variable(name: "b", kind: .labelValues(metric: #"x{a="$a"}"#, label: "b")),
            Variable(name: "c", kind: .constant("1")),
        ]
        #expect(VariableResolver.order(vars) == [2, 0, 1])
    }

    @Test func adhocFiltersAreReported() {
        let vars = [Variable(name: "f", kind: .adhoc([AdhocFilter(key: "env", op: "=", value: "prod")]))]
        #expect(VariableResolver.unresolvedReport(vars) == [#"$f: ad hoc filters env="prod" are added to every selector"#])
    }

    @Test func queriesWrittenWithVariablesAreReadAfterSubstitution() {
        let vars = [
            Variable(name: "name", kind: .constant("job"), current: "job"),
            Variable(name: "value", kind: .unsupportedQuery("label_values(prometheus_build_info, $name)"), includeAll: true),
        ]
        let source = FakeSource([.labelValues(selector: "prometheus_build_info", label: "job"): ["prometheus"]])
        let r = resolve(vars, source)
        #expect(source.asked == [.labelValues(selector: "prometheus_build_info", label: "job")])
        #expect(r[1].value?.formatted(nil) == "prometheus")
        #expect(r[1].unresolved == nil)
        // `lookout check` knows it will be looked up once `$name` has a value.
        #expect(VariableResolver.unresolvedReport(vars).isEmpty)
    }
}
