import Prometheus

/// Turns simulation state into the Prometheus text exposition format (version 0.0.4).
///
/// Counters and gauges go through swift-prometheus' `PrometheusCollectorRegistry`, which renders
/// their `# HELP`/`# TYPE` lines, labels and escaping. The library only lets a counter grow by an
/// increment, while the simulation owns absolute totals, so `CounterMirror` (a thin adapter)
/// increments each library counter by the difference since the last exposition.
///
/// The latency histogram is written here instead: the library's `Histogram` records one
/// observation at a time, but the simulation draws *per-bucket counts* (about 2,500 observations
/// a second). Replaying them one by one would cost time proportional to traffic; writing the
/// cumulative buckets directly costs the same whatever the rate.
final class MetricsExposition {
    private let registry = PrometheusCollectorRegistry()
    private var counters: [String: CounterMirror] = [:]
    private var gauges: [String: Gauge] = [:]
    static let histogramName = "http_request_duration_seconds"
    static let server = "perfect21-db:5432"

    /// Renders the current state; call with the simulation already advanced to "now".
    func render(_ simulation: ServiceSimulation) -> [UInt8] {
        syncHTTP(simulation.http)
        syncHost(simulation.systems)
        syncRedis(simulation.systems)
        syncPostgres(simulation.systems)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 * 1024)
        registry.emit(into: &buffer)
        Self.writeHistogram(simulation.http.series, into: &buffer)
        return buffer
    }

    // MARK: Mirroring absolute values into the registry

    private func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> CounterMirror {
        let key = Self.key(name, labels)
        if let existing = counters[key] { return existing }
        let made = CounterMirror(registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labels))
        counters[key] = made
        return made
    }

    private func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
        let key = Self.key(name, labels)
        if let existing = gauges[key] { return existing }
        let made = registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
        gauges[key] = made
        return made
    }

    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        // The descriptor joins name parts with "_"; passing the full name with an empty unit keeps
        // it exactly as the real exporters spell it.
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    private static func key(_ name: String, _ labels: [(String, String)]) -> String {
        labels.reduce(name) { $0 + "\u{1F}" + $1.0 + "=" + $1.1 }
    }

    private func syncHTTP(_ http: HTTPTrafficSimulation) {
        for series in http.series {
            counter("http_requests_total", "Requests served by the simulated Perfect21 API.",
                    [("handler", series.handler), ("method", series.method), ("status", series.status)])
                .set(wholeTotal: series.count)
        }
    }

    private func syncHost(_ systems: SupportingSystemsState) {
        for cpu in 0..<SupportingSystemsState.cpuCount {
            for (index, mode) in SupportingSystemsState.cpuModes.enumerated() {
                counter("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.",
                        [("cpu", String(cpu)), ("mode", mode)])
                    .set(total: systems.cpuSeconds[cpu][index])
            }
        }
        gauge("node_memory_MemTotal_bytes", "Memory information field MemTotal_bytes.")
            .set(SupportingSystemsState.memoryTotalBytes)
        gauge("node_memory_MemAvailable_bytes", "Memory information field MemAvailable_bytes.")
            .set(systems.memoryAvailableBytes.rounded())
        for (index, device) in SupportingSystemsState.diskDevices.enumerated() {
            counter("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", [("device", device)])
                .set(total: systems.diskIOTimeSeconds[index])
        }
    }

    private func syncRedis(_ systems: SupportingSystemsState) {
        gauge("redis_up", "Information about the Redis instance").set(1.0)
        counter("redis_keyspace_hits_total", "keyspace_hits metric").set(wholeTotal: Int(systems.redisHits))
        counter("redis_keyspace_misses_total", "keyspace_misses metric").set(wholeTotal: Int(systems.redisMisses))
        counter("redis_commands_processed_total", "commands_processed metric")
            .set(wholeTotal: Int(systems.redisCommands))
        gauge("redis_memory_used_bytes", "memory_used_bytes metric").set(systems.redisMemoryUsedBytes.rounded())
        gauge("redis_connected_clients", "connected_clients metric").set(systems.redisConnectedClients)
    }

    private func syncPostgres(_ systems: SupportingSystemsState) {
        let server = ("server", Self.server)
        gauge("pg_up", "Whether the last scrape of metrics from PostgreSQL was able to connect to the server (1 for yes, 0 for no).")
            .set(1.0)
        gauge("pg_settings_max_connections", "Sets the maximum number of concurrent connections.", [server])
            .set(SupportingSystemsState.maxConnections)
        for (index, database) in SupportingSystemsState.databases.enumerated() {
            let labels = [("datid", database.datid), ("datname", database.datname), server]
            gauge("pg_stat_database_numbackends", "Number of backends currently connected to this database.", labels)
                .set(systems.databaseBackends[index])
            counter("pg_stat_database_blks_hit", "Number of times disk blocks were found already in the buffer cache.", labels)
                .set(wholeTotal: Int(systems.blocksHit[index]))
            counter("pg_stat_database_blks_read", "Number of disk blocks read in this database.", labels)
                .set(wholeTotal: Int(systems.blocksRead[index]))
        }
        for (index, query) in SupportingSystemsState.queries.enumerated() {
            let labels = [("rolname", "perfect21"), ("datname", "perfect21"), ("queryid", query.queryid), server]
            gauge("pg_stat_statements_mean_exec_time_seconds", "Mean time spent executing the statement, in seconds.", labels)
                .set(systems.queryMeanSeconds[index])
            counter("pg_stat_statements_calls", "Number of times the statement was executed.", labels)
                .set(wholeTotal: Int(systems.queryCalls[index]))
            counter("pg_stat_statements_total_exec_time_seconds", "Total time spent executing the statement, in seconds.", labels)
                .set(total: systems.queryTotalSeconds[index])
        }
    }

    // MARK: Histogram text

    static func writeHistogram(_ series: [HTTPSeriesState], into buffer: inout [UInt8]) {
        let name = histogramName
        buffer.append(contentsOf: "# HELP \(name) Latency of requests to the simulated Perfect21 API.\n".utf8)
        buffer.append(contentsOf: "# TYPE \(name) histogram\n".utf8)
        let bounds = ServiceProfile.bucketBounds.map(formatBound) + ["+Inf"]
        for state in series {
            let labels = "handler=\"\(state.handler)\",method=\"\(state.method)\",status=\"\(state.status)\""
            for (bound, cumulative) in zip(bounds, state.cumulativeBuckets) {
                buffer.append(contentsOf: "\(name)_bucket{\(labels),le=\"\(bound)\"} \(cumulative)\n".utf8)
            }
            buffer.append(contentsOf: "\(name)_sum{\(labels)} \(state.sum)\n".utf8)
            buffer.append(contentsOf: "\(name)_count{\(labels)} \(state.count)\n".utf8)
        }
    }

    /// Bucket bounds as Go's `strconv.FormatFloat(v, 'g', -1, 64)` writes them (`1`, `0.005`,
    /// `7.5`), which is what official clients put in `le`.
    static func formatBound(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

/// Lets an absolute total drive a swift-prometheus `Counter`, which only accepts increments.
/// Totals that go backwards are ignored, so the exposed counter can never decrease.
final class CounterMirror {
    private let counter: Counter
    private var exportedWhole = 0
    private var exportedTotal = 0.0

    init(_ counter: Counter) { self.counter = counter }

    /// For integer counts: incremented in whole steps so the exposition prints integers.
    func set(wholeTotal total: Int) {
        guard total > exportedWhole else { return }
        counter.increment(by: Int64(total - exportedWhole))
        exportedWhole = total
    }

    /// For fractional totals such as seconds.
    func set(total: Double) {
        guard total > exportedTotal, total.isFinite else { return }
        counter.increment(by: total - exportedTotal)
        exportedTotal = total
    }
}
