import Foundation
import MetricsCore
import Testing
@testable import Exposition

/// Cross-checks our parser against Python's prometheus_client on the same text bodies: every sample's
/// name, labels and value must agree. Skipped quietly when python3 with prometheus_client is missing.
@Suite struct PythonOracleTests {
    static let python: String? = {
        for path in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: path) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: path)
            p.arguments = ["-c", "import prometheus_client.parser"]
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { continue }
            p.waitUntilExit()
            if p.terminationStatus == 0 { return path }
        }
        return nil
    }()

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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(Self.python))
        p.arguments = ["-c", Self.script, file.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
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
    @Test(.enabled(if: PythonOracleTests.python != nil))
    func pythonOpenMetricsOutputParsesStrictly() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(Self.python))
        p.arguments = ["-c", Self.openMetricsProducer]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let body = [UInt8](out.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
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

    @Test(.enabled(if: PythonOracleTests.python != nil))
    func nodeExporterCaptureAgrees() throws {
        try compare(Self.nodeExporterFixture)
    }

    @Test(.enabled(if: PythonOracleTests.python != nil && ConformanceData.available))
    func prometheusTextFixturesAgree() throws {
        for (name, _, format) in try ConformanceTests.prometheusFixtures() where format == .text {
            let dir = try #require(ConformanceData.exposition)
            try compare(dir.appendingPathComponent(name))
        }
    }
}
