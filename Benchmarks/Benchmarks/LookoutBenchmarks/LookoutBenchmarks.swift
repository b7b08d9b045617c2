import Benchmark
import BenchSupport
import Exposition
import Foundation
import MetricsCore
import SeriesStore

// The hot paths of a scrape and a query, each guarded by thresholds: `thresholds check` (see
// scripts/bench.sh) fails when a figure is worse than the one stored in Benchmarks/Thresholds by
// more than the tolerance below. Allocation counts are exact, so they get tight tolerances; wall
// time on a shared machine varies, so it gets a loose one.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 2, maxDuration: .seconds(3),
        maxIterations: 1000,
        thresholds: [
            .wallClock: .init(relative: [.p50: 50]),
            .mallocCountTotal: .init(relative: [.p50: 5], absolute: [.p50: 50]),
        ])
    guard let body = try? BenchSupport.nodeExporterBody() else {
        fatalError("Benchmarks/Fixtures/node_exporter.prom is missing")
    }

    // The streaming parser alone on a real node_exporter body.
    Benchmark("pull parser, node_exporter body") { b in
        for _ in b.scaledIterations {
            let n = try ExpositionPullParser.withParser(body, format: .text) {
                (p: inout ExpositionPullParser) throws(ExpositionError) -> Int in
                var n = 0
                while let e = try p.next() { if e == .sample { n += 1 } }
                return n
            }
            blackHole(n)
        }
    }

    // The full parse into samples with label sets.
    Benchmark("parse into samples, node_exporter body") { b in
        for _ in b.scaledIterations { blackHole(try Exposition.parse(body, format: .text)) }
    }

    // A steady-state scrape: the same target again, series found in the scrape cache by their text.
    Benchmark("ingest a repeated scrape (scrape cache)") { b in
        let store = MemoryStore(options: StoreOptions(retention: nil))
        let ingester = ScrapeIngester(job: "node", instance: "127.0.0.1:9100", appender: store)
        var t: Timestamp = 1_700_000_000_000
        ingester.ingest(body: body, contentType: nil, at: t, duration: 0.01)
        b.startMeasurement()
        for _ in b.scaledIterations {
            t += 1000
            blackHole(ingester.ingest(body: body, contentType: nil, at: t, duration: 0.01))
        }
    }

    // A regex selector over a store of 50 targets (matched outside the store's lock).
    Benchmark("select with a regex matcher, 50 targets") { b in
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for i in 0..<50 {
            let ingester = ScrapeIngester(job: "node", instance: "host-\(i):9100", appender: store)
            ingester.ingest(body: body, contentType: nil, at: 1_700_000_000_000, duration: 0.01)
        }
        let matchers = [try! LabelMatcher(.regexMatch, "__name__", "node_cpu_.*"),
                        try! LabelMatcher(.regexMatch, "instance", "host-[0-4]:9100")]
        b.startMeasurement()
        for _ in b.scaledIterations {
            blackHole(store.select(matchers, mint: 0, maxt: .max))
        }
    }

    // A 50 MB body generated at run time (not committed): throughput of the full parse.
    let big = BenchSupport.generateBody(bytes: 50_000_000)
    Benchmark("parse generated 50 MB body",
              configuration: .init(metrics: [.wallClock, .custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)],
                                   warmupIterations: 0, maxDuration: .seconds(10), maxIterations: 3,
                                   thresholds: [.wallClock: .init(relative: [.p50: 50])])) { b in
        let start = ContinuousClock.now
        for _ in b.scaledIterations { blackHole(try Exposition.parse(big, format: .text)) }
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        b.measurement(.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false),
                      Int(Double(big.count * b.scaledIterations.count) / seconds / 1_000_000))
    }
}
