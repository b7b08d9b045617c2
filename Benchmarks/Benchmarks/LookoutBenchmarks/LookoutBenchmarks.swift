import Benchmark
import BenchSupport
import Exposition
import Foundation
import SeriesStore

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 2, maxDuration: .seconds(5),
        maxIterations: 1000)

    // Parse throughput on the real node_exporter body: one iteration is one whole-body parse.
    if let body = try? BenchSupport.nodeExporterBody() {
        Benchmark("parse node_exporter body (\(body.count / 1024) KiB)",
                  configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal,
                                                 .custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)])) { b in
            let start = ContinuousClock.now
            for _ in b.scaledIterations { blackHole(try Exposition.parse(body, format: .text)) }
            let d = ContinuousClock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            b.measurement(.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false),
                          Int(Double(body.count * b.scaledIterations.count) / seconds / 1_000_000))
        }
    }

    // A 50 MB body generated at run time (not committed).
    let big = BenchSupport.generateBody(bytes: 50_000_000)
    Benchmark("parse generated 50 MB body",
              configuration: .init(metrics: [.wallClock, .custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)],
                                   warmupIterations: 0, maxDuration: .seconds(10), maxIterations: 5)) { b in
        let start = ContinuousClock.now
        for _ in b.scaledIterations { blackHole(try Exposition.parse(big, format: .text)) }
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        b.measurement(.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false),
                      Int(Double(big.count * b.scaledIterations.count) / seconds / 1_000_000))
    }

    // Ingestion: two hours of 15 s scrapes of the node_exporter body into a MemoryStore.
    Benchmark("ingest 480 node_exporter scrapes",
              configuration: .init(metrics: [.wallClock,
                                             .custom("samples/s", polarity: .prefersLarger, useScalingFactor: false),
                                             .custom("bytes/sample x100", polarity: .prefersSmaller, useScalingFactor: false)],
                                   warmupIterations: 0, maxDuration: .seconds(10), maxIterations: 5)) { b in
        guard let body = try? BenchSupport.nodeExporterBody(), let (rate, stats) = try? BenchSupport.ingest(body, scrapes: 480)
        else { return }
        b.measurement(.custom("samples/s", polarity: .prefersLarger, useScalingFactor: false), Int(rate))
        b.measurement(.custom("bytes/sample x100", polarity: .prefersSmaller, useScalingFactor: false),
                      Int(stats.bytesPerSample * 100))
    }
}
