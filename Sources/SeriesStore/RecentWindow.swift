import MetricsCore

/// The decoded recent samples of one series that live queries read again and again: a dashboard
/// asks `rate(x[1m])` of the same few hundred series at every refresh. Kept beside the series'
/// chunks and appended to as its samples arrive, so such a query takes a slice of it under the
/// store's lock. Without it, each read snapshotted the series' chunks and then found, extended and
/// cut their decoded copies in `DecodeCache`: about 1,600 instructions a series, the largest part
/// of the dashboard's steady state.
///
/// Made by the first query that reads the series' recent past (`maxSpan` at most), dropped when
/// queries stop reading it. Only ever touched under the store's lock, which is what keeps its
/// accesses exclusive: the run-time checks Swift makes on a class's properties cost more than the
/// rest of an append.
final class RecentWindow {
    /// Queries reading a longer span (a graph's history) go through `DecodeCache` instead.
    static let maxSpan: Int64 = 300_000
    /// Sample-sized slots (16 bytes) all windows of a store may take before no more are made: about
    /// 4.8 MB, counted as `footprint`s, so that it bounds the memory and not only the samples. Each
    /// window then grows by at most half its span between trims. A dashboard's windows take far
    /// fewer; a huge target's reads beyond it go through `DecodeCache`, which has its own bound.
    static let budget = 300_000
    /// A window's own bookkeeping in slots: the object (72 bytes) and its array's header (32).
    static let overheadSlots = 7

    /// Time-sorted; every sample of the series stamped `from` or later is here.
    @exclusivity(unchecked) private(set) var samples: [Sample]
    @exclusivity(unchecked) private(set) var from: Timestamp
    /// Staleness markers among `samples`: a window is handed out as free of them when there are none.
    @exclusivity(unchecked) private(set) var stale: Int
    /// The newest sample lower than the one before it (a counter reset), `.min` when there is none:
    /// a slice that starts at or after it holds no decrease, and `rate` skips its loop over the pairs.
    /// Comparing as `rate` does, so NaNs (staleness markers among them) never count.
    @exclusivity(unchecked) private(set) var lastDecrease: Timestamp
    /// The longest span a query has read here (`maxt - mint`): what appends keep.
    @exclusivity(unchecked) private(set) var span: Int64
    /// The newest `maxt` read: a window not read for a while is let go (`append`).
    @exclusivity(unchecked) private(set) var readUntil: Timestamp

    /// Decodes the series' chunks that reach `mint` or later (whole chunks: the start of the first
    /// is kept too, and later appends trim it).
    init(sealed: [XORChunk], head: XORChunk, mint: Timestamp, maxt: Timestamp) {
        var first = sealed.endIndex
        while first > sealed.startIndex, sealed[first - 1].maxT >= mint { first -= 1 }
        // Chunks do not overlap: nothing lies between the last chunk left out and the first taken.
        from = first > sealed.startIndex ? sealed[first - 1].maxT + 1 : .min
        var decoded: [Sample] = []
        // Room for half as many appends again before the array grows: a window of a series read
        // once (a query over a whole large target) stays near its samples' size.
        let count = sealed[first...].reduce(head.count) { $0 + $1.count }
        decoded.reserveCapacity(count + max(count / 2, 4))
        for chunk in sealed[first...] { _ = chunk.decodeAll(from: XORCursor(), into: &decoded) }
        if head.count > 0 { _ = head.decodeAll(from: XORCursor(), into: &decoded) }
        samples = decoded
        stale = DecodeCache.staleCount(decoded[...])
        lastDecrease = .min
        for k in decoded.indices.dropFirst() where decoded[k].v < decoded[k - 1].v { lastDecrease = decoded[k].t }
        span = maxt - mint
        readUntil = maxt
    }

    /// Whether a read of `mint...maxt` is short enough to be served by a window (timestamps come
    /// from outside, so the span is worked out without overflowing).
    static func isShort(mint: Timestamp, maxt: Timestamp) -> Bool {
        let (span, overflow) = maxt.subtractingReportingOverflow(mint)
        return !overflow && span >= 0 && span <= maxSpan
    }

    /// What the window takes, in sample-sized slots: its array's capacity (a trim keeps it) and
    /// its bookkeeping. What the store counts against `budget`.
    var footprint: Int { samples.capacity + Self.overheadSlots }

    /// Whether a short read (`isShort`) of `mint...maxt` can be served from here.
    func covers(mint: Timestamp) -> Bool { mint >= from }

    /// Whether `slice` (from `read`) may hold a sample lower than the one before it.
    func mayDecrease(_ slice: ArraySlice<Sample>) -> Bool {
        guard let first = slice.first else { return false }
        return lastDecrease > first.t
    }

    /// The samples in `mint...maxt` (`covers` must hold), as a slice of `samples`.
    func read(mint: Timestamp, maxt: Timestamp) -> ArraySlice<Sample> {
        span = max(span, maxt - mint)
        readUntil = max(readUntil, maxt)
        return samples[DecodeCache.bounds(samples[...], mint: mint, maxt: maxt)]
    }

    /// How far back appends keep samples: the span read, and room for a query a little behind the
    /// newest data (a rule group evaluates at the start of its interval).
    private var keep: Int64 { span + max(span / 2, 15_000) }

    /// Takes the sample the series just appended. False when no query has read the window for
    /// long enough that it should go (it is then left as it was).
    func append(_ sample: Sample) -> Bool {
        let (unread, overflow) = sample.t.subtractingReportingOverflow(readUntil)
        if overflow || unread > max(2 * keep, 120_000) { return false }
        if let last = samples.last, sample.v < last.v { lastDecrease = sample.t }
        samples.append(sample)
        if sample.v.bitPattern == StaleNaN.bits { stale += 1 }
        // Trimmed in batches (once half a `keep` is spare), not by one sample per append.
        let (cutoff, early) = sample.t.subtractingReportingOverflow(keep)
        if !early, let oldest = samples.first?.t {
            let (spare, huge) = cutoff.subtractingReportingOverflow(oldest)
            if huge || spare > keep / 2 { drop(before: cutoff) }
        }
        return true
    }

    /// The series lost its samples up to `t` (an expired chunk): so does the window.
    func dropThrough(_ t: Timestamp) {
        guard t >= from, t < .max else { return }
        drop(before: t + 1)
    }

    /// Drops the samples stamped before `cutoff`.
    private func drop(before cutoff: Timestamp) {
        guard cutoff > .min else { return }
        let n = DecodeCache.bounds(samples[...], mint: .min, maxt: cutoff - 1).count
        from = max(from, cutoff)
        guard n > 0 else { return }
        stale -= DecodeCache.staleCount(samples[..<n])
        samples.removeSubrange(..<n)
    }
}

/// The store's side of its series' windows: each change to a series' samples is passed on, and
/// `recentSlots` follows what the windows take.
extension StoreState {
    mutating func appendToRecent(_ i: Int, _ sample: Sample) {
        guard let window = series[i].recent else { return }
        let before = window.footprint
        if window.append(sample) { recentSlots += window.footprint - before } else { dropRecent(i) }
    }

    mutating func dropFromRecent(_ i: Int, through t: Timestamp) {
        guard let window = series[i].recent else { return }
        let before = window.footprint
        window.dropThrough(t)
        recentSlots += window.footprint - before
    }

    mutating func dropRecent(_ i: Int) {
        recentSlots -= series[i].recent?.footprint ?? 0
        series[i].recent = nil
    }
}
