import Benchmark
import BenchSupport
import Exposition
import Foundation
import MetricsCore
import PromQL
import SeriesStore

// The hot paths of a scrape and a query, each guarded by thresholds: `thresholds check` (see
// scripts/bench.sh) fails when a figure is worse than the one stored in Benchmarks/Thresholds by
// more than the tolerance below. Allocation counts are exact, so they get tight tolerances; wall
// time on a shared machine varies, so it gets a loose one. Names are plain identifiers: the tool
// writes threshold files with spaces turned into underscores but looks them up unchanged.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal], warmupIterations: 2, maxDuration: .seconds(3),
        maxIterations: 1000,
        thresholds: [
            // Wall time on this shared two-core machine swings 2–3× at p90 with the load, so only a gross
            // slowdown (5×) fails on it; allocation counts are exact and carry the fine-grained guard.
            .wallClock: .init(relative: [.p50: 400, .p90: 400]),
            .mallocCountTotal: .init(relative: [.p50: 5, .p90: 5], absolute: [.p50: 50, .p90: 50]),
        ])
    guard let body = try? BenchSupport.nodeExporterBody() else {
        fatalError("Benchmarks/Fixtures/node_exporter.prom is missing")
    }

    // The streaming parser alone on a real node_exporter body.
    Benchmark("PullParser_nodeExporter") { b in
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
    Benchmark("ParseSamples_nodeExporter") { b in
        for _ in b.scaledIterations { blackHole(try Exposition.parse(body, format: .text)) }
    }

    // A steady-state scrape: the same target again, series found in the scrape cache by their text.
    Benchmark("IngestRepeatedScrape_nodeExporter") { b in
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
    Benchmark("SelectRegex_50Targets") { b in
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

    // The dashboard's costliest query of a refresh, after one more scrape: the rate of 432 bucket
    // series over a minute, summed by bucket and handler, then a quantile per handler.
    Benchmark("HistogramQuantilePerHandler_432Series") { b in
        guard var query = try? HistogramQueryBench() else { fatalError("the benchmark's query does not parse") }
        b.startMeasurement()
        for _ in b.scaledIterations {
            query.scrape()
            blackHole(try query.evaluate())
        }
    }

    // A 50 MB body generated at run time (not committed): the full parse of a big scrape.
    let big = BenchSupport.generateBody(bytes: 50_000_000)
    Benchmark("ParseSamples_generated50MB",
              configuration: .init(metrics: [.wallClock], warmupIterations: 0, maxDuration: .seconds(10), maxIterations: 3,
                                   thresholds: [.wallClock: .init(relative: [.p50: 400, .p90: 400])])) { b in
        for _ in b.scaledIterations { blackHole(try Exposition.parse(big, format: .text)) }
    }
}
