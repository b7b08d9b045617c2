import Foundation
import MetricsCore
import Rules
import Synchronization

/// Lookout's own rules evaluated live: a task sleeps until the next group is due (each on its own
/// interval; in embedded mode scrapes evaluate them first) and checks the files for edits every few seconds.
public final class RulesFeed: AlertFeed {
    private let manager: RuleManager
    private let loop = Locked<Task<Void, Never>?>(nil)
    private let loadProblems = Locked<[String]>([])
    private let extra: (@Sendable () -> [AlertInstance])?
    private let recordedSeries: RecordedSeriesInlining?
    private let refreshExtra: (@Sendable () async -> Void)?
    /// Alerting rules' expressions by alert name, for markers on graphs sharing their metrics.
    private let alertExpressions = Locked<[String: String]>([:])
    /// Whether the first evaluation waits for the first scrape (see `RulesAfterFirstScrape`).
    private let opening = OpeningEvaluation()

    /// `extraAlerts` adds alerts from elsewhere (a server's `/api/v1/alerts`, an Alertmanager),
    /// merged in by origin. `recordedSeries` (server mode) is told the recording rules after every
    /// load, so that queries naming a recorded series the server lacks are sent inlined.
    /// `refreshAlerts` asks those other places now (awaited by `evaluateOnce`, before a snapshot).
    public init(manager: RuleManager, extraAlerts: (@Sendable () -> [AlertInstance])? = nil,
                recordedSeries: RecordedSeriesInlining? = nil, refreshAlerts: (@Sendable () async -> Void)? = nil) {
        self.manager = manager
        self.extra = extraAlerts
        self.recordedSeries = recordedSeries
        self.refreshExtra = refreshAlerts
    }

    /// Loads the rule files; on failure the feed runs with no rules and reports why.
    public func load(paths: [String]) async {
        do {
            try await manager.loadFiles(paths)
            loadProblems.withLock { $0 = [] }
            let groups = await manager.loadedGroups()
            recordedSeries?.setRules(groups)
            recordedSeries?.checkSoon()
            alertExpressions.withLock { $0 = Self.alertingExpressions(groups) }
        } catch {
            let text = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            loadProblems.withLock { $0 = ["rules: \(text)"] }
        }
    }

    /// Starts evaluating the groups on their intervals. `firstScrapeWithinMs` (embedded mode): the
    /// first evaluation waits for the first scrape (`scrapeLanded`) instead of running against the
    /// empty store, but no longer than that.
    public func start(clock: WallClock, firstScrapeWithinMs: Int64? = nil) {
        if let wait = firstScrapeWithinMs { opening.wait(until: clock.now() + wait) }
        let manager = self.manager, problems = self.loadProblems, recordedSeries = self.recordedSeries
        let expressions = self.alertExpressions, opening = self.opening
        // Embedded mode: each scrape evaluates the groups due at its stamp (`scrapeLanded`), so the
        // loop only covers scrapes that stopped coming, a little later than the slot.
        let lag = firstScrapeWithinMs == nil ? 0 : Self.scheduleLagMs
        let task = Task.detached {
            var filesCheckedAt = clock.now()
            while !Task.isCancelled {
                let mayRun = opening.scheduleMayRun(now: clock.now())
                if mayRun { _ = await manager.evaluateDue(now: clock.now() - lag) }
                // A wall clock set back counts as time passed, not as a long wait for the next check.
                let sinceCheck = clock.now() - filesCheckedAt
                if sinceCheck >= Self.fileCheckMs || sinceCheck < 0 {
                    filesCheckedAt = clock.now()
                    do {
                        if try await manager.reloadIfChanged() {
                            problems.withLock { $0 = [] }
                            let groups = await manager.loadedGroups()
                            recordedSeries?.setRules(groups)
                            expressions.withLock { $0 = Self.alertingExpressions(groups) }
                        }
                    } catch {
                        let text = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
                        problems.withLock { $0 = ["rules: \(text)"] }
                    }
                }
                // Asleep until the next group is due (past the lag), or the next file check: waking
                // every second found nothing to do four times out of five at a 5 s interval.
                let next = await manager.nextDue(now: clock.now() - lag).map { $0 + lag }
                let ms = Self.sleepMs(now: clock.now(), nextDue: next, waitingForFirstScrape: !mayRun,
                                      nextFileCheck: filesCheckedAt + Self.fileCheckMs)
                try? await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
            }
        }
        loop.withLock { $0 = task }
    }

    public func stop() {
        loop.withLock { t in
            t?.cancel()
            t = nil
        }
    }

    /// Stops the loop and waits for an evaluation it had begun, so that one by `evaluateOnce`
    /// cannot find the manager busy (it would then evaluate nothing).
    public func stopAndWait() async {
        let task = loop.withLock { t in
            defer { t = nil }
            t?.cancel()
            return t
        }
        await task?.value
    }

    /// How long after a slot the loop evaluates it in embedded mode, where the scrape landing at
    /// the slot normally has (a slot taken by the loop a moment before that scrape would evaluate
    /// without it, and apart from the dashboard's batch on it).
    static let scheduleLagMs: Timestamp = 2_000
    /// How often the rule files are checked for edits.
    static let fileCheckMs: Timestamp = 5_000

    /// How long the loop sleeps: until the next group is due or the next file check, at least
    /// 10 ms (a group already due is evaluated by then), and a second at most while the opening
    /// evaluation waits for the first scrape (the loop notices the end of that wait).
    static func sleepMs(now: Timestamp, nextDue: Timestamp?, waitingForFirstScrape: Bool,
                        nextFileCheck: Timestamp) -> Timestamp {
        // While waiting, the groups are due but held back: only the wait's end is worth waking for.
        let until = waitingForFirstScrape ? min(now + 1_000, nextFileCheck) : min(nextDue ?? nextFileCheck, nextFileCheck)
        return min(max(10, until - now), fileCheckMs)
    }

    /// A scrape landed. The first one while `start` waits for it has every group evaluated at `time`
    /// before `notify` runs, so that the refresh `notify` brings shows the rules' outputs; the
    /// groups' own schedule then continues from there. Every later scrape has the groups due at its
    /// stamp evaluated first, on its data: the dashboard's batch that follows sees their outputs,
    /// and its queries find the subexpressions the rules share with it already computed (the
    /// engine's memo is dated by the data, so both must read the same scrape).
    public func scrapeLanded(at time: Timestamp, then notify: @escaping @Sendable () -> Void) {
        let manager = self.manager, opening = self.opening
        guard opening.claim() else {
            guard opening.scheduleMayRun(now: time) else { return notify() }
            Task.detached {
                _ = await manager.evaluateDue(now: time)
                notify()
            }
            return
        }
        Task.detached {
            await manager.evaluateAll(at: time)
            opening.finish()
            notify()
        }
    }

    /// Evaluates every group once now (snapshots, which do not wait for intervals).
    public func evaluateOnce(at time: Timestamp) async {
        async let others: Void = refreshExtra?() ?? ()
        await manager.evaluateAll(at: time)
        await others
    }

    public func currentAlerts() -> [AlertInstance] {
        AlertMerge.merge(own: manager.alerts(), others: extra?() ?? [])
    }

    public func ruleExpressions() -> [String: String] { alertExpressions.withLock { $0 } }

    static func alertingExpressions(_ groups: [RuleGroupDefinition]) -> [String: String] {
        let alerting = groups.flatMap(\.rules).filter { $0.kind == .alerting }.map { ($0.name, $0.expr) }
        return Dictionary(alerting, uniquingKeysWith: { first, _ in first })
    }

    public func problems() -> [String] {
        let failing = manager.ruleStatuses().filter { $0.health == .error }
        let ruleErrors = failing.prefix(1).map { "rule \($0.name): \($0.lastError ?? "error")" }
        return loadProblems.withLock { $0 } + ruleErrors
    }
}

/// A value behind a lock, shareable between tasks (a Mutex cannot be captured).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}

/// Lookout's own alerts with the server's and an Alertmanager's, one entry per label set: the same
/// alert reported by several (a rule loaded in Lookout and in Prometheus, which also sends it to the
/// Alertmanager) is listed once, the one further along (firing over pending), the earlier origin
/// (Lookout, then server, then Alertmanager) on a tie. Silences are listed as they come.
enum AlertMerge {
    static func merge(own: [AlertInstance], others: [AlertInstance]) -> [AlertInstance] {
        var byLabels: [Labels: AlertInstance] = [:]
        var order: [Labels] = []
        var silences: [AlertInstance] = []
        for a in own + others.filter({ $0.origin == .server }) + others.filter({ $0.origin == .alertmanager }) {
            if let existing = byLabels[a.labels] {
                if a.state > existing.state { byLabels[a.labels] = a }
                continue
            }
            order.append(a.labels)
            byLabels[a.labels] = a
        }
        silences = others.filter { $0.origin == .silence }
        return AlertOrdering.sorted(order.compactMap { byLabels[$0] }) + silences
    }
}
