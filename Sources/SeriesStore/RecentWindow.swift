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
    /// Samples all windows of a store may hold before no more are made (about 4.8 MB; each then
    /// grows by at most half its span between trims). A dashboard's windows hold far fewer; a huge
    /// target's reads beyond it go through `DecodeCache`, which has its own bound.
    static let budget = 300_000

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
        // Room for the appends until the first trim, so that they do not reallocate.
        let count = sealed[first...].reduce(head.count) { $0 + $1.count }
        decoded.reserveCapacity(count + max(count / 2, 32))
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

    /// Takes the sample the series just appended; returns by how many samples the window grew
    /// (less than one after a trim). Nil when no query has read the window for long enough that it
    /// should go (it is then left as it was).
    func append(_ sample: Sample) -> Int? {
        let (unread, overflow) = sample.t.subtractingReportingOverflow(readUntil)
        if overflow || unread > max(2 * keep, 120_000) { return nil }
        if let last = samples.last, sample.v < last.v { lastDecrease = sample.t }
        samples.append(sample)
        if sample.v.bitPattern == StaleNaN.bits { stale += 1 }
        // Trimmed in batches (once half a `keep` is spare), not by one sample per append.
        let (cutoff, early) = sample.t.subtractingReportingOverflow(keep)
        if !early, let oldest = samples.first?.t {
            let (spare, huge) = cutoff.subtractingReportingOverflow(oldest)
            if huge || spare > keep / 2 { return 1 - drop(before: cutoff) }
        }
        return 1
    }

    /// The series lost its samples up to `t` (an expired chunk): so does the window.
    /// Returns how many samples went.
    func dropThrough(_ t: Timestamp) -> Int {
        guard t >= from, t < .max else { return 0 }
        return drop(before: t + 1)
    }

    /// Drops the samples stamped before `cutoff`; returns how many went.
    private func drop(before cutoff: Timestamp) -> Int {
        guard cutoff > .min else { return 0 }
        let n = DecodeCache.bounds(samples[...], mint: .min, maxt: cutoff - 1).count
        from = max(from, cutoff)
        guard n > 0 else { return 0 }
        stale -= DecodeCache.staleCount(samples[..<n])
        samples.removeSubrange(..<n)
        return n
    }
}

/// The store's side of its series' windows: each change to a series' samples is passed on, and
/// `recentSamples` follows what the windows hold.
extension StoreState {
    mutating func appendToRecent(_ i: Int, _ sample: Sample) {
        if let grown = series[i].recent?.append(sample) { recentSamples += grown } else { dropRecent(i) }
    }

    mutating func dropFromRecent(_ i: Int, through t: Timestamp) {
        recentSamples -= series[i].recent?.dropThrough(t) ?? 0
    }

    mutating func dropRecent(_ i: Int) {
        recentSamples -= series[i].recent?.samples.count ?? 0
        series[i].recent = nil
    }
}
