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

        func forEachChunk(_ body: (XORChunk) -> Void) {
            for c in sealed { body(c) }
            if let head { body(head) }
        }
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var samples = 0
        var tick: UInt64 = 0
    }

    /// About 4.8 MB of decoded samples: the last two chunks of a few thousand series.
    static let maxSamples = 300_000
    private let state = Mutex(State())

    /// The samples in `mint...maxt` of every snapshot (series without any are left out), in order.
    func samples(epoch: UInt32, _ snapshots: [Snapshot], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] {
        var keys: [Key] = []
        keys.reserveCapacity(snapshots.count * 2)
        for s in snapshots { s.forEachChunk { keys.append(Key(epoch: epoch, series: s.id, minT: $0.minT)) } }
        // One look-up per chunk; the entry of a chunk not seen before is made here, empty.
        let found: [(entry: Entry, samples: [Sample], cursor: XORCursor)] = state.withLock { st in
            st.tick &+= 1
            let tick = st.tick
            return keys.map { key in
                let entry: Entry
                if let known = st.entries[key] { entry = known } else {
                    entry = Entry()
                    st.entries[key] = entry
                }
                entry.lastUse = tick
                return (entry, entry.samples, entry.cursor)
            }
        }
        var updates: [(entry: Entry, samples: [Sample], cursor: XORCursor)] = []
        var out: [SeriesSamples] = []
        out.reserveCapacity(snapshots.count)
        var k = 0
        for s in snapshots {
            var samples: [Sample] = []
            s.forEachChunk { chunk in
                var (entry, decoded, cursor) = found[k]
                k += 1
                if cursor.index < chunk.count {
                    let before = cursor.index
                    decoded.reserveCapacity(chunk.count)
                    cursor = chunk.decodeAll(from: cursor, into: &decoded)
                    if cursor.index > before { updates.append((entry, decoded, cursor)) }
                }
                // A later append may already be decoded: only the chunk's first `count` are its own.
                Self.append(decoded.prefix(chunk.count), mint: mint, maxt: maxt, to: &samples)
            }
            if !samples.isEmpty { out.append(SeriesSamples(labels: s.labels, samples: samples)) }
        }
        if !updates.isEmpty { store(updates) }
        return out
    }

    private static func append(_ chunk: ArraySlice<Sample>, mint: Timestamp, maxt: Timestamp, to out: inout [Sample]) {
        guard let first = chunk.first, let last = chunk.last, first.t <= maxt, last.t >= mint else { return }
        if first.t >= mint && last.t <= maxt {
            out.append(contentsOf: chunk)
            return
        }
        var lo = chunk.startIndex, hi = chunk.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if chunk[mid].t < mint { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < chunk.endIndex, chunk[end].t <= maxt { end += 1 }
        out.append(contentsOf: chunk[lo..<end])
    }

    private func store(_ updates: [(entry: Entry, samples: [Sample], cursor: XORCursor)]) {
        state.withLock { st in
            for u in updates where u.entry.cached && u.entry.cursor.index < u.cursor.index {
                // (Another query may have decoded further meanwhile: then the entry stays.)
                st.samples += u.samples.count - u.entry.samples.count
                u.entry.samples = u.samples
                u.entry.cursor = u.cursor
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
