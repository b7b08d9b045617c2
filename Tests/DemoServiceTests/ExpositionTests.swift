@testable import DemoService
import Foundation
import Testing
import TestSupport

@Suite struct ExpositionTests {
    static func render(_ scenario: DemoScenario = .normal, seconds: Double = 45, seed: UInt64 = 31) -> String {
        var simulation = ServiceSimulation(scenario: scenario, seed: seed)
        simulation.advance(to: seconds)
        return String(decoding: MetricsExposition().render(simulation), as: UTF8.self)
    }

    @Test func everyFamilyTheLayoutsNeedIsExposedUnderTheExporterNames() throws {
        let samples = try #require(parseExposition(Self.render()))
        let names = Set(samples.map(\.name))
        let required = [
            "http_requests_total", "http_request_duration_seconds_bucket", "http_request_duration_seconds_sum",
            "http_request_duration_seconds_count", "node_cpu_seconds_total", "node_memory_MemTotal_bytes",
            "node_memory_MemAvailable_bytes", "node_disk_io_time_seconds_total", "redis_keyspace_hits_total",
            "redis_keyspace_misses_total", "redis_memory_used_bytes", "redis_commands_processed_total",
            "redis_connected_clients", "redis_up", "pg_stat_database_numbackends", "pg_stat_database_blks_hit",
            "pg_stat_database_blks_read", "pg_stat_statements_mean_exec_time_seconds", "pg_up",
            "pg_settings_max_connections",
        ]
        for name in required { #expect(names.contains(name), "missing \(name)") }
        // job and instance are the scraper's to add.
        #expect(!samples.contains { $0.labels["job"] != nil || $0.labels["instance"] != nil })
        let cpu = samples.filter { $0.name == "node_cpu_seconds_total" }
        #expect(Set(cpu.compactMap { $0.labels["mode"] }) == Set(SupportingSystemsState.cpuModes))
        #expect(cpu.count == SupportingSystemsState.cpuCount * SupportingSystemsState.cpuModes.count)
        let pool = samples.first { $0.name == "pg_stat_database_numbackends" && $0.labels["datname"] == "perfect21" }
        let max = samples.first { $0.name == "pg_settings_max_connections" }
        let use = try #require(pool?.value) / (try #require(max?.value))
        #expect(use > 0.2 && use < 0.7, "pool use \(use)")
    }

    @Test func requestCounterAgreesWithHistogramCountAndInfBucket() throws {
        let samples = try #require(parseExposition(Self.render(.incident, seconds: 90)))
        let counters = samples.filter { $0.name == "http_requests_total" }
        #expect(counters.count == 5 * 3 + 3)  // 200/500/503 everywhere, one client-error status on three
        for counter in counters {
            let count = samples.first { $0.name == "http_request_duration_seconds_count" && $0.labels == counter.labels }
            var infLabels = counter.labels
            infLabels["le"] = "+Inf"
            let inf = samples.first { $0.name == "http_request_duration_seconds_bucket" && $0.labels == infLabels }
            #expect(count?.value == counter.value && inf?.value == counter.value, "\(counter.labels)")
            let buckets = samples.filter {
                $0.name == "http_request_duration_seconds_bucket" && $0.labels.filter { $0.key != "le" } == counter.labels
            }
            #expect(buckets.count == ServiceProfile.bucketBounds.count + 1)
        }
    }

    @Test func exposedCountersNeverDecreaseBetweenScrapes() throws {
        var simulation = ServiceSimulation(scenario: .dbSlow, seed: 32)
        let exposition = MetricsExposition()
        var previous: [String: Double] = [:]
        for step in 1...6 {
            simulation.advance(to: Double(step) * 3)
            let samples = try #require(parseExposition(String(decoding: exposition.render(simulation), as: UTF8.self)))
            for sample in samples where sample.name.hasSuffix("_total") || sample.name.hasSuffix("_bucket")
                || sample.name.contains("blks_") || sample.name == "pg_stat_statements_calls" {
                let key = sample.name + sample.labels.sorted { $0.key < $1.key }.description
                #expect(sample.value >= previous[key, default: 0], "\(key) went down")
                previous[key] = sample.value
            }
        }
    }

    @Test func bucketBoundsAreWrittenLikeOfficialClients() {
        #expect(MetricsExposition.formatBound(1) == "1")
        #expect(MetricsExposition.formatBound(0.005) == "0.005")
        #expect(MetricsExposition.formatBound(7.5) == "7.5")
        #expect(MetricsExposition.formatBound(10) == "10")
    }

    @Test func promtoolAcceptsTheExposition() throws {
        guard let promtool = try Tools.require("promtool", for: "DemoService ExpositionTests"),
              let sh = Tools.find("sh") else { return }
        for scenario in DemoScenario.allCases {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString).prom")
            try Data(Self.render(scenario).utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            // promtool reads the exposition on its standard input.
            let (lint, status) = try Spawn.run(sh, ["-c", "exec \"$0\" check metrics <'\(file.path)' 2>&1", promtool],
                                               captureOutput: true)
            // 0 = clean, 3 = lint notes only (as for the real exporters), 1 = parse error.
            #expect([0, 3].contains(status), "\(scenario): rc \(status) \(lint)")
        }
    }
}
