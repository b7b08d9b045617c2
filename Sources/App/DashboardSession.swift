import Foundation
import Layouts
import Logging
import MetricsCore
import PromQL
import Render
import TerminalBackend

/// Settings of a live dashboard that do not change while it runs.
public struct SessionSettings: Sendable {
    public var intervalMs: Int64
    public var bell: Bool
    public var insecure: Bool
    public var demo: Bool
    /// Where `y` copies an expression; nil (the default) means copying is off.
    public var copyTarget: CopyTarget?

    public init(intervalMs: Int64, bell: Bool = false, insecure: Bool = false, demo: Bool = false,
                copyTarget: CopyTarget? = nil) {
        self.intervalMs = max(100, intervalMs)
        self.bell = bell
        self.insecure = insecure
        self.demo = demo
        self.copyTarget = copyTarget
    }
}

/// The live dashboard: one thread runs this loop, sleeping in the kernel between events.
/// It redraws when data arrives, on input, on resize, and once a second for the clock; it refreshes
/// every interval (or as soon as the source says a scrape finished) with one query batch in flight.
public final class DashboardSession {
    public private(set) var state: AppState
    public private(set) var data = DashboardData()
    private let source: any QuerySource
    private let settings: SessionSettings
    private let alerts: AlertFeed?
    private let demo: DemoControl?
    private let clock: WallClock
    private let logger: Logger
    private var layoutReloads: LayoutReloads
    private let mailbox = Mailbox()

    private var schedule: RefreshSchedule
    private var clockFrames = ClockFrames()
    /// A scrape landed: it needs a frame only if no batch will bring answers after it.
    private var scrapeLanded = false
    private var firingNames: Set<String> = []
    /// Values of `label_values` variables found by the source, per layout index.
    private var discoveredValues: [Int: [String: [String]]] = [:]
    private var dirty = true
    /// When the source started (embedded mode has no older data), for the step of long ranges.
    private var sourceStartedAt: Timestamp?
    private var investigation = InvestigationMemory()
    /// Events of each layout's Grafana annotation queries, from the last refresh.
    private var annotationMarkers: [Int: [TimeMarker]] = [:]
    /// `lookout replay`: the clock the speed keys and `p` steer.
    private let replay: ReplayControl?
    private var planCache = PlanCache()
    private var codeTrim = SettledCodeTrim()

    public init(state: AppState, source: any QuerySource, settings: SessionSettings, alerts: AlertFeed? = nil,
                demo: DemoControl? = nil, clock: WallClock = .system, logger: Logger = Logger(label: "lookout"),
                replay: ReplayControl? = nil) {
        self.state = state
        self.replay = replay
        self.source = source
        self.settings = settings
        schedule = RefreshSchedule(intervalMs: settings.intervalMs)
        self.alerts = alerts
        self.demo = demo
        self.clock = clock
        self.logger = logger
        layoutReloads = LayoutReloads(layouts: state.layouts)
    }

    /// Runs until the user quits or a termination signal arrives; returns the exit status.
    /// The terminal is restored before returning, whatever happened.
    public func run(on terminal: Terminal) -> Int32 {
        defer { terminal.close() }
        let wake = terminal.wakePipe
        let mailbox = self.mailbox
        source.setDataHandler { mailbox.noteData(); wake.wake() }
        source.start()
        sourceStartedAt = clock.now()
        defer { source.stop() }
        logger.info("dashboard started", metadata: ["source": "\(source.displayName)"])
        let caps = TerminalCaps(unicode: terminal.isUTF8, colors: terminal.colorDepth.rawValue)
        var exitStatus: Int32?
        while exitStatus == nil {
            let now = clock.now()
            absorbMail(now: now)
            pollLayoutFiles(now: now)
            syncRepeats()
            maybeRefresh(now: now, width: terminal.width, height: terminal.height, wake: wake)
            if scrapeLanded && !schedule.inFlight { dirty = true }
            scrapeLanded = false
            if dirty || clockFrames.due(now: now, schedule: schedule, paused: state.paused) {
                let frame = compose(now: now, width: terminal.width, height: terminal.height, caps: caps)
                ringBellIfNewlyFiring(terminal)
                terminal.draw(frame)
                dirty = false
                clockFrames.drew(at: now)
                if let outcome = codeTrim.afterFrame(now: now, startedAt: sourceStartedAt) {
                    logger.debug("code pages trimmed", metadata: ["mappings": "\(outcome.trimmed)", "refused": "\(outcome.refused)"])
                }
            }
            let wakeAt = clockFrames.nextCheck(now: clock.now(), schedule: schedule, paused: state.paused)
            let events = terminal.waitForEvents(timeoutMs: schedule.timeout(now: clock.now(), paused: state.paused,
                                                                            clockFrameAt: wakeAt))
            for event in events {
                if case .signal(let s) = event, s != .interrupt {
                    logger.info("terminating on signal", metadata: ["signal": "\(s)"])
                    exitStatus = s.exitStatus
                    break
                }
                if case .resize = event {
                    // New widths mean new steps: fetch the histories for them now, not at the next tick.
                    dirty = true
                    schedule.request(refill: true)
                }
                if case .wake = event { continue }
                // An open prompt takes every key; outside it the key map decides.
                let promptKey: Command? = if state.prompt != nil, case .key(let k) = event { .promptKey(k) } else { nil }
                guard let command = promptKey ?? KeyMap.command(for: event) else { continue }
                let geo = ScreenComposer.geometry(state, width: terminal.width, height: terminal.height)
                var context = ReduceContext(panelRects: geo.selectableRects, variableOptions: variableOptions())
                let clockNow = clock.now()
                investigation.fill(&context, state: state, geo: geo, data: data, now: clockNow,
                                   utcOffsetSeconds: TimeZone.current.secondsFromGMT(),
                                   windowMs: QueryPlanner.window(rangeMs: state.rangeMs, now: clockNow, historyStart: historyStart),
                                   annotations: annotationMarkers[state.current] ?? [])
                if state.currentView.zoomed != nil || state.explore != nil {
                    let plan = cachedPlan(now: state.windowEnd ?? clockNow, width: terminal.width, height: terminal.height, refill: nil)
                    context.legendNames = Investigation.legendNames(state: state, geo: geo, plan: plan, data: data,
                                                                    now: clockNow, intervalMs: settings.intervalMs)
                }
                let effects = Reducer.reduce(&state, command, context: context)
                syncRepeats()
                if command == .togglePause { replay?.setPaused(state.paused) }
                for effect in effects {
                    switch effect {
                    case .quit: exitStatus = 0
                    case .refresh(let refill): schedule.request(refill: refill)
                    case .setScenario(let name): demo?.setScenario(named: name)
                    case .appendHistory(let line): investigation.remember(line)
                    case .savePanel(let name, let expr): state.showMessage(SavedPanels.append(name: name, expr: expr))
                    case .copyExpression:
                        state.showMessage(Clipboard.copy(investigation.inspectedExpression(state, geo: geo, expand: expander()),
                                                         to: settings.copyTarget, terminal: terminal))
                    case .saveFrame:
                        let frame = compose(now: clock.now(), width: terminal.width, height: terminal.height,
                                            caps: FrameSaver.format.caps(localeIsUTF8: true))
                        state.showMessage(FrameSaver.save(frame, at: clock.now()))
                    case .replaySpeed(let steps): replay?.changeSpeed(by: steps)
                    }
                }
                investigation.askForCompletions(state, source: source, mailbox: mailbox, wake: wake, now: clock.now())
                dirty = true
            }
        }
        logger.info("dashboard stopped")
        return exitStatus ?? 0
    }

    private func absorbMail(now: Timestamp) {
        let (results, dataArrived, variables, vocabulary) = mailbox.take()
        for (layout, markers) in mailbox.takeAnnotations() where annotationMarkers[layout] != markers {
            annotationMarkers[layout] = markers
            dirty = true
        }
        if let vocabulary {
            investigation.vocabulary.merge(vocabulary)
            dirty = true
        }
        for (layout, found) in variables where found != discoveredValues[layout] {
            logger.debug("variable values found", metadata: ["layout": "\(layout)", "values": "\(found)"])
            discoveredValues[layout] = found
            // Values that were unknown when the plan was made: ask again with them (only when there
            // are some, so that an empty store does not turn into a query loop).
            if found.values.contains(where: { !$0.isEmpty }) { schedule.request(refill: true) }
        }
        for r in results {
            data.apply(r, rangeMs: state.rangeMs)
            guard !r.partial else { dirty = true; continue }
            investigation.lastBatchMs = r.finishedAt - (investigation.batchStartedAt ?? r.finishedAt)
            schedule.finished()
            dirty = true
            for (request, outcome) in r.ranges {
                if case .failure(let f) = outcome.result {
                    logger.debug("range query failed", metadata: ["expr": "\(request.expr)", "error": "\(f)"])
                }
            }
        }
        if dataArrived { schedule.dataArrived(now: now) }
        if results.isEmpty && dataArrived { scrapeLanded = true }
    }

    private func maybeRefresh(now: Timestamp, width: Int, height: Int, wake: WakePipe) {
        let (refill, started) = schedule.start(now: now, paused: state.paused)
        guard started else { return }
        let layoutIndex = state.current
        let dashboard = state.currentLayout?.dashboard
        // Label values are looked up on every refill, and on every refresh while some are still
        // unknown (the store is empty until the first scrapes).
        let known = discoveredValues[layoutIndex] ?? [:]
        let needsDiscovery = Expansion.needsDiscovery(dashboard, known: known, refill: refill)
        // Looking at the past: the window ends there, and its answers do not change, so instants
        // already answered are not asked again (the ranges planner already asks only what is missing).
        // Live, the source says which instant is "now" (the newest scrape's, in embedded mode).
        let windowNow = state.windowEnd ?? source.evaluationTime(now: now)
        var plan = cachedPlan(now: windowNow, width: width, height: height, refill: refill)
        plan = Investigation.missingOnly(plan, travelled: state.windowEnd != nil, refill: refill, data: data)
        investigation.batchStartedAt = now
        data.touch(plan, at: now)
        // Answers not used for ten minutes (a layout long left) are forgotten.
        data.forget(unusedSince: now - 600_000)
        guard !plan.isEmpty || needsDiscovery else {
            schedule.finished()
            return
        }
        let source = self.source, mailbox = self.mailbox, clock = self.clock
        let stateNow = state, intervalMs = settings.intervalMs
        let expand = expander(), window = QueryPlanner.window(rangeMs: state.rangeMs, now: windowNow, historyStart: historyStart)
        // A refill (opening, layout switch, resize) draws its values before its histories.
        let early = refill ? mailbox.poster(waking: wake) : nil
        Task.detached {
            if needsDiscovery, let dashboard {
                mailbox.post(variables: await Expansion.discover(dashboard, source: source, at: now, intervalMs: intervalMs,
                                                                 state: stateNow), layout: layoutIndex)
            }
            let result = await Fetcher.run(plan, on: source, now: windowNow, clock: clock.now, instantsFirst: early)
            if let dashboard, !dashboard.annotations.isEmpty {
                mailbox.post(annotations: await GrafanaAnnotationMarkers.fetch(
                    dashboard, source: source, end: windowNow, rangeMs: window, intervalMs: intervalMs, expand: expand),
                             layout: layoutIndex)
            }
            mailbox.post(result)
            wake.wake()
        }
    }

    /// The plan at `now`, planned again only when `PlanCache.Key` changed; without `refill`, the bindings alone.
    private func cachedPlan(now: Timestamp, width: Int, height: Int, refill: Bool?) -> QueryPlan {
        let key = PlanCache.Key(state, width: width, height: height, now: now, historyStart: historyStart,
                                discovered: discoveredValues[state.current] ?? [:])
        let input = { PlanCache.input(key, now: now, expand: self.expander(), historyStart: self.historyStart) }
        guard let refill else { return planCache.bindings(for: key, input: input) }
        return planCache.plan(for: key, now: now, historyEnds: data.historyEnds, refill: refill, historyStart: historyStart, input: input)
    }

    /// Embedded mode keeps what it scraped since the source started: nothing older exists (nil for a server).
    var historyStart: Timestamp? { source.targets().isEmpty ? nil : sourceStartedAt }

    func expander() -> @Sendable (String) -> String {
        Expansion.expander(state: state, intervalMs: settings.intervalMs, discovered: discoveredValues[state.current] ?? [:])
    }

    /// A repeated panel is drawn once per selected value: the values follow the source's answers and the user's choice.
    private func syncRepeats() {
        Expansion.updateRepeats(&state, layout: state.current, intervalMs: settings.intervalMs,
                                discovered: discoveredValues[state.current] ?? [:])
    }

    func variableOptions() -> [(name: String, values: [String])] {
        guard let dashboard = state.currentLayout?.dashboard else { return [] }
        return Expansion.options(for: dashboard, discovered: discoveredValues[state.current] ?? [:])
    }

    private func compose(now: Timestamp, width: Int, height: Int, caps: TerminalCaps) -> Buffer {
        let plan = cachedPlan(now: state.windowEnd ?? now, width: width, height: height, refill: nil)
        var facts = ScreenFacts(
            sourceName: source.displayName, intervalMs: settings.intervalMs, serverInfo: source.serverInfo(),
            insecure: settings.insecure, targets: source.targets(), alerts: alerts?.currentAlerts() ?? [],
            now: now, utcOffsetSeconds: TimeZone.current.secondsFromGMT(),
            notices: layoutReloads.notices.values.sorted() + (alerts?.problems() ?? []), demo: settings.demo)
        investigation.describe(&facts, state: state, alerts: alerts, copyTarget: settings.copyTarget)
        facts.historyStart = historyStart
        facts.annotationMarkers = annotationMarkers[state.current] ?? []
        return ScreenComposer.compose(state: state, data: data, plan: plan, facts: facts, caps: caps,
                                      width: width, height: height, expand: expander())
    }

    /// Layout files edited on disk (see `LayoutReloads`); a reloaded layout asks for its queries again.
    private func pollLayoutFiles(now: Timestamp) {
        let (changed, reloaded) = layoutReloads.poll(now: now, layouts: &state.layouts, logger: logger)
        if reloaded { schedule.request(refill: true) }
        if changed { dirty = true }
    }

    private func ringBellIfNewlyFiring(_ terminal: Terminal) {
        guard let alerts else { return }
        let firing = Set(alerts.currentAlerts().filter { $0.state == .firing }.map(\.name))
        if settings.bell && !firing.subtracting(firingNames).isEmpty { terminal.bell() }
        firingNames = firing
    }
}
