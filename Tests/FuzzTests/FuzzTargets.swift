import DataSources
import Exposition
import Foundation
import Layouts
import MetricsCore
import PromQL
import Rules
import SeriesStore

/// The six targets of issue 13 and their seeds.
enum FuzzTargets {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static func files(under dir: URL, where keep: (URL) -> Bool) -> [[UInt8]] {
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var out: [[UInt8]] = []
        for case let url as URL in walker where keep(url) {
            if let data = try? Data(contentsOf: url), data.count <= Fuzzer.maxInput { out.append([UInt8](data)) }
        }
        return out
    }

    static func outcome<E: Error>(_ body: () throws(E) -> Int) -> String {
        do { return "ok " + Fuzzer.sizeClass(try body()) } catch { return Fuzzer.signature("\(error)") }
    }

    static var all: [FuzzTarget] { [expositionText, expositionOpenMetrics, promql, layout, rules, template, config] }

    static let expositionSeeds = files(under: shared.appendingPathComponent("conformance/exposition")) { _ in true }
        + files(under: repoRoot.appendingPathComponent("Benchmarks/Fixtures")) { $0.pathExtension == "prom" }
    static let expositionTokens = ["# HELP ", "# TYPE x counter\n", "# EOF\n", "{a=\"b\"}", "\\\"", "\\n", " 1e308",
                                   " NaN", " +Inf", "_bucket{le=\"+Inf\"}", " # {} 1", "\n", "\"", "{", "}", ","]

    static let expositionText = FuzzTarget(name: "exposition-text", seeds: expositionSeeds, tokens: expositionTokens) {
        bytes in outcome { () throws(ExpositionError) in try Exposition.parse(bytes, format: .text).samples.count }
    }

    static let expositionOpenMetrics = FuzzTarget(name: "exposition-openmetrics", seeds: expositionSeeds,
                                                  tokens: expositionTokens) { bytes in
        outcome { () throws(ExpositionError) in
            try Exposition.parse(bytes, format: .openMetrics, options: ExpositionOptions(strictOpenMetrics: true)).samples.count
        }
    }

    /// A small store: two counters and a histogram over ten minutes.
    static let store: MemoryStore = {
        let store = MemoryStore(options: .unbounded)
        for i in 0..<40 {
            let t = Timestamp(i * 15_000)
            store.append(Labels(["__name__": "http_requests_total", "job": "api", "code": "200"]), Sample(t: t, v: Double(i * 10)))
            store.append(Labels(["__name__": "http_requests_total", "job": "api", "code": "500"]), Sample(t: t, v: Double(i)))
            for le in ["0.1", "1", "+Inf"] {
                store.append(Labels(["__name__": "latency_bucket", "job": "api", "le": le]),
                             Sample(t: t, v: Double(i) * (le == "0.1" ? 1 : le == "1" ? 2 : 3)))
            }
        }
        return store
    }()

    static let promqlSeeds: [[UInt8]] = {
        let tsv = (try? String(contentsOf: shared.appendingPathComponent("conformance/promql-cases.tsv"), encoding: .utf8)) ?? ""
        let exprs = tsv.split(separator: "\n").dropFirst().compactMap { row -> String? in
            let f = row.split(separator: "\t", omittingEmptySubsequences: false)
            return f.count > 10 ? String(f[10]) : nil
        }
        return Array(Set(exprs)).sorted().prefix(400).map { Array($0.utf8) } + [
            #"sum by (code) (rate(http_requests_total{job=~"a.*"}[5m]))"#,
            "histogram_quantile(0.9, sum by (le) (rate(latency_bucket[1m])))",
        ].map { Array($0.utf8) }
    }()

    static let promql = FuzzTarget(name: "promql", seeds: promqlSeeds, tokens: [
        "(", ")", "[5m]", "[1m:15s]", "{a=~\"(\"}", "sum by (a) ", " offset 1m", " @ 100", "rate(", "+", " or ",
        " / on(job) group_left ", "\"", "1e308", "-", "label_replace(", "=~\".*\"", "topk(", "^", "histogram_quantile(",
    ]) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let expr: Expr
        do { expr = try PromQLParser.parse(text) } catch { return Fuzzer.signature("\(error)") }
        return "parsed " + outcome { () throws(PromQLEvalError) in
            switch try Engine(storage: store).instant(expr, at: 600_000).value {
            case .vector(let v): return v.count
            case .matrix(let m): return m.count
            default: return 1
            }
        }
    }

    static let layout = FuzzTarget(
        name: "layout",
        seeds: files(under: repoRoot.appendingPathComponent("layouts")) { $0.pathExtension == "json" }
            + files(under: repoRoot.appendingPathComponent("Tests/LayoutsTests/Fixtures")) { $0.pathExtension == "json" }
            + files(under: shared.appendingPathComponent("dashboards")) { $0.pathExtension == "json" },
        tokens: ["{", "}", "[", "]", "\"panels\":", "\"expr\":\"", "\"type\":\"graph\"", "\\u0000", "\\ud800", "1e999",
                 "\"gridPos\":{\"x\":-1,\"w\":99999}", "null", ",", "\"targets\":[{\"expr\":\"up\"}]", "${var}"]
    ) { bytes in
        outcome { () throws(LayoutError) in try LayoutLoader.decode(bytes, file: "fuzz.json").dashboard.panels.count }
    }

    static let ruleSeeds = files(under: repoRoot.appendingPathComponent("rules")) { $0.pathExtension == "yml" }

    static let rules = FuzzTarget(name: "rules", seeds: ruleSeeds, tokens: [
        "groups:\n", "- name: g\n", "  rules:\n", "  - alert: A\n", "    expr: ", "    for: 5m\n", "{{ $value }}",
        "&a ", "*a", "!!binary ", "? ", ": ", "- ", "\t", "'", "\"", "|\n", ">\n", "[", "{", "\n",
    ]) { bytes in
        let parsed = RuleFileLoader.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.yml")
        return parsed.errors.isEmpty ? "ok " + Fuzzer.sizeClass(parsed.groups.count)
            : Fuzzer.signature(parsed.errors[0].description)
    }

    static let template = FuzzTarget(name: "template", seeds: [
        "{{ $value }}", "{{ $labels.job }} is {{ $value | humanizePercentage }}", "{{ printf \"%.2f\" $value }}",
        "{{- /* c */ -}}", "{{ reReplaceAll \"(a+)\" \"$1\" $labels.x }}", "{{ (humanize1024 $value) }}",
    ].map { Array($0.utf8) } + ruleSeeds, tokens: ["{{", "}}", "(", ")", "|", "$", ".Labels", "printf \"%*d\" ", "\"",
                                                   "humanize", " -}}", "{{-", "`", "1e308"]) { bytes in
        let out = AlertTemplate.expand(String(decoding: bytes, as: UTF8.self),
                                       data: TemplateData(labels: ["job": "api", "x": "aaa"], value: 0.5))
        return out.hasPrefix("<error") ? Fuzzer.signature(out) : "ok " + Fuzzer.sizeClass(out.utf8.count)
    }

    static let config = FuzzTarget(name: "config", seeds: [
        "prometheus: https://prom.example.com\ninterval: 5s\nrange: 15m\n",
        "scrape:\n  - api=http://127.0.0.1:9100/metrics\ntimeout: 2s\nmax_body: 10MiB\n",
        "tls:\n  ca_file: ca.pem\n  insecure: false\nauth:\n  bearer_token_file: t\nlayouts: [a, b]\nrules: r\n",
    ].map { Array($0.utf8) }, tokens: ["prometheus: ", "interval: ", "5x", "1h30m", "tls:\n", "  ", "- ", "auth:\n",
                                        "bearer_token: x\n", "max_body: 1GiB", "~/", "\n", ": ", "[", "{", "'"]) { bytes in
        outcome { () throws(ConfigError) in
            _ = try ConfigLoader.parse(String(decoding: bytes, as: UTF8.self), file: "/nonexistent/config.yaml",
                                       environment: ["HOME": "/nonexistent"])
            return 1
        }
    }
}
