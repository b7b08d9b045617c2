import MetricsCore
import Synchronization

/// Decoded samples of the chunks queries read, so that the next query decodes only what was
/// appended since. A dashboard asks for the last minute of the same series several times a second
/// (each latency panel, the rules): without this, every query decoded the window of every series
/// again from its compressed chunks.
///
/// A chunk is known by its series (index and epoch, which renumbering moves) and its first
/// timestamp: a series' chunks never overlap in time, and a chunk is only ever appended to, so the
/// first `count` decoded samples of a chunk stay its first `count` samples for good. An entry holds
/// the samples decoded so far and the cursor to go on decoding from. Entries not read for longest
/// go when the cache holds more than `maxSamples` samples.
final class DecodeCache: Sendable {
    /// A chunk's decoded samples and where decoding stopped. Read and written only under the
    /// cache's lock; a query takes a copy of the array (copy-on-write, so that costs a retain).
    final class Entry: @unchecked Sendable {
        let minT: Timestamp
        var samples: [Sample] = []
        var cursor = XORCursor()
        var lastUse: UInt64 = 0
        /// False once evicted (or never cached): a query still holding it must not count its
        /// samples again, nor decode into it under the lock.
        var cached: Bool

        init(minT: Timestamp, cached: Bool) {
            self.minT = minT
            self.cached = cached
        }
    }

    /// One series as read under the store's lock: its chunks in the window, in time order.
    struct Snapshot {
        var id: UInt32
        var labels: Labels
        var sealed: ArraySlice<XORChunk>
        var head: XORChunk?
    }

    private struct State {
        /// The store's epoch the entries belong to: a newer one renumbers every series.
        var epoch: UInt32 = 0
        /// Entries by series index, each series' sorted by `minT`. An array indexed by the series
        /// rather than a dictionary keyed by (epoch, series, minT): a query reads hundreds of series
        /// a few times a second, and hashing three fields per chunk was most of a cached read.
        var bySeries: [[Entry]] = []
        var samples = 0
        var tick: UInt64 = 0

        /// The entry of `series`' chunk starting at `minT`, made (empty) if not there yet.
        mutating func entry(series: Int, minT: Timestamp) -> Entry {
            if series >= bySeries.count {
                bySeries.append(contentsOf: repeatElement([], count: series + 1 - bySeries.count))
            }
            // Binary search: a series read over a long range has many chunks cached.
            var lo = 0, hi = bySeries[series].count
            while lo < hi {
                let mid = (lo + hi) / 2
                if bySeries[series][mid].minT < minT { lo = mid + 1 } else { hi = mid }
            }
            if lo < bySeries[series].count, bySeries[series][lo].minT == minT { return bySeries[series][lo] }
            let made = Entry(minT: minT, cached: true)
            bySeries[series].insert(made, at: lo)
            return made
        }

        /// Forgets every entry (another epoch's series indexes mean other series).
        mutating func reset(epoch: UInt32) {
            for list in bySeries { for e in list { e.cached = false } }
            bySeries = []
            samples = 0
            self.epoch = epoch
        }
    }

    /// About 4.8 MB of decoded samples: the last two chunks of a few thousand series.
    static let maxSamples = 300_000
    /// Up to this many new samples of a chunk are decoded under the lock, straight into the entry
    /// (a head chunk gains one per scrape between reads); more (a chunk not read before) are decoded
    /// after unlocking, so a cold read does not hold up concurrent queries.
    static let decodeUnderLock = 16
    private let state = Mutex(State())

    /// A chunk with more new samples than `decodeUnderLock`, decoded after unlocking.
    private struct Pending {
        let index: Int
        let entry: Entry
        /// The entry's cursor and `cached` as read under the lock (the cursor matches the samples
        /// listed there).
        let cursor: XORCursor
        let cached: Bool
        let chunk: XORChunk
    }

    /// A decoded chunk to write back into its entry.
    private struct Update {
        let entry: Entry
        let samples: [Sample]
        let cursor: XORCursor
    }

    /// The samples in `mint...maxt` of every snapshot (series without any are left out), in order.
    func samples(epoch: UInt32, _ snapshots: [Snapshot], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] {
        // Every chunk's decoded samples and own count in one flat list, each series' a range of it.
        var decoded: [[Sample]] = []
        var owns: [Int] = []
        var pending: [Pending] = []
        decoded.reserveCapacity(snapshots.count + snapshots.count / 2)
        owns.reserveCapacity(snapshots.count + snapshots.count / 2)
        state.withLock { st in
            let ahead = epoch &- st.epoch
            if ahead != 0 && ahead < 1 << 31 { st.reset(epoch: epoch) }
            // A snapshot taken before a renumbering another query has already seen: not cached.
            let cache = ahead == 0 || ahead < 1 << 31
            st.tick &+= 1
            for i in snapshots.indices {
                let id = Int(snapshots[i].id)
                for c in snapshots[i].sealed { Self.read(c, series: id, cache, &st, &decoded, &owns, &pending) }
                if let head = snapshots[i].head { Self.read(head, series: id, cache, &st, &decoded, &owns, &pending) }
            }
            if st.samples > Self.maxSamples { Self.evict(&st) }
        }
        if !pending.isEmpty { decode(pending, &decoded) }
        var out: [SeriesSamples] = []
        out.reserveCapacity(snapshots.count)
        var k = 0
        for i in snapshots.indices {
            let n = snapshots[i].sealed.count + (snapshots[i].head == nil ? 0 : 1)
            let samples = Self.window(decoded, owns, k..<(k + n), mint: mint, maxt: maxt)
            k += n
            if !samples.isEmpty { out.append(SeriesSamples(labels: snapshots[i].labels, samples: samples)) }
        }
        return out
    }

    /// Under the lock: finds `chunk`'s entry, decodes the few samples appended since into it (the
    /// entry's array is then usually uniquely referenced, so that appends in place), and lists its
    /// samples; a chunk with many new samples is left to `decode`.
    private static func read(
        _ chunk: XORChunk, series: Int, _ cache: Bool, _ st: inout State,
        _ decoded: inout [[Sample]], _ owns: inout [Int], _ pending: inout [Pending]
    ) {
        let entry = cache ? st.entry(series: series, minT: chunk.minT) : Entry(minT: chunk.minT, cached: false)
        entry.lastUse = st.tick
        let new = chunk.count - entry.cursor.index
        if new > decodeUnderLock || (new > 0 && !entry.cached) {
            pending.append(Pending(index: decoded.count, entry: entry, cursor: entry.cursor, cached: entry.cached, chunk: chunk))
        } else if new > 0 {
            let before = entry.samples.count
            // Room for the whole chunk at once, so that a growing head does not reallocate per scrape.
            if entry.samples.capacity < chunk.count { entry.samples.reserveCapacity(max(chunk.count, XORChunk.capacity)) }
            entry.cursor = chunk.decodeAll(from: entry.cursor, into: &entry.samples)
            st.samples += entry.samples.count - before
        }
        decoded.append(entry.samples)
        owns.append(chunk.count)
    }

    /// Decodes the pending chunks after unlocking and writes them back into their entries.
    private func decode(_ pending: [Pending], _ decoded: inout [[Sample]]) {
        var updates: [Update] = []
        for p in pending {
            let k = p.index
            decoded[k].reserveCapacity(p.chunk.count)
            let after = p.chunk.decodeAll(from: p.cursor, into: &decoded[k])
            // An entry not cached needs no write-back (an evicted one is skipped by `store`).
            if after.index > p.cursor.index && p.cached {
                updates.append(Update(entry: p.entry, samples: decoded[k], cursor: after))
            }
        }
        if !updates.isEmpty { store(updates) }
    }

    /// The samples in `mint...maxt` of one series' chunks (`range` of the flat lists), made at their
    /// final size: a window inside one chunk is one copy, and a whole decoded chunk is shared, not
    /// copied.
    private static func window(
        _ decoded: [[Sample]], _ owns: [Int], _ range: Range<Int>, mint: Timestamp, maxt: Timestamp
    ) -> [Sample] {
        // A later append may already be decoded: only the chunk's first `count` are its own.
        if range.count == 1 {
            let c = range.lowerBound
            let own = min(owns[c], decoded[c].count)
            let part = bounds(decoded[c].prefix(own), mint: mint, maxt: maxt)
            if part.count == decoded[c].count { return decoded[c] }
            return Array(decoded[c][part])
        }
        var total = 0
        for c in range { total += bounds(decoded[c].prefix(owns[c]), mint: mint, maxt: maxt).count }
        var samples: [Sample] = []
        samples.reserveCapacity(total)
        for c in range { samples.append(contentsOf: decoded[c][bounds(decoded[c].prefix(owns[c]), mint: mint, maxt: maxt)]) }
        return samples
    }

    /// The indexes of `chunk`'s samples in `mint...maxt` (time-sorted samples).
    private static func bounds(_ chunk: ArraySlice<Sample>, mint: Timestamp, maxt: Timestamp) -> Range<Int> {
        guard let first = chunk.first, let last = chunk.last, first.t <= maxt, last.t >= mint else {
            return chunk.startIndex..<chunk.startIndex
        }
        if first.t >= mint && last.t <= maxt { return chunk.startIndex..<chunk.endIndex }
        var lo = chunk.startIndex, hi = chunk.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if chunk[mid].t < mint { lo = mid + 1 } else { hi = mid }
        }
        var end = last.t <= maxt ? chunk.endIndex : lo
        while end < chunk.endIndex, chunk[end].t <= maxt { end += 1 }
        return lo..<end
    }

    private func store(_ updates: [Update]) {
        state.withLock { st in
            for i in updates.indices {
                let entry = updates[i].entry
                // Evicted meanwhile, or another query decoded further: the entry stays as it is.
                guard entry.cached, entry.cursor.index < updates[i].cursor.index else { continue }
                st.samples += updates[i].samples.count - entry.samples.count
                entry.samples = updates[i].samples
                entry.cursor = updates[i].cursor
            }
            if st.samples > Self.maxSamples { Self.evict(&st) }
        }
    }

    /// Drops the entries read longest ago until a half of the budget is left.
    private static func evict(_ st: inout State) {
        var byAge: [Entry] = []
        for list in st.bySeries { byAge.append(contentsOf: list) }
        byAge.sort { $0.lastUse < $1.lastUse }
        for entry in byAge where st.samples > maxSamples / 2 {
            entry.cached = false
            st.samples -= entry.samples.count
        }
        for i in st.bySeries.indices where st.bySeries[i].contains(where: { !$0.cached }) {
            st.bySeries[i].removeAll { !$0.cached }
        }
    }

    var sampleCount: Int { state.withLock { $0.samples } }
}
