import MetricsCore

/// When the dashboard asks the source again. Pure, so the "no busy loop" promise can be tested:
/// one batch in flight at most, one per interval, sooner when a scrape finishes or the user asks,
/// and a wait that is never zero.
public struct RefreshSchedule: Sendable {
    public let intervalMs: Int64
    public private(set) var inFlight = false
    /// The next batch reloads every history (open, layout switch, range change, resize...).
    public private(set) var pendingRefill = true
    /// Start at the next turn of the loop instead of waiting for the interval.
    public private(set) var forced = false
    public private(set) var lastStart: Timestamp = Timestamp.min / 2
    /// Whether any scrape has finished yet: the opening batch ran against an empty store.
    public private(set) var hadData = false

    public init(intervalMs: Int64) {
        self.intervalMs = max(1, intervalMs)
    }

    public mutating func request(refill: Bool) {
        pendingRefill = pendingRefill || refill
        forced = true
    }

    /// A scrape finished: refresh now rather than at the next tick, unless one started a moment ago
    /// (but always for the first scrape: the opening batch found nothing, and start-up would
    /// otherwise show no data for a whole interval).
    public mutating func dataArrived(now: Timestamp) {
        if now - lastStart >= intervalMs / 2 || !hadData { forced = true }
        hadData = true
    }

    /// When the interval alone starts the next batch. A source that says when its scrapes finish
    /// (embedded mode, once it has) starts each batch itself, so the interval is then only the
    /// fallback, half an interval later: a timer firing a moment before the scrape landed asked for
    /// the old data, and the new data waited a whole interval (with an extra frame for it).
    public var nextTimedStart: Timestamp { lastStart + intervalMs + (hadData ? intervalMs / 2 : 0) }

    /// Whether a batch starts now, and if so whether it is a refill. Paused dashboards only
    /// fetch when a refill was asked for (`r`, a layout switch).
    public mutating func start(now: Timestamp, paused: Bool) -> (refill: Bool, started: Bool) {
        guard !inFlight else { return (false, false) }
        if paused && !pendingRefill { return (false, false) }
        guard now >= nextTimedStart || forced || pendingRefill else { return (false, false) }
        let refill = pendingRefill
        pendingRefill = false
        forced = false
        lastStart = now
        inFlight = true
        return (refill, true)
    }

    /// The batch answered (or there was nothing to ask).
    public mutating func finished() { inFlight = false }

    /// Milliseconds to sleep: until the clock wants a frame (`clockFrameAt`, see `ClockFrames`) or
    /// the next refresh, at least 10.
    public func timeout(now: Timestamp, paused: Bool, clockFrameAt: Timestamp) -> Int32 {
        var next = clockFrameAt
        if !paused && !inFlight { next = min(next, nextTimedStart) }
        // Something to start right away, if it can start (never while a batch is out, and a
        // paused dashboard only for a refill): otherwise this would spin at the 10 ms floor.
        if !inFlight && (pendingRefill || (forced && !paused)) { next = now }
        return Int32(clamping: max(10, next - now))
    }
}
