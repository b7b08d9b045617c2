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
    var insecure: Bool
    var intervalMs: Int64
}

enum SourceWiring {
    /// The source named by the flags, else an error that says what to pass.
    static func make(_ options: SourceOptionGroup, intervalMs: Int64) throws -> BuiltSource {
        let mode: SourceOptions.Mode
        if let url = options.prometheus {
            mode = .prometheus(url: url)
        } else if !options.scrape.isEmpty {
            var targets: [ScrapeTarget] = []
            for text in options.scrape {
                do { targets.append(try ScrapeTarget.parse(text)) } catch { throw CLIError("--scrape: \(error)", status: 64) }
            }
            mode = .scrape(targets)
        } else {
            throw CLIError("""
                no data source: pass --prometheus URL or --scrape [JOB=]URL.
                Try `lookout demo` to see Lookout on a simulated service.
                """, status: 64)
        }
        let credentials = Credentials(bearerTokenFile: options.bearerTokenFile, basicAuthUser: options.basicAuthUser,
                                      basicAuthPasswordFile: options.basicAuthPasswordFile)
        return try build(mode: mode, intervalMs: intervalMs,
                         tls: TLSOptions(caFile: options.caFile, insecure: options.insecure), credentials: credentials)
    }

    /// The demo's source: scraping the simulated service over HTTP like any other target.
    static func demo(url: URL, intervalMs: Int64) throws -> BuiltSource {
        var built = try build(mode: .scrape([ScrapeTarget(job: DemoOptionGroup.job, url: url.absoluteString)]),
                              intervalMs: intervalMs, tls: TLSOptions(), credentials: Credentials())
        built.source = NamedSource(built.source, displayName: "demo")
        return built
    }

    private static func build(mode: SourceOptions.Mode, intervalMs: Int64, tls: TLSOptions,
                              credentials: Credentials) throws -> BuiltSource {
        let options = SourceOptions(mode: mode, interval: Double(intervalMs) / 1000, tls: tls, credentials: credentials)
        // Samples are kept for a day: `+` widens graphs up to there (a few bytes per sample).
        let memory = MemoryStore(options: StoreOptions(retention: 25 * 3_600_000))
        let storage = StoreScrapeStorage(store: memory)
        let source: any QuerySource
        do {
            source = try makeSource(options, storage: { storage })
        } catch {
            throw CLIError("\(error)", status: 64)
        }
        var serverAlerts: (@Sendable () -> [AlertInstance])?
        if let prometheus = source as? PrometheusSource {
            let poller = ServerAlertPoller(source: prometheus, intervalMs: intervalMs)
            serverAlerts = { poller.current() }
        }
        if case .prometheus = mode {
            return BuiltSource(source: source, ruleOutput: nil, serverAlerts: serverAlerts, insecure: tls.insecure,
                               intervalMs: intervalMs)
        }
        return BuiltSource(source: source, ruleOutput: memory, serverAlerts: nil, insecure: tls.insecure,
                           intervalMs: intervalMs)
    }
}

/// Polls a server's `/api/v1/alerts` in the background and keeps the last answer, marked by origin.
final class ServerAlertPoller: Sendable {
    private let latest = Locked<[AlertInstance]>([])
    private let task = Locked<Task<Void, Never>?>(nil)

    init(source: PrometheusSource, intervalMs: Int64) {
        let latest = self.latest
        let t = Task.detached { [weak source] in
            while !Task.isCancelled, let source {
                if case .success(let alerts) = await source.alerts() {
                    latest.set(alerts.map { a in
                        AlertInstance(name: a.name, state: AlertState(rawValue: a.state) ?? .pending, labels: a.labels,
                                      annotations: a.annotations, value: a.value ?? .nan, activeAt: a.activeAt,
                                      origin: .server)
                    })
                }
                try? await Task.sleep(nanoseconds: UInt64(max(1000, intervalMs)) * 1_000_000)
            }
        }
        task.set(t)
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
}
