import Foundation
import HTTPClient
import MetricsCore
import PromQL
import Synchronization

/// Embedded mode: scrapes every target each interval into a store and answers queries with
/// the PromQL engine over that store. Targets are scraped concurrently; a dead or slow target
/// only costs its own timeout and never delays the others beyond it.
public final class EmbeddedSource: QuerySource {
    /// The Accept header Prometheus sends: OpenMetrics preferred, the text format accepted.
    static let acceptHeader =
        "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
        + "text/plain;version=0.0.4;q=0.3,*/*;q=0.1"

    public let displayName: String
    public let store: any ScrapeStorage
    private let scrapeTargets: [ScrapeTarget]
    /// `job` and `instance` per target, unique (see `targetLabels`).
    private let labelSets: [Labels]
    /// Each target's URL as shown (credentials hidden), worked out once rather than every scrape.
    private let redactedURLs: [String]
    private let options: SourceOptions
    private let auth: HTTPAuth?
    private let client: HTTPClient
    private let queries: LocalQueries
    private let state: Mutex<State>

    private struct State {
        var status: [TargetStatus]
        var handler: (@Sendable () -> Void)?
        var loop: Task<Void, Never>?
        var started = false
        var stopped = false
        var cycles = 0
        var lastCycleSeconds: Double = 0
        /// The stamp of the newest completed cycle.
        var newestStamp: Timestamp?
    }

    public init(
        targets: [ScrapeTarget], store: any ScrapeStorage, options: SourceOptions, auth: HTTPAuth?,
        client: HTTPClient = HTTPClient(), engineOptions: EngineOptions = EngineOptions()
    ) {
        self.scrapeTargets = targets
        self.labelSets = Self.targetLabels(targets)
        self.store = store
        self.options = options
        self.auth = auth
        self.client = client
        queries = LocalQueries(storage: store, options: engineOptions)
        self.displayName = targets.count == 1 ? redactURL(targets[0].url) : "\(targets.count) targets"
        state = Mutex(State(status: targets.map { TargetStatus(job: $0.job, url: redactURL($0.url)) }))
        redactedURLs = targets.map { redactURL($0.url) }
    }

    deinit { state.withLock { $0.loop?.cancel() } }

    public func start() {
        let interval = options.safeInterval
        state.withLock { s in
            guard !s.started else { return }
            s.started = true
            s.loop = Task.detached { [self] in
                // The opening scrape runs at once; the rest on the wall clock's grid of whole
                // intervals, stamped with their slot (see ScrapeGrid).
                let grid = ScrapeGrid(intervalMs: Int64((interval * 1000).rounded()))
                let clock = ContinuousClock()
                var previous = Self.wallClockMs()
                await scrapeAll(at: previous)
                while !Task.isCancelled {
                    let now = Self.wallClockMs()
                    let slot = grid.next(after: now, previous: previous)
                    // A slot is at most two intervals away (the first one); a wall clock set back
                    // must not stop the scrapes for as long as it went back. The HTTP worker starts
                    // the scrapes at the slot: the loop sleeps in the request, with no timer of its
                    // own (see `HTTPClient.get`).
                    let wait = min(slot - now, 2 * grid.intervalMs)
                    let at = clock.now.advanced(by: .milliseconds(wait))
                    guard let stamp = await cycle(slot: slot, grid: grid, notBefore: at) else { break }
                    previous = stamp
                }
            }
        }
    }

    public func stop() {
        let loop = state.withLock { s -> Task<Void, Never>? in
            s.stopped = true
            s.handler = nil
            return s.loop
        }
        loop?.cancel()
        client.shutdown()
    }

    /// One scrape of every target, concurrently, its samples stamped `at` (milliseconds; the time
    /// it starts when nil). Public so tests and `lookout snapshot` can drive scrapes without the timer.
    public func scrapeAll(at stamp: Timestamp? = nil) async {
        _ = await cycle(slot: stamp ?? Self.wallClockMs(), grid: nil, notBefore: nil)
    }

    /// Scrapes every target concurrently, each started by the HTTP worker at `notBefore` (at once
    /// when nil) and stamped `slot` (on a grid: the time it really started, when that was far too
    /// late for the slot), then tells the handler. The cycle's newest stamp; nil when cancelled.
    private func cycle(slot: Timestamp, grid: ScrapeGrid?, notBefore: ContinuousClock.Instant?) async -> Timestamp? {
        let called = ContinuousClock.now
        let stamps = await withTaskGroup(of: Timestamp?.self) { group in
            for index in scrapeTargets.indices {
                group.addTask { await self.scrape(index, slot: slot, grid: grid, notBefore: notBefore) }
            }
            var all: [Timestamp] = []
            for await stamp in group { if let stamp { all.append(stamp) } }
            return all
        }
        if Task.isCancelled { return nil }
        let stamp = stamps.max() ?? slot
        let seconds = Self.seconds(ContinuousClock.now - max(called, notBefore ?? called))
        let handler = state.withLock { s -> (@Sendable () -> Void)? in
            s.cycles += 1
            s.lastCycleSeconds = seconds
            s.newestStamp = max(s.newestStamp ?? stamp, stamp)
            return s.stopped ? nil : s.handler
        }
        handler?()
        return stamp
    }

    /// One target's scrape; its stamp, or nil when cancelled (stopping: nothing is recorded).
    private func scrape(_ index: Int, slot: Timestamp, grid: ScrapeGrid?, notBefore: ContinuousClock.Instant?) async -> Timestamp? {
        let target = scrapeTargets[index]
        let labels = labelSets[index]
        let timeout = options.effectiveScrapeTimeout
        let request = HTTPRequest(
            url: target.url,
            headers: [("Accept", Self.acceptHeader), ("X-Prometheus-Scrape-Timeout-Seconds", String(timeout))],
            connectTimeout: options.effectiveConnectTimeout, totalTimeout: timeout,
            maxBodyBytes: options.maxBodyBytes, auth: auth, tls: options.tls)
        let called = ContinuousClock.now
        let result = await client.get(request, notBefore: notBefore)
        if Task.isCancelled { return nil }
        let duration = Self.seconds(ContinuousClock.now - max(called, notBefore ?? called))
        // The wall time the scrape started at decides a grid stamp (see `ScrapeGrid.stamp`).
        let now = grid.map { $0.stamp(slot: slot, now: Self.wallClockMs() - Int64((duration * 1000).rounded())) } ?? slot
        var status = TargetStatus(job: target.job, url: redactedURLs[index], lastScrape: Date(), lastDuration: duration)
        switch result {
        case .success(let response):
            status.bytes = response.body.count
            switch store.ingest(
                body: response.body, contentType: response.contentType, target: labels, at: now,
                duration: duration, maxSeries: options.maxSeriesPerTarget)
            {
            case .success(let series):
                status.health = .up
                status.seriesCount = series
            case .failure(let failure):
                status.health = .down
                status.lastError = failure.message
                store.recordFailure(target: labels, at: now, duration: duration)
            }
        case .failure(let error):
            status.health = .down
            status.lastError = QueryFailure(error).message
            store.recordFailure(target: labels, at: now, duration: duration)
        }
        state.withLock { $0.status[index] = status }
        return now
    }

    public func targets() -> [TargetStatus] { state.withLock { $0.status } }

    /// Completed cycles and the duration of the last one (for the benchmark and the status view).
    public var cycleStats: (cycles: Int, lastSeconds: Double) {
        state.withLock { ($0.cycles, $0.lastCycleSeconds) }
    }

    public func serverInfo() -> String? { options.tls.insecure ? "TLS NOT VERIFIED" : nil }

    public func setDataHandler(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.handler = handler }
    }

    public func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        queries.instant(expr, at: time)
    }

    /// The newest cycle's stamp while it is recent: no sample is newer, and it is the graphs'
    /// newest step too (see ScrapeGrid).
    public func evaluationTime(now: Timestamp) -> Timestamp {
        let newest = state.withLock { $0.newestStamp }
        return ScrapeGrid(intervalMs: Int64((options.safeInterval * 1000).rounded())).evaluationTime(now: now, newest: newest)
    }

    public func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
        queries.range(expr, start: start, end: end, step: step)
    }

    /// `job`/`instance` per target. Targets that would share both (several paths on one
    /// host:port in one job) get the path in `instance`, so their series do not overwrite each other.
    static func targetLabels(_ targets: [ScrapeTarget]) -> [Labels] {
        var seen: [String: Int] = [:]
        for t in targets { seen["\(t.job)\u{0}\(t.instance)", default: 0] += 1 }
        return targets.map { t in
            var instance = t.instance
            if seen["\(t.job)\u{0}\(t.instance)", default: 0] > 1, let scheme = t.url.range(of: "://") {
                let rest = t.url[scheme.upperBound...]
                if let slash = rest.firstIndex(of: "/") {
                    instance += rest[slash...].prefix(while: { $0 != "?" && $0 != "#" })
                }
            }
            return Labels(["job": t.job, "instance": instance])
        }
    }

    static func wallClockMs() -> Timestamp { Timestamp((Date().timeIntervalSince1970 * 1000).rounded()) }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
