import MetricsCore
import Synchronization

/// Embedded mode: the rules' opening evaluation waits for the first scrape, and the dashboard hears
/// of that scrape only once the rules have been evaluated on it. Otherwise the first evaluation runs
/// against the empty store at launch and the next one a whole group interval later, and every panel
/// showing a recording rule's output (the executive layout's Health score) stays empty until then.
///
/// Wraps the source the dashboard is given; everything but the data handler passes through.
public final class RulesAfterFirstScrape: QuerySource {
    private let inner: any QuerySource
    private let feed: RulesFeed
    private let clock: WallClock

    public init(_ inner: any QuerySource, feed: RulesFeed, clock: WallClock = .system) {
        self.inner = inner
        self.feed = feed
        self.clock = clock
    }

    public var displayName: String { inner.displayName }
    public func start() { inner.start() }
    public func stop() { inner.stop() }
    public func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        await inner.instantQuery(expr, at: time)
    }
    public func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
        await inner.rangeQuery(expr, start: start, end: end, step: step)
    }
    public func targets() -> [TargetStatus] { inner.targets() }
    public func serverInfo() -> String? { inner.serverInfo() }
    public func evaluationTime(now: Timestamp) -> Timestamp { inner.evaluationTime(now: now) }

    /// The opening evaluation runs at the instant the dashboard asks its values at (the scrape's
    /// stamp in embedded mode): outputs stamped later than that would not be seen until the next scrape.
    public func setDataHandler(_ handler: @escaping @Sendable () -> Void) {
        let feed = self.feed, clock = self.clock, inner = self.inner
        inner.setDataHandler { feed.scrapeLanded(at: inner.evaluationTime(now: clock.now()), then: handler) }
    }
}

/// Who evaluates first: the feed's loop on the groups' schedule, or the first scrape's handler.
/// One mutex decides, so the opening evaluation runs once and never beside a scheduled one.
final class OpeningEvaluation: Sendable {
    private enum Phase: Sendable {
        /// No scrape yet: the loop does not evaluate until `until` (then gives up waiting).
        case waiting(until: Timestamp)
        /// The first scrape's handler is evaluating every group.
        case evaluating
        /// The groups' own schedule runs.
        case open
    }

    /// Open unless told to wait: server mode and snapshots evaluate on the schedule from the start.
    private let phase = Mutex(Phase.open)

    /// From `RulesFeed.start`, before its loop runs.
    func wait(until: Timestamp) { phase.withLock { $0 = .waiting(until: until) } }

    /// For the loop: whether the schedule may evaluate now. Past the wait's end it opens for good
    /// (a target that never answers must not hold the rules back for ever).
    func scheduleMayRun(now: Timestamp) -> Bool {
        phase.withLock { p in
            switch p {
            case .open: return true
            case .evaluating: return false
            case .waiting(let until):
                guard now >= until else { return false }
                p = .open
                return true
            }
        }
    }

    /// For the data handler: true exactly once, for the first scrape that lands while waiting.
    func claim() -> Bool {
        phase.withLock { p in
            guard case .waiting = p else { return false }
            p = .evaluating
            return true
        }
    }

    func finish() { phase.withLock { $0 = .open } }
}
