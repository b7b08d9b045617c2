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
        // Formats in the old bracket form too; `$1` of a regex replacement is no variable.
        #expect(Templating.substitute("[[job:csv]] $1", values: values) == "api $1")
        #expect(Templating.variableReferences(in: #"label_replace(x{a="$job"}, "b", "$1", "c", "(.*)") ${q} [[w]]"#)
            == ["job", "q", "w"])
    }

    @Test func builtinsFollowGrafana() {
        // 15s scrape, 1h range, 240 points: 15s steps; rate interval max(15s + 15s, 4 × 15s) = 60s;
        // Grafana writes the range and the rate interval in seconds.
        let v = Templating.builtinValues(scrapeInterval: 15_000, range: 3_600_000)
        #expect(v["__interval"] == "15s")
        #expect(v["__interval_ms"] == "15000")
        #expect(v["__rate_interval"] == "60s")
        #expect(v["__range"] == "3600s")
        #expect(v["__range_s"] == "3600")
        // 24h over 240 points is 6m raw, which Grafana's table rounds to 5m: rate interval 5m15s = 315s.
        #expect(Templating.substituteBuiltins("rate(x[$__rate_interval]) [$__interval] $__range_ms",
                                              scrapeInterval: 15_000, range: 86_400_000)
            == "rate(x[315s]) [5m] 86400000")
        // Never below the scrape interval.
        #expect(Templating.builtinValues(scrapeInterval: 30_000, range: 300_000)["__interval"] == "30s")
    }

    @Test(arguments: [
        (1_000, 1_000), (1_600, 2_000), (12_400, 10_000), (16_000, 15_000), (40_000, 30_000), (100_000, 120_000),
        (360_000, 300_000), (2_000_000, 1_800_000), (86_400_000, 86_400_000), (4_000_000_000, 31_536_000_000),
    ] as [(Int64, Int64)])
    func niceIntervals(raw: Int64, rounded: Int64) {
        #expect(GrafanaInterval.round(raw) == rounded)
    }

    @Test func autoIntervalVariables() {
        // 24h / 30 = 48m → 1h; 1h / 30 = 2m; never below auto_min.
        #expect(GrafanaInterval.auto(range: 86_400_000, count: nil, min: nil) == 3_600_000)
        #expect(GrafanaInterval.auto(range: 3_600_000, count: nil, min: nil) == 120_000)
        #expect(GrafanaInterval.auto(range: 3_600_000, count: 30, min: "10m") == 600_000)
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
