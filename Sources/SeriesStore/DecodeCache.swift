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
    struct Key: Hashable {
        var epoch: UInt32
        var series: UInt32
        var minT: Timestamp
    }

    /// A chunk's decoded samples and where decoding stopped. Read and written only under the
    /// cache's lock; a query takes a copy of the array (copy-on-write, so that costs a retain).
    final class Entry: @unchecked Sendable {
        var samples: [Sample] = []
        var cursor = XORCursor()
        var lastUse: UInt64 = 0
        /// False once evicted: a query still holding it must not count its samples again.
        var cached = true
    }

    /// One series as read under the store's lock: its chunks in the window, in time order.
    struct Snapshot {
        var id: UInt32
        var labels: Labels
        var sealed: ArraySlice<XORChunk>
        var head: XORChunk?

    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var samples = 0
        var tick: UInt64 = 0
    }

    /// About 4.8 MB of decoded samples: the last two chunks of a few thousand series.
    static let maxSamples = 300_000
    private let state = Mutex(State())

    /// A decoded chunk to write back into its entry.
    private struct Update {
        let entry: Entry
        let samples: [Sample]
        let cursor: XORCursor
    }

    /// The samples in `mint...maxt` of every snapshot (series without any are left out), in order.
    func samples(epoch: UInt32, _ snapshots: [Snapshot], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] {
        // Every chunk in one flat list, each series' chunks a range of it.
        var keys: [Key] = []
        var chunks: [XORChunk] = []
        keys.reserveCapacity(snapshots.count * 2)
        chunks.reserveCapacity(snapshots.count * 2)
        for i in snapshots.indices {
            for c in snapshots[i].sealed {
                keys.append(Key(epoch: epoch, series: snapshots[i].id, minT: c.minT))
                chunks.append(c)
            }
            if let head = snapshots[i].head {
                keys.append(Key(epoch: epoch, series: snapshots[i].id, minT: head.minT))
                chunks.append(head)
            }
        }
        // One look-up per chunk; the entry of a chunk not seen before is made here, empty.
        var entries: [Entry] = []
        var decoded: [[Sample]] = []
        var cursors: [XORCursor] = []
        entries.reserveCapacity(keys.count)
        decoded.reserveCapacity(keys.count)
        cursors.reserveCapacity(keys.count)
        state.withLock { st in
            st.tick &+= 1
            for key in keys {
                let entry: Entry
                if let known = st.entries[key] { entry = known } else {
                    entry = Entry()
                    st.entries[key] = entry
                }
                entry.lastUse = st.tick
                entries.append(entry)
                decoded.append(entry.samples)
                cursors.append(entry.cursor)
            }
        }
        var updates: [Update] = []
        for k in chunks.indices where cursors[k].index < chunks[k].count {
            let before = cursors[k].index
            decoded[k].reserveCapacity(chunks[k].count)
            cursors[k] = chunks[k].decodeAll(from: cursors[k], into: &decoded[k])
            if cursors[k].index > before { updates.append(Update(entry: entries[k], samples: decoded[k], cursor: cursors[k])) }
        }
        if !updates.isEmpty { store(updates) }
        var out: [SeriesSamples] = []
        out.reserveCapacity(snapshots.count)
        var k = 0
        for i in snapshots.indices {
            let n = snapshots[i].sealed.count + (snapshots[i].head == nil ? 0 : 1)
            let samples = Self.window(decoded, chunks, k..<(k + n), mint: mint, maxt: maxt)
            k += n
            if !samples.isEmpty { out.append(SeriesSamples(labels: snapshots[i].labels, samples: samples)) }
        }
        return out
    }

    /// The samples in `mint...maxt` of one series' chunks (`range` of the flat lists), made at their
    /// final size: a window inside one chunk is one copy, and a whole decoded chunk is shared, not
    /// copied.
    private static func window(
        _ decoded: [[Sample]], _ chunks: [XORChunk], _ range: Range<Int>, mint: Timestamp, maxt: Timestamp
    ) -> [Sample] {
        // A later append may already be decoded: only the chunk's first `count` are its own.
        if range.count == 1 {
            let c = range.lowerBound
            let own = min(chunks[c].count, decoded[c].count)
            let part = bounds(decoded[c].prefix(own), mint: mint, maxt: maxt)
            if part.count == decoded[c].count { return decoded[c] }
            return Array(decoded[c][part])
        }
        var total = 0
        for c in range { total += bounds(decoded[c].prefix(chunks[c].count), mint: mint, maxt: maxt).count }
        var samples: [Sample] = []
        samples.reserveCapacity(total)
        for c in range { samples.append(contentsOf: decoded[c][bounds(decoded[c].prefix(chunks[c].count), mint: mint, maxt: maxt)]) }
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
        let byAge = st.entries.sorted { $0.value.lastUse < $1.value.lastUse }
        for (key, entry) in byAge where st.samples > maxSamples / 2 {
            st.entries[key] = nil
            entry.cached = false
            st.samples -= entry.samples.count
        }
    }

    var sampleCount: Int { state.withLock { $0.samples } }
}
