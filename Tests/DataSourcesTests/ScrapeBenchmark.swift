import DataSources
import Foundation
import SeriesStore
import Testing

/// 50 node_exporter-sized targets at a 1 s interval: prints scrape-cycle time and CPU per cycle.
/// Run by scripts/bench-scrape.sh (LOOKOUT_BENCH_BODY names a saved node_exporter body).
/// Figures only; the assertions check that the work was really done, not how fast.
@Suite("Scrape benchmark", .enabled(if: ProcessInfo.processInfo.environment["LOOKOUT_BENCH_BODY"] != nil))
struct ScrapeBenchmark {
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    @Test func fiftyTargetsAtOneSecond() async throws {
        let env = ProcessInfo.processInfo.environment
        let body = try #require(env["LOOKOUT_BENCH_BODY"])
        let targetCount = Int(env["LOOKOUT_BENCH_TARGETS"] ?? "") ?? 50
        let cycles = Int(env["LOOKOUT_BENCH_CYCLES"] ?? "") ?? 10
        let server = try await FaultServer.start(arguments: ["--body", body])
        defer { server.stop() }
        let targets = (0..<targetCount).map { ScrapeTarget(job: "node", url: server.url("/bench/\($0)/metrics")) }
        let storage = StoreScrapeStorage()
        let source = EmbeddedSource(
            targets: targets, store: storage, options: SourceOptions(mode: .scrape(targets), interval: 1), auth: nil)
        defer { source.stop() }

        await source.scrapeAll()   // warm-up: series creation is the expensive first time
        var walls: [Double] = []
        var cpus: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<cycles {
            let tick = clock.now
            let cpu0 = Self.cpuSeconds()
            await source.scrapeAll()
            cpus.append(Self.cpuSeconds() - cpu0)
            walls.append(source.cycleStats.lastSeconds)
            try await Task.sleep(until: tick.advanced(by: .seconds(1)), clock: clock)
        }
        let status = source.targets()
        #expect(status.allSatisfy { $0.health == .up && $0.seriesCount > 100 }, "\(status.filter { $0.health != .up })")
        let stats = storage.store.stats()
        let bytes = status.map(\.bytes).reduce(0, +)
        func ms(_ xs: [Double]) -> String {
            let sorted = xs.sorted()
            return String(format: "median %.1f ms, max %.1f ms", sorted[sorted.count / 2] * 1000, (sorted.last ?? 0) * 1000)
        }
        print("""
            scrape benchmark: \(targetCount) targets × \(status.first?.seriesCount ?? 0) series, \(bytes / 1024) KiB per cycle, \(cycles) cycles at 1 s
              cycle wall time: \(ms(walls))
              CPU per cycle:   \(ms(cpus)) (\(String(format: "%.0f", cpus.reduce(0, +) / Double(cycles) * 100))% of one core at 1 s)
              store: \(stats.seriesCount) series, \(stats.sampleCount) samples, \(String(format: "%.2f", stats.bytesPerSample)) bytes/sample encoded
            """)
    }
}
