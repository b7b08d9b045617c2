import Exposition
import Foundation
import MetricsCore
import SeriesStore

/// Inputs and measurements shared by the benchmark target and the `LookoutBench` tool.
public enum BenchSupport {
    /// Benchmarks/Fixtures/node_exporter.prom, a real body captured from prometheus-node-exporter.
    public static func nodeExporterBody() throws -> [UInt8] {
        let here = URL(fileURLWithPath: #filePath)  // Benchmarks/Sources/BenchSupport/BenchSupport.swift
        let fixture = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/node_exporter.prom")
        return [UInt8](try Data(contentsOf: fixture))
    }

    /// A node_exporter-like text body of about `bytes` bytes: families with HELP/TYPE, several labels,
    /// counters, gauges, histograms, the odd NaN and escaped label value. Deterministic.
    public static func generateBody(bytes target: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(target + 4096)
        var rng: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return rng >> 33
        }
        var family = 0
        while out.count < target {
            let kind = family % 4
            let name = "bench_family_\(family)_" + ["seconds_total", "bytes", "request_duration_seconds", "info"][kind]
            out += Array("# HELP \(name) Generated family number \(family) for parser benchmarks.\n".utf8)
            out += Array("# TYPE \(name) \(["counter", "gauge", "histogram", "gauge"][kind])\n".utf8)
            for s in 0..<40 {
                // Sorted label names, as client libraries write them.
                let labels = "device=\"sd\(s)\",instance=\"host-\(s % 8).example.com:9100\",job=\"node\",mode=\"m\(s % 5)\""
                switch kind {
                case 0:
                    out += Array("\(name){\(labels)} \(Double(next() % 10_000_000) / 100)\n".utf8)
                case 1:
                    let v = s == 7 ? "NaN" : String(Double(next() % 1_000_000_000) * 1.5e-3)
                    out += Array("\(name){\(labels),path=\"C:\\\\data\\\\\(s)\"} \(v)\n".utf8)
                case 2:
                    var cumulative = 0
                    for le in ["0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "+Inf"] {
                        cumulative += Int(next() % 100)
                        out += Array("\(name)_bucket{\(labels),le=\"\(le)\"} \(cumulative)\n".utf8)
                    }
                    out += Array("\(name)_sum{\(labels)} \(Double(next() % 100_000) / 7)\n".utf8)
                    out += Array("\(name)_count{\(labels)} \(cumulative)\n".utf8)
                default:
                    out += Array("\(name){\(labels),version=\"1.\(s).\(next() % 10)\"} 1 \(1_700_000_000_000 + Int(next() % 1000))\n".utf8)
                }
            }
            family += 1
        }
        return out
    }

    /// Parses `body` repeatedly for at least `minSeconds`; returns (MB/s, samples per parse).
    public static func parseThroughput(_ body: [UInt8], minSeconds: Double) throws -> (mbPerSecond: Double, samples: Int) {
        var samples = 0
        var iterations = 0
        let clock = ContinuousClock()
        let start = clock.now
        var elapsed = 0.0
        repeat {
            samples = try Exposition.parse(body, format: .text).samples.count
            iterations += 1
            let d = clock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        } while elapsed < minSeconds
        return (Double(body.count * iterations) / elapsed / 1_000_000, samples)
    }

    /// The streaming pull parser alone (no labels or samples built): the floor under `parse`.
    public static func pullThroughput(_ body: [UInt8], minSeconds: Double) throws -> (mbPerSecond: Double, samples: Int) {
        var samples = 0
        var iterations = 0
        var checksum = 0.0
        let clock = ContinuousClock()
        let start = clock.now
        var elapsed = 0.0
        repeat {
            samples = try ExpositionPullParser.withParser(body, format: .text) {
                (p: inout ExpositionPullParser) throws(ExpositionError) -> Int in
                var n = 0
                while let e = try p.next() {
                    if e == .sample { n += 1; checksum += p.value }
                }
                return n
            }
            iterations += 1
            let d = clock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        } while elapsed < minSeconds
        if checksum.isInfinite { print("") }  // keeps the loop from being optimised away
        return (Double(body.count * iterations) / elapsed / 1_000_000, samples)
    }

    /// Scrape `scrapes` times at 15 s intervals with modelled value changes, then report ingestion
    /// speed and storage cost. `noisy` makes every value change, gauges in full precision (worst case).
    public static func ingest(_ body: [UInt8], scrapes: Int, noisy: Bool = false) throws -> (samplesPerSecond: Double, stats: StoreStats) {
        let base = try Exposition.parse(body, format: .text)
        let store = MemoryStore(options: StoreOptions(retention: nil))
        let ingester = ScrapeIngester(job: "node", instance: "127.0.0.1:9100", appender: store)
        var rng: UInt64 = 99
        func jitter() -> Double {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(rng >> 40) / Double(1 << 24)
        }
        let isCounter = base.samples.map { s -> Bool in
            let n = s.labels.name ?? ""
            return n.hasSuffix("_total") || n.hasSuffix("_count") || n.hasSuffix("_sum") || n.hasSuffix("_bucket")
        }
        // Build every scrape first, so only ingestion is timed.
        var scrapesToIngest: [ParsedScrape] = []
        var current = base
        for _ in 0..<scrapes {
            for i in current.samples.indices {
                let v = current.samples[i].value
                guard v.isFinite else { continue }
                if noisy {
                    // Worst case: every value changes, gauges in full double precision.
                    current.samples[i].value = isCounter[i] ? v + (jitter() * 200).rounded() : v * (0.98 + 0.04 * jitter())
                } else if isCounter[i] {
                    // Most counters move by whole units; some stay idle between scrapes.
                    if jitter() < 0.6 { current.samples[i].value = v + (jitter() * 200).rounded() }
                } else if jitter() < 0.4 {
                    // Gauges: many are constant (sizes, limits, info); the rest wander, big ones as
                    // integers (bytes, counts), small ones with a few decimals (load, ratios).
                    let w = v * (0.98 + 0.04 * jitter())
                    current.samples[i].value = abs(v) >= 1000 ? w.rounded() : (w * 1000).rounded() / 1000
                }
            }
            scrapesToIngest.append(current)
        }
        let clock = ContinuousClock()
        var written = 0
        let d = clock.measure {
            for (i, s) in scrapesToIngest.enumerated() {
                ingester.ingest(s, at: 1_700_000_000_000 + Int64(i) * 15_000, duration: 0.01)
                written += s.samples.count + 5
            }
        }
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        return (Double(written) / seconds, store.stats())
    }
}
