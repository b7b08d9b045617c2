import Foundation
import MetricsCore
import Testing
import TestSupport
@testable import Exposition

/// Cross-checks our parser against Python's prometheus_client on the same text bodies: every sample's
/// name, labels and value must agree. Without python3 and prometheus_client: skipped with a line
/// (under CI=true the tests run and fail).
@Suite struct PythonOracleTests {
    static let python = Tools.python(with: "prometheus_client.parser")

    static func available(_ test: String) -> Bool {
        Tools.gate(python != nil, "python3 with prometheus_client", for: test)
    }

    static func runPython(_ arguments: [String]) throws -> (output: String, status: Int32) {
        guard let python else { throw MissingTool(what: "python3 with prometheus_client", test: "PythonOracleTests") }
        return try Spawn.run(python, arguments, captureOutput: true)
    }

    static var nodeExporterFixture: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Benchmarks/Fixtures/node_exporter.prom")
    }

    static let script = """
        import sys, json, math
        from prometheus_client.parser import text_string_to_metric_families
        text = open(sys.argv[1], encoding="utf-8").read()
        for f in text_string_to_metric_families(text):
            for s in f.samples:
                v = s.value
                print(json.dumps([s.name, s.labels, "NaN" if math.isnan(v) else repr(float(v))]))
        """

    func pythonSamples(_ file: URL) throws -> [String] {
        let (output, status) = try Self.runPython(["-c", Self.script, file.path])
        #expect(status == 0)
        return output.split(separator: "\n").map(String.init)
    }

    func compare(_ file: URL) throws {
        let theirs = try pythonSamples(file)
        let ours = try Exposition.parse([UInt8](try Data(contentsOf: file)), format: .text).samples
        #expect(theirs.count == ours.count, "\(file.lastPathComponent)")
        for (line, mine) in zip(theirs, ours) {
            let decoded = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
            let name = decoded[0] as? String
            // Python keeps labels with empty values; Prometheus (and we) drop them.
            let labels = (decoded[1] as? [String: String] ?? [:]).filter { !$0.value.isEmpty }
            let valueText = decoded[2] as? String ?? ""
            var mineLabels: [String: String] = [:]
            for l in mine.labels where l.name != Labels.metricName { mineLabels[l.name] = l.value }
            #expect(name == mine.labels.name, "\(line)")
            #expect(labels == mineLabels, "\(line)")
            if valueText == "NaN" {
                #expect(mine.value.isNaN, "\(line)")
            } else {
                #expect(Double(valueText) == mine.value, "\(line)")
            }
        }
    }

    static let openMetricsProducer = """
        import sys
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary, Info, Enum
        from prometheus_client.openmetrics.exposition import generate_latest
        r = CollectorRegistry()
        c = Counter('requests', 'Requests served', ['code'], registry=r); c.labels('200').inc(3); c.labels('500').inc()
        g = Gauge('temperature_celsius', 'Temp "quoted" \\ backslash', registry=r, unit='celsius'); g.set(-3.5)
        h = Histogram('latency_seconds', 'Latency', registry=r, buckets=[0.1, 0.5, 1]); h.observe(0.3); h.observe(2)
        s = Summary('size_bytes', 'Sizes', registry=r); s.observe(10)
        i = Info('build', 'Build info', registry=r); i.info({'version': '1.2', 'branch': 'main'})
        e = Enum('state', 'State', states=['up', 'down'], registry=r); e.state('up')
        sys.stdout.write(generate_latest(r).decode())
        """

    /// prometheus_client's own OpenMetrics output (every family type, `_created`, UNIT, escaped HELP)
    /// passes the strict rules, with `_created` dropped and metadata kept.
    @Test(.enabled(if: PythonOracleTests.available("pythonOpenMetricsOutputParsesStrictly")))
    func pythonOpenMetricsOutputParsesStrictly() throws {
        let body = [UInt8](try Self.runPython(["-c", Self.openMetricsProducer]).output.utf8)
        let scrape = try Exposition.parse(body, format: .openMetrics, options: ExpositionOptions(strictOpenMetrics: true))
        let names = scrape.samples.compactMap { $0.labels.name }
        #expect(!names.contains { $0.hasSuffix("_created") })
        #expect(names.filter { $0 == "requests_total" }.count == 2)
        #expect(names.contains("build_info") && names.contains("state") && names.contains("latency_seconds_bucket"))
        #expect(scrape.metadata["temperature_celsius"] == FamilyMetadata(
            type: .gauge, help: #"Temp "quoted" \ backslash"#, unit: "celsius"))
        #expect(scrape.metadata["state"]?.type == .stateset)
        let temperature = scrape.samples.first { $0.labels.name == "temperature_celsius" }
        #expect(temperature?.value == -3.5)
    }

    @Test(.enabled(if: PythonOracleTests.available("nodeExporterCaptureAgrees")))
    func nodeExporterCaptureAgrees() throws {
        try compare(Self.nodeExporterFixture)
    }

    @Test(.enabled(if: PythonOracleTests.available("prometheusTextFixturesAgree")
                    && Tools.gate(ConformanceData.available, "../shared/conformance", for: "prometheusTextFixturesAgree")))
    func prometheusTextFixturesAgree() throws {
        for (name, _, format) in try ConformanceTests.prometheusFixtures() where format == .text {
            let dir = try #require(ConformanceData.exposition)
            try compare(dir.appendingPathComponent(name))
        }
    }
}
