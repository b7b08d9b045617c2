import Testing
@testable import Layouts

@Suite struct TemplatingTests {
    @Test func substitutesEveryForm() {
        let values = ["job": "api", "q": "0.95", "window": "5m"]
        #expect(Templating.substitute(#"histogram_quantile($q, rate(x{job="$job"}[${window}]))"#, values: values)
            == #"histogram_quantile(0.95, rate(x{job="api"}[5m]))"#)
        #expect(Templating.substitute("up{job=\"[[job]]\"} ${job:regex}", values: values) == "up{job=\"api\"} api")
        // Unknown names and regex anchors stay as written.
        #expect(Templating.substitute(#"up{a=~"x$", b="$other"}"#, values: values) == #"up{a=~"x$", b="$other"}"#)
        #expect(Templating.substitute("$jobs", values: values) == "$jobs")
    }

    @Test func builtinsFollowGrafana() {
        // 15s scrape, 1h range, 240 points: step 15s, rate interval max(15s+15s, 60s) = 1m.
        let v = Templating.builtinValues(scrapeInterval: 15_000, range: 3_600_000)
        #expect(v["__interval"] == "15s")
        #expect(v["__rate_interval"] == "1m")
        #expect(v["__range"] == "1h")
        #expect(v["__range_s"] == "3600")
        // A 24h range at 240 points makes 6m steps: rate interval 6m15s.
        #expect(Templating.substituteBuiltins("rate(x[$__rate_interval]) [$__interval] $__range_ms",
                                              scrapeInterval: 15_000, range: 86_400_000)
            == "rate(x[6m15s]) [6m] 86400000")
    }

    @Test func defaultValuesPreferCurrent() {
        let vars = [
            Variable(name: "a", kind: .constant("x")),
            Variable(name: "b", kind: .custom(["1", "2"])),
            Variable(name: "c", kind: .custom(["1", "2"]), current: "2"),
            Variable(name: "d", kind: .labelValues(metric: "up", label: "job")),
            Variable(name: "e", kind: .labelValues(metric: nil, label: "job"), current: "$__all"),
            Variable(name: "f", kind: .interval(["1m"])),
        ]
        #expect(Templating.defaultValues(for: vars) == ["a": "x", "b": "1", "c": "2", "e": ".*", "f": "1m"])
    }

    @Test(arguments: [
        ("label_values(up, job)", "up", "job"),
        ("label_values(job)", nil, "job"),
        (#"label_values(node_uname_info{job="$job", x=~"a,b"}, nodename)"#, #"node_uname_info{job="$job", x=~"a,b"}"#, "nodename"),
    ] as [(String, String?, String)])
    func labelValuesQueries(query: String, metric: String?, label: String) throws {
        let parsed = try #require(Templating.parseLabelValues(query))
        #expect(parsed.metric == metric)
        #expect(parsed.label == label)
    }

    @Test func otherQueriesAreNotLabelValues() {
        #expect(Templating.parseLabelValues("query_result(up)") == nil)
        #expect(Templating.parseLabelValues("label_values(up, 1x)") == nil)
    }

    @Test func offsetsMapBackThroughSubstitution() {
        let (text, map) = Templating.substituteMapped("a{j=\"$job\"} + $x", values: ["job": "api-server", "x": "1"])
        #expect(text == "a{j=\"api-server\"} + 1")
        // Inside the replaced value → the `$` of the variable; after it → shifted back.
        #expect(Templating.originalOffset(7, replacements: map) == 5)
        #expect(Templating.originalOffset(15, replacements: map) == 9)
        #expect(Templating.originalOffset(20, replacements: map) == 14)
        #expect(Templating.originalOffset(2, replacements: map) == 2)
    }
}
