import MetricsCore

/// When the clock alone asks for a frame: the header's age and the graphs' windows move with time,
/// so a dashboard with nothing new still redraws once a second. Counted from the last frame of any
/// kind, and held back a little while a batch is out or about to start, since its answers draw the
/// new second anyway: at a one-second interval that is one frame a second instead of two (the
/// clock's and the answers'), at any phase of the scrapes against the clock. Pure, for tests.
public struct ClockFrames: Sendable {
    /// How long the clock waits for answers that are on their way before drawing without them.
    public static let graceMs: Int64 = 250
    public private(set) var lastFrame: Timestamp = Timestamp.min / 2

    public init() {}

    public mutating func drew(at now: Timestamp) { lastFrame = now }

    /// Whether the clock wants a frame at `now`.
    public func due(now: Timestamp, schedule: RefreshSchedule, paused: Bool) -> Bool {
        let since = now - lastFrame
        guard since >= 1000 else { return false }
        if since >= 1000 + Self.graceMs || paused { return true }
        // A batch out for a while is late: draw the clock without waiting for it.
        if schedule.inFlight { return now - schedule.lastStart >= Self.graceMs }
        return schedule.lastStart + schedule.intervalMs - now > Self.graceMs
    }

    /// When to look again: the second after the last frame, or the end of the grace when the frame
    /// would be held then (answers arriving earlier wake the loop themselves). Asked before the
    /// second is up, so that a second whose frame waits for a scrape about to land costs no wake-up
    /// of its own (one of three a second at a one-second interval, when scrapes land after the clock).
    public func nextCheck(now: Timestamp, schedule: RefreshSchedule, paused: Bool) -> Timestamp {
        let base = lastFrame + 1000
        return now < base && due(now: base, schedule: schedule, paused: paused) ? base : base + Self.graceMs
    }
}
