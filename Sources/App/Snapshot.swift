import Foundation
import MetricsCore
import Render

/// `lookout snapshot`: one frame through the same composition as the live screen, no curses.
public enum Snapshot {
    public struct Request: Sendable {
        public var state: AppState
        public var settings: SessionSettings
        public var width: Int
        public var height: Int
        public var caps: TerminalCaps
        /// How long to collect data before drawing (milliseconds).
        public var afterMs: Int64
        /// When the source's history starts (embedded mode: when it started scraping); nil for a server.
        /// `render` fills it in for an embedded source.
        public var historyStart: Timestamp? = nil

        public init(state: AppState, settings: SessionSettings, width: Int, height: Int, caps: TerminalCaps,
                    afterMs: Int64) {
            self.state = state
            self.settings = settings
            self.width = width
            self.height = height
            self.caps = caps
            self.afterMs = afterMs
        }
    }

    /// Starts the source, waits `afterMs`, asks every panel's queries once over the whole range and
    /// draws. The source is stopped before returning.
    public static func render(_ request: Request, source: any QuerySource, alerts: AlertFeed? = nil,
                              clock: WallClock = .system) async -> Buffer {
        source.start()
        var request = request
        if request.historyStart == nil, !source.targets().isEmpty { request.historyStart = clock.now() }
        if request.afterMs > 0 {
            try? await Task.sleep(nanoseconds: UInt64(request.afterMs) * 1_000_000)
        }
        let buffer = await frame(request, source: source, alerts: alerts, now: clock.now(), clock: clock)
        source.stop()
        return buffer
    }

    /// One refill and one frame at `now`, with the source already running. `alertsReady` runs beside
    /// the queries and is awaited before the alerts are read (server mode evaluates the rules then).
    public static func frame(_ request: Request, source: any QuerySource, alerts: AlertFeed?, now: Timestamp,
                             clock: WallClock, utcOffsetSeconds: Int = TimeZone.current.secondsFromGMT(),
                             alertsReady: (@Sendable () async -> Void)? = nil) async -> Buffer {
        async let alertsPrepared: Void = alertsReady?() ?? ()
        var discovered: [String: [String]] = [:]
        if let dashboard = request.state.currentLayout?.dashboard {
            discovered = await Expansion.discover(dashboard, source: source, at: now,
                                                  intervalMs: request.settings.intervalMs, state: request.state)
        }
        var state = request.state
        Expansion.updateRepeats(&state, layout: state.current, intervalMs: request.settings.intervalMs, discovered: discovered)
        let session = SnapshotPlanner(state: state, settings: request.settings, discovered: discovered,
                                      historyStart: request.historyStart)
        // A state looking at the past (`:time`) plans and fetches the window that ends there.
        let windowNow = request.state.windowEnd ?? now
        let plan = session.plan(now: windowNow, width: request.width, height: request.height)
        var data = DashboardData()
        if !plan.isEmpty {
            let fetched = await Fetcher.run(plan, on: source, now: windowNow, clock: clock.now)
            data.apply(fetched, rangeMs: request.state.rangeMs)
        }
        await alertsPrepared
        var facts = ScreenFacts(
            sourceName: source.displayName, intervalMs: request.settings.intervalMs, serverInfo: source.serverInfo(),
            insecure: request.settings.insecure, targets: source.targets(), alerts: alerts?.currentAlerts() ?? [],
            now: now, utcOffsetSeconds: utcOffsetSeconds,
            notices: alerts?.problems() ?? [], demo: request.settings.demo)
        facts.historyStart = request.historyStart
        if let dashboard = state.currentLayout?.dashboard {
            facts.annotationMarkers = await GrafanaAnnotationMarkers.fetch(
                dashboard, source: source, end: windowNow,
                rangeMs: QueryPlanner.window(rangeMs: state.rangeMs, now: windowNow, historyStart: request.historyStart),
                intervalMs: request.settings.intervalMs, expand: session.expander())
        }
        return ScreenComposer.compose(state: state, data: data, plan: plan, facts: facts,
                                      caps: request.caps, width: request.width, height: request.height,
                                      expand: session.expander())
    }
}

/// The planning half of the session, without a terminal.
struct SnapshotPlanner {
    var state: AppState
    var settings: SessionSettings
    var discovered: [String: [String]]
    var historyStart: Timestamp? = nil

    func expander() -> @Sendable (String) -> String {
        Expansion.expander(state: state, intervalMs: settings.intervalMs, discovered: discovered)
    }

    func plan(now: Timestamp, width: Int, height: Int) -> QueryPlan {
        let geo = ScreenComposer.geometry(state, width: width, height: height)
        let expand = expander()
        return QueryPlanner.plan(QueryPlanner.Input(
            panels: Array(zip(geo.panels, geo.rects)).map { ($0.0, $0.1) }, now: now, rangeMs: state.rangeMs,
            expand: expand, refill: true, historyStart: historyStart))
    }
}
