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
    /// A chunk's decoded samples and where decoding stopped, held in the cache's state (a value, so
    /// that reading and appending to it under the lock needs no run-time exclusivity checks or
    /// reference counting); a query takes a copy of the array (copy-on-write, so that costs a retain).
    private struct Entry {
        let minT: Timestamp
        var samples: [Sample] = []
        var cursor = XORCursor()
        var lastUse: UInt64 = 0
        /// How many of `samples` are staleness markers: a window of a chunk without any is handed
        /// out as such, and the engine does not scan it for them at every query.
        var stale = 0
        /// Marks the entries eviction drops.
        var dropped = false

        init(minT: Timestamp) { self.minT = minT }

        /// Marks the entry read and, when its chunk (now `count` samples) has at most
        /// `decodeUnderLock` new ones, decodes them into it with `decode` (the array is then usually
        /// uniquely referenced, so that appends in place). Returns the samples, how many were added,
        /// and whether there are more new samples than that, left to decode after unlocking. One
        /// access to the entry for all of it.
        mutating func read(
            count: Int, tick: UInt64, _ decode: (XORCursor, inout [Sample]) -> XORCursor
        ) -> (samples: [Sample], added: Int, pending: Bool) {
            lastUse = tick
            let new = count - cursor.index
            if new > DecodeCache.decodeUnderLock { return (samples, 0, true) }
            guard new > 0 else { return (samples, 0, false) }
            let before = samples.count
            // A head read again is growing: room for its whole chunk at once, so that it does not
            // reallocate per scrape. A first read takes only what is there (a one-shot query over
            // many series would otherwise hold a chunk's worth of room for each).
            if samples.capacity < count { samples.reserveCapacity(before == 0 ? count : max(count, XORChunk.capacity)) }
            cursor = decode(cursor, &samples)
            stale += DecodeCache.staleCount(samples[before...])
            return (samples, samples.count - before, false)
        }
    }

    /// One series as read under the store's lock: its chunks in the window, in time order.
    struct Snapshot {
        var id: UInt32
        var labels: Labels
        var sealed: ArraySlice<XORChunk>
        /// The head chunk when `hasHead` (not an optional, which would be copied out to be read).
        var head: XORChunk
        var hasHead: Bool
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

        /// Where `series`' chunk starting at `minT` is or belongs in its list.
        func position(series: Int, minT: Timestamp) -> (index: Int, found: Bool) {
            guard series < bySeries.count else { return (0, false) }
            // Binary search: a series read over a long range has many chunks cached.
            var lo = 0, hi = bySeries[series].count
            while lo < hi {
                let mid = (lo + hi) / 2
                if bySeries[series][mid].minT < minT { lo = mid + 1 } else { hi = mid }
            }
            return (lo, lo < bySeries[series].count && bySeries[series][lo].minT == minT)
        }

        /// The index of `series`' entry for the chunk starting at `minT`, made (empty) if not there yet.
        mutating func entry(series: Int, minT: Timestamp) -> Int {
            if series >= bySeries.count {
                bySeries.append(contentsOf: repeatElement([], count: series + 1 - bySeries.count))
            }
            let (index, found) = position(series: series, minT: minT)
            if !found { bySeries[series].insert(Entry(minT: minT), at: index) }
            return index
        }

        /// Forgets every entry (another epoch's series indexes mean other series).
        mutating func reset(epoch: UInt32) {
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

    /// A chunk with more new samples than `decodeUnderLock` (or of a snapshot not cached), decoded
    /// after unlocking.
    private struct Pending {
        /// Its place in the query's flat lists.
        let index: Int
        /// Its entry's series (nil: not cached) and the entry's cursor as read under the lock (it
        /// matches the samples listed there).
        let series: Int?
        let cursor: XORCursor
        /// The chunk: `snapshot`'s sealed chunk at `sealed`, or its head when nil.
        let snapshot: Int
        let sealed: Int?
    }

    /// A decoded chunk to write back into its entry.
    private struct Update {
        let series: Int
        let minT: Timestamp
        let samples: [Sample]
        let cursor: XORCursor
        let stale: Int
    }

    /// The samples in `mint...maxt` of every snapshot, one window per snapshot in order (nil for a
    /// series without any there), as views of the cached arrays: a window inside one chunk is a
    /// slice of its entry's samples (a retain), where a copy cost an allocation, the copy and its
    /// release per series.
    func windows(epoch: UInt32, _ snapshots: [Snapshot], mint: Timestamp, maxt: Timestamp) -> [SeriesWindow?] {
        // Every chunk's decoded samples, own count and whether any is a staleness marker in flat
        // lists, each series' a range of them.
        var decoded: [[Sample]] = []
        var owns: [Int] = []
        var stale: [Bool] = []
        var pending: [Pending] = []
        decoded.reserveCapacity(snapshots.count + snapshots.count / 2)
        owns.reserveCapacity(snapshots.count + snapshots.count / 2)
        stale.reserveCapacity(snapshots.count + snapshots.count / 2)
        state.withLock { st in
            // Epochs compared as serial numbers (they wrap): a newer one resets the cache; a
            // snapshot taken before a renumbering another query has already brought here is not cached.
            let ahead = epoch &- st.epoch
            let cache = ahead < 1 << 31
            if ahead != 0 && cache { st.reset(epoch: epoch) }
            st.tick &+= 1
            // Chunks are read in place through the buffer: an element of an array, or the value of an
            // optional, would be copied out (a retain and release per chunk).
            snapshots.withUnsafeBufferPointer { sp in
                for i in sp.indices {
                    let id = Int(sp[i].id)
                    for j in sp[i].sealed.indices {
                        let at = Place(snapshot: i, sealed: j, series: id)
                        Self.read(at, count: sp[i].sealed[j].count, minT: sp[i].sealed[j].minT, cache, &st, &decoded, &owns,
                                  &stale, &pending) { sp[i].sealed[j].decodeAll(from: $0, into: &$1) }
                    }
                    if sp[i].hasHead {
                        let at = Place(snapshot: i, sealed: nil, series: id)
                        Self.read(at, count: sp[i].head.count, minT: sp[i].head.minT, cache, &st, &decoded, &owns,
                                  &stale, &pending) { sp[i].head.decodeAll(from: $0, into: &$1) }
                    }
                }
            }
            if st.samples > Self.maxSamples { Self.evict(&st) }
        }
        if !pending.isEmpty { decode(pending, snapshots, epoch: epoch, &decoded, &stale) }
        var out: [SeriesWindow?] = []
        out.reserveCapacity(snapshots.count)
        var k = 0
        for i in snapshots.indices {
            let n = snapshots[i].sealed.count + (snapshots[i].hasHead ? 1 : 0)
            let samples = Self.window(decoded, owns, k..<(k + n), mint: mint, maxt: maxt)
            let mayHoldStale = stale[k..<(k + n)].contains(true)
            k += n
            out.append(samples.isEmpty ? nil : SeriesWindow(labels: snapshots[i].labels, samples: samples, mayHoldStale: mayHoldStale))
        }
        return out
    }

    /// A chunk's place in the query's snapshots, and its series.
    private struct Place {
        let snapshot: Int
        let sealed: Int?
        let series: Int
    }

    /// Under the lock: finds the entry of the chunk at `at` (`count` samples from `minT`; `decode`
    /// decodes it), decodes the few samples appended since into it (the entry's array is then
    /// usually uniquely referenced, so that appends in place), and lists its samples; a chunk with
    /// many new samples (or not cached) is left to `decode`.
    private static func read(
        _ at: Place, count: Int, minT: Timestamp, _ cache: Bool, _ st: inout State,
        _ decoded: inout [[Sample]], _ owns: inout [Int], _ stale: inout [Bool], _ pending: inout [Pending],
        _ decode: (XORCursor, inout [Sample]) -> XORCursor
    ) {
        owns.append(count)
        guard cache else {
            pending.append(Pending(index: decoded.count, series: nil, cursor: XORCursor(), snapshot: at.snapshot, sealed: at.sealed))
            decoded.append([])
            stale.append(false)
            return
        }
        let e = st.entry(series: at.series, minT: minT)
        let (samples, added, left) = st.bySeries[at.series][e].read(count: count, tick: st.tick, decode)
        if left {
            pending.append(Pending(index: decoded.count, series: at.series, cursor: st.bySeries[at.series][e].cursor,
                                   snapshot: at.snapshot, sealed: at.sealed))
        }
        st.samples += added
        decoded.append(samples)
        stale.append(st.bySeries[at.series][e].stale > 0)
    }

    /// Decodes the pending chunks after unlocking and writes the cached ones back into their entries.
    private func decode(_ pending: [Pending], _ snapshots: [Snapshot], epoch: UInt32, _ decoded: inout [[Sample]],
                        _ stale: inout [Bool]) {
        var updates: [Update] = []
        for p in pending {
            let k = p.index
            let chunk = p.sealed.map { snapshots[p.snapshot].sealed[$0] } ?? snapshots[p.snapshot].head
            decoded[k].reserveCapacity(chunk.count)
            let after = chunk.decodeAll(from: p.cursor, into: &decoded[k])
            // Counted over all of them: the entry takes this array whole.
            let markers = Self.staleCount(decoded[k][...])
            stale[k] = markers > 0
            if let series = p.series, after.index > p.cursor.index {
                updates.append(Update(series: series, minT: chunk.minT, samples: decoded[k], cursor: after, stale: markers))
            }
        }
        if !updates.isEmpty { store(updates, epoch: epoch) }
    }

    private func store(_ updates: [Update], epoch: UInt32) {
        state.withLock { st in
            // Renumbered meanwhile: the entries are gone.
            guard st.epoch == epoch else { return }
            for u in updates {
                // Evicted meanwhile, or another query decoded further: the entry stays as it is.
                let (e, found) = st.position(series: u.series, minT: u.minT)
                guard found, st.bySeries[u.series][e].cursor.index < u.cursor.index else { continue }
                st.samples += u.samples.count - st.bySeries[u.series][e].samples.count
                st.bySeries[u.series][e].samples = u.samples
                st.bySeries[u.series][e].cursor = u.cursor
                st.bySeries[u.series][e].stale = u.stale
            }
            if st.samples > Self.maxSamples { Self.evict(&st) }
        }
    }

    /// Drops the entries read longest ago until a half of the budget is left.
    private static func evict(_ st: inout State) {
        var byAge: [(lastUse: UInt64, series: Int, index: Int)] = []
        for s in st.bySeries.indices {
            for e in st.bySeries[s].indices { byAge.append((st.bySeries[s][e].lastUse, s, e)) }
        }
        byAge.sort { $0.lastUse < $1.lastUse }
        var touched: Set<Int> = []
        for x in byAge where st.samples > maxSamples / 2 {
            st.bySeries[x.series][x.index].dropped = true
            st.samples -= st.bySeries[x.series][x.index].samples.count
            touched.insert(x.series)
        }
        for s in touched { st.bySeries[s].removeAll { $0.dropped } }
    }

    var sampleCount: Int { state.withLock { $0.samples } }
}
