import MetricsCore

/// When the embedded scraper scrapes, and the time it gives the samples: whole multiples of the
/// interval on the wall clock (a 1 s interval scrapes at every whole second), like Prometheus'
/// aligned scrape timestamps. Every target of a cycle then carries the same timestamp, and the
/// dashboard can ask its panels' values at that very instant (`EmbeddedSource.evaluationTime`):
/// the newest data there is, and the same instant as the graphs' newest step, so a table's
/// `rate(…)` and the graph's are one evaluation instead of two.
struct ScrapeGrid: Sendable {
    let intervalMs: Int64

    init(intervalMs: Int64) { self.intervalMs = max(1, intervalMs) }

    /// The next grid time after a cycle that ended at `now` and was stamped `previous`: the first
    /// multiple of the interval after `now` that is at least a whole interval after `previous`. The
    /// opening scrape runs at once, off the grid; a grid scrape a fraction of an interval after it
    /// would give rates over a short first gap (the demo's incident saw its error ratio cross 1 %
    /// and the Health score jump within two seconds of starting). A cycle longer than the interval
    /// skips the slots it missed.
    func next(after now: Timestamp, previous: Timestamp) -> Timestamp {
        var next = (now / intervalMs + 1) * intervalMs
        while next - previous < intervalMs { next += intervalMs }
        return next
    }

    /// The timestamp of a scrape meant for `slot` that starts at `now`: the slot itself unless the
    /// process woke far too late for it (suspended, or a starved machine), then the actual time.
    func stamp(slot: Timestamp, now: Timestamp) -> Timestamp {
        now - slot <= intervalMs / 2 ? slot : now
    }

    /// The time to evaluate "now" at, given the newest cycle's stamp: that stamp while it is recent
    /// (within two intervals: the next cycle may still be on its way), otherwise `now`.
    func evaluationTime(now: Timestamp, newest: Timestamp?) -> Timestamp {
        guard let newest, newest <= now, now - newest <= 2 * intervalMs else { return now }
        return newest
    }
}
