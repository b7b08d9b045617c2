import Foundation
import MetricsCore
import Testing
import TestSupport
@testable import DataSources

/// A recording backfilled into a real Prometheus (promtool create-blocks-from openmetrics, then a
/// Prometheus serving those blocks) answers dashboard-style queries with the same values as the
/// replay of the same file, within 1e-9 relative.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RecordingPrometheusRoundTripTests {
    static let promtool = Tools.find("promtool") ?? "promtool"
    static let prometheus = Tools.find("prometheus") ?? "prometheus"
    static let curl = Tools.find("curl") ?? "curl"
    static let t0: Int64 = 1_700_000_000_000
    static let stepMs: Int64 = 5_000

    /// Ten minutes of a service at 5 s: request counters (one reset at minute 5), a latency histogram
    /// and a gauge, written scrape by scrape as the recorder does.
    static func writeRecording(_ path: String) throws {
        let writer = try RecordingWriter(path: path, maxBytes: 1 << 24)
        defer { writer.close() }
        let target = ["job": "svc", "instance": "10.0.0.1:8080"]
        var ok = 0.0, failed = 0.0, count = 0.0, sum = 0.0
        var buckets = [0.0, 0.0, 0.0, 0.0]
        let bounds = ["0.1", "0.5", "1", "+Inf"]
        for i in 0...120 {
            let t = t0 + Int64(i) * stepMs
            let wave = 1 + sin(Double(i) / 7)
            ok += 50 * wave + 3
            failed = i == 60 ? 1 : failed + (i > 80 && i < 100 ? 9 : 0.5) * wave   // a reset at 5 min
            let n = 40 * wave + 5
            let shares = [0.6 - 0.2 * sin(Double(i) / 11), 0.9, 0.97, 1.0]
            for (b, share) in shares.enumerated() { buckets[b] += n * share }
            count += n
            sum += n * (0.12 + 0.05 * wave)
            func s(_ name: String, _ extra: [String: String], _ v: Double) -> InstantSample {
                var labels = target.merging(extra) { a, _ in a }
                labels["__name__"] = name
                return InstantSample(labels: Labels(labels), sample: Sample(t: t, v: v))
            }
            var batch = [s("http_requests_total", ["code": "200", "handler": "/api"], ok),
                         s("http_requests_total", ["code": "500", "handler": "/api"], failed),
                         s("http_request_duration_seconds_count", [:], count),
                         s("http_request_duration_seconds_sum", [:], sum),
                         s("queue_depth", [:], 20 + 15 * sin(Double(i) / 5)),
                         s("up", [:], 1)]
            for (b, le) in bounds.enumerated() { batch.append(s("http_request_duration_seconds_bucket", ["le": le], buckets[b])) }
            #expect(writer.append(batch))
        }
    }

    static let queries = [
        "sum(rate(http_requests_total[1m]))",
        #"sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m])) * 100"#,
        "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[2m])))",
        "rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])",
        "increase(http_requests_total[5m])",
        "avg_over_time(queue_depth[2m])",
        "sum(up)",
    ]

    /// `[labels text: value]` of Prometheus' answer to an instant query.
    static func ask(_ port: UInt16, _ expr: String, at t: Int64) throws -> [String: Double] {
        let r = try Spawn.run(curl, ["-sS", "--max-time", "10", "--data-urlencode", "query=\(expr)",
                                     "--data-urlencode", "time=\(Double(t) / 1000)", "http://127.0.0.1:\(port)/api/v1/query"],
                              captureOutput: true)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any], "\(r.output)")
        let data = try #require(json["data"] as? [String: Any], "\(r.output)")
        var out: [String: Double] = [:]
        for item in data["result"] as? [[String: Any]] ?? [] {
            let metric = (item["metric"] as? [String: String]) ?? [:]
            let value = try #require(item["value"] as? [Any])
            out[Labels(metric).description] = Double(value[1] as? String ?? "")
        }
        return out
    }

    static func replayed(_ source: RecordingReplaySource, _ expr: String, at t: Int64) async throws -> [String: Double] {
        let outcome = await source.instantQuery(expr, at: t)
        guard case .success(.vector(let samples)) = outcome.result else {
            Issue.record("replay: \(expr): \(outcome.result)")
            return [:]
        }
        var out: [String: Double] = [:]
        for s in samples { out[s.labels.removing([Labels.metricName]).description] = s.sample.v }
        return out
    }

    @Test func prometheusOnTheBackfilledRecordingAgreesWithTheReplay() async throws {
        for tool in [Self.promtool, Self.prometheus, Self.curl] {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) missing (scripts/install-deps.sh --test)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-roundtrip-\(getpid())-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/rec.om"
        try Self.writeRecording(file)
        let blocks = try Spawn.run(Self.promtool, ["tsdb", "create-blocks-from", "openmetrics", file, dir + "/tsdb"],
                                   captureOutput: true)
        #expect(blocks.status == 0, "\(blocks.output)")
        try Data("global: {}\nscrape_configs: []\n".utf8).write(to: URL(fileURLWithPath: dir + "/prometheus.yml"))

        var pid: pid_t = 0
        var port: UInt16 = 0
        for _ in 0..<5 {   // another process may take the port between the probe and the bind: try again
            port = try LoopbackPort.pick()
            pid = try Spawn.start(Self.prometheus, [
                "--config.file=\(dir)/prometheus.yml", "--storage.tsdb.path=\(dir)/tsdb",
                "--storage.tsdb.retention.time=100y", "--web.listen-address=127.0.0.1:\(port)",
            ])
            let deadline = Date().addingTimeInterval(20)
            var ready = false
            while Date() < deadline && Spawn.isRunning(pid) && !ready {
                ready = (try? Spawn.run(Self.curl, ["-sf", "http://127.0.0.1:\(port)/-/ready"], captureOutput: true).status) == 0
                if !ready { try await Task.sleep(nanoseconds: 200_000_000) }
            }
            if ready { break }
            Spawn.stop(pid)
            pid = 0
        }
        try #require(pid > 0, "prometheus did not start")
        defer { Spawn.stop(pid, grace: 2) }

        let recording = try Recording.read(path: file)
        #expect(recording.samples == 121 * 10)
        let replay = RecordingReplaySource(recording)
        var compared = 0
        // Between scrapes: Debian's Prometheus 2.42 closes range windows on the left, Lookout's engine
        // leaves them open as Prometheus 3 does, so a sample exactly at t - range would count in one only.
        // After the first 5 minutes: where a 5m window starts before the first sample, 2.42 and the
        // engine extrapolate rate() differently (an engine difference, not a recording one).
        for offset: Int64 in [302_500, 332_500, 452_500, 597_500] {
            let t = Self.t0 + offset
            for expr in Self.queries {
                let theirs = try Self.ask(port, expr, at: t)
                let ours = try await Self.replayed(replay, expr, at: t)
                #expect(Set(theirs.keys) == Set(ours.keys), "\(expr) at +\(offset / 1000)s: \(theirs) vs \(ours)")
                for (key, value) in theirs {
                    guard let mine = ours[key] else { continue }
                    let scale = max(abs(value), abs(mine), 1e-300)
                    #expect(abs(value - mine) / scale <= 1e-9, "\(expr) \(key) at +\(offset / 1000)s: \(value) vs \(mine)")
                    compared += 1
                }
            }
        }
        // Every query answered on both sides at every time (2 series for the per-series ones).
        #expect(compared == 4 * (1 + 1 + 1 + 1 + 2 + 1 + 1))
    }
}
