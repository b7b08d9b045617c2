import App
import DataSources
import Foundation
import HTTPClient
import MetricsCore
import Rules
import SeriesStore

/// A data source ready to use, with what the rest of the wiring needs to know about it.
struct BuiltSource {
    var source: any QuerySource
    /// Where recording rules write (the embedded store); nil in server mode.
    var ruleOutput: (any SampleAppender)?
    /// Alerts the server itself reports (server mode).
    var serverAlerts: (@Sendable () -> [AlertInstance])?
    /// Server mode: inlines recording rules the server lacks; told the rules when they load.
    var recordedSeries: RecordedSeriesInlining?
    /// Asks the server and the Alertmanager for their alerts now (before a snapshot's frame).
    var refreshAlerts: (@Sendable () async -> Void)?
    var insecure: Bool
    var intervalMs: Int64
}

enum SourceWiring {
    /// The embedded store's budget of compressed samples (see `StoreOptions.maxSealedBytes`).
    static let historyBudgetBytes = 32 << 20

    /// The source named by the flags, else by the config file, else an error that says what to pass.
    static func make(_ options: SourceOptionGroup, config: LookoutConfig?, intervalMs: Int64,
                     recorder: RecordingWriter? = nil) throws -> BuiltSource {
        var flags = SourceFlags()
        flags.prometheus = options.prometheus
        flags.scrape = options.scrape
        flags.caFile = options.caFile
        flags.insecure = options.insecure ? true : nil
        flags.bearerTokenFile = options.bearerTokenFile
        flags.basicAuthUser = options.basicAuthUser
        flags.basicAuthPasswordFile = options.basicAuthPasswordFile
        let resolved: SourceOptions?
        do {
            resolved = try flags.resolve(config: config)
        } catch {
            throw CLIError("\(error)", status: 64)
        }
        guard var sourceOptions = resolved else {
            throw CLIError("""
                no data source: pass --prometheus URL or --scrape [JOB=]URL, or name one in \
                \(ConfigLoader.defaultPath() ?? "the config file").
                Try `lookout demo` to see Lookout on a simulated service.
                """, status: 64)
        }
        sourceOptions.interval = Double(intervalMs) / 1000
        var built = try build(sourceOptions, intervalMs: intervalMs, recorder: recorder)
        if let url = options.alertmanager ?? config?.alertmanager {
            addAlertmanager(url, to: &built, timeout: sourceOptions.effectiveQueryTimeout)
        }
        return built
    }

    /// Lists an Alertmanager's alerts and silences beside the server's and Lookout's own.
    static func addAlertmanager(_ url: String, to built: inout BuiltSource, timeout: TimeInterval) {
        let poller = AlertmanagerPoller(url: url, intervalMs: built.intervalMs, timeout: timeout)
        let server = built.serverAlerts, serverRefresh = built.refreshAlerts
        built.serverAlerts = { (server?() ?? []) + poller.current() }
        built.refreshAlerts = {
            async let first: Void = poller.refresh()
            await serverRefresh?()
            await first
        }
    }

    /// The demo's source: scraping the simulated service over HTTP like any other target.
    static func demo(url: URL, intervalMs: Int64, recorder: RecordingWriter? = nil) throws -> BuiltSource {
        let options = SourceOptions(mode: .scrape([ScrapeTarget(job: DemoOptionGroup.job, url: url.absoluteString)]),
                                    interval: Double(intervalMs) / 1000)
        var built = try build(options, intervalMs: intervalMs, recorder: recorder)
        built.source = NamedSource(built.source, displayName: "demo")
        return built
    }

    private static func build(_ options: SourceOptions, intervalMs: Int64, recorder: RecordingWriter? = nil) throws -> BuiltSource {
        let tls = options.tls
        // Samples are kept for a day (`+` widens graphs up to there, a few bytes per sample), within
        // a budget: many series scraped every second would otherwise grow by hundreds of MB a day
        // (1,500 series at 1 s: about 15 MB an hour). 32 MB of chunks holds the demo's day at 5 s
        // and a few hours of 1,500 series at 1 s; past it the oldest samples go first.
        let memory = MemoryStore(options: StoreOptions(retention: 25 * 3_600_000, maxSealedBytes: Self.historyBudgetBytes))
        // `--record`: the same store, with every scraped batch also written to the recording.
        let storage = StoreScrapeStorage(store: memory, recorder: recorder)
        let source: any QuerySource
        do {
            source = try makeSource(options, storage: { storage })
        } catch {
            throw CLIError("\(error)", status: 64)
        }
        var serverAlerts: (@Sendable () -> [AlertInstance])?
        var recordedSeries: RecordedSeriesInlining?
        var refreshAlerts: (@Sendable () async -> Void)?
        if let prometheus = source as? PrometheusSource {
            let poller = ServerAlertPoller(source: prometheus, intervalMs: intervalMs)
            serverAlerts = { poller.current() }
            refreshAlerts = { await poller.refresh() }
            // The check goes out as written (never rewritten itself); weak: the source owns the rewriter.
            let inlining = RecordedSeriesInlining { [weak prometheus] expr, t in
                await prometheus?.rawInstantQuery(expr, at: t)
                    ?? .failure(QueryFailure(kind: .unavailable, message: "source stopped"))
            }
            prometheus.setQueryRewriter { await inlining.rewrite($0) }
            recordedSeries = inlining
        }
        if case .prometheus = options.mode {
            return BuiltSource(source: source, ruleOutput: nil, serverAlerts: serverAlerts,
                               recordedSeries: recordedSeries, refreshAlerts: refreshAlerts, insecure: tls.insecure,
                               intervalMs: intervalMs)
        }
        return BuiltSource(source: source, ruleOutput: memory, serverAlerts: nil, recordedSeries: nil,
                           refreshAlerts: nil, insecure: tls.insecure, intervalMs: intervalMs)
    }
}

/// Polls a server's `/api/v1/alerts` in the background and keeps the last answer, marked by origin.
final class ServerAlertPoller: Sendable {
    private let latest = Locked<[AlertInstance]>([])
    private let task = Locked<Task<Void, Never>?>(nil)

    private weak let source: PrometheusSource?

    init(source: PrometheusSource, intervalMs: Int64) {
        self.source = source
        let latest = self.latest
        let t = Task.detached { [weak source] in
            while !Task.isCancelled, let source {
                await Self.poll(source, into: latest)
                try? await Task.sleep(nanoseconds: UInt64(max(1000, intervalMs)) * 1_000_000)
            }
        }
        task.set(t)
    }

    /// Polls once now (snapshots draw right after).
    func refresh() async {
        if let source { await Self.poll(source, into: latest) }
    }

    private static func poll(_ source: PrometheusSource, into latest: Locked<[AlertInstance]>) async {
        if case .success(let alerts) = await source.alerts() {
            latest.set(alerts.map { a in
                AlertInstance(name: a.name, state: AlertState(rawValue: a.state) ?? .pending, labels: a.labels,
                              annotations: a.annotations, value: a.value ?? .nan, activeAt: a.activeAt,
                              origin: .server)
            })
        }
    }

    deinit { task.get()?.cancel() }

    func current() -> [AlertInstance] { latest.get() }
}

/// A source shown under another name (the demo's scrape target reads `demo` in the header).
final class NamedSource: QuerySource {
    let displayName: String
    private let inner: any QuerySource

    init(_ inner: any QuerySource, displayName: String) {
        self.inner = inner
        self.displayName = displayName
    }

    func start() { inner.start() }
    func stop() { inner.stop() }
    func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        await inner.instantQuery(expr, at: time)
    }
    func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
        await inner.rangeQuery(expr, start: start, end: end, step: step)
    }
    func targets() -> [TargetStatus] { inner.targets() }
    func serverInfo() -> String? { inner.serverInfo() }
    func setDataHandler(_ handler: @escaping @Sendable () -> Void) { inner.setDataHandler(handler) }
    func evaluationTime(now: Timestamp) -> Timestamp { inner.evaluationTime(now: now) }
}
