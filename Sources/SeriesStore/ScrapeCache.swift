import Exposition
import Foundation
import MetricsCore

/// A store-assigned handle to one series: appending by it skips the label-set look-up.
/// Valid while `epoch` matches the store's (a compaction renumbers series and bumps it).
public struct SeriesRef: Hashable, Sendable {
    public let id: UInt32
    public let epoch: UInt32

    public init(id: UInt32, epoch: UInt32) {
        self.id = id
        self.epoch = epoch
    }
}

/// One sample to append by reference; the store fills `ref` in when it is nil or out of date.
public struct RefSample: Sendable {
    public var labels: Labels
    public var ref: SeriesRef?
    public var sample: Sample

    public init(labels: Labels, ref: SeriesRef?, sample: Sample) {
        self.labels = labels
        self.ref = ref
        self.sample = sample
    }
}

/// Appenders that hand out series references (the MemoryStore).
public protocol SeriesRefAppender: BatchSampleAppender {
    /// Appends every sample, by `ref` where it is current and by labels otherwise, and sets each
    /// `ref` to the series' current reference (nil when the series limit dropped it).
    func appendBatch(_ batch: inout [RefSample])
}

/// One target's series, keyed by the bytes of their metric-and-labels text as scraped (as
/// Prometheus' scrape cache does): a series seen in the previous scrape costs a hash of its text
/// and one comparison, not the building, sorting and hashing of its label set.
struct ScrapeCache {
    struct Entry {
        /// With the target's labels attached.
        var labels: Labels
        var ref: SeriesRef?
        /// The scrape (attempt) that last saw it, and the one that last saw it without an own timestamp.
        var seen = 0
        var tracked = 0
        /// Its sample's place in the last successful scrape (`ScrapeOrder.samples`), to pick up the
        /// order from there when a line was not where it was expected.
        var position: Int32 = -1
    }

    private struct Slot {
        var hash: UInt64
        var key: [UInt8]
        var entry: Int32
    }

    private(set) var entries: [Entry] = []
    /// Open addressing, linear probing; `entry == -1` marks an empty slot. Kept under 1/2 full.
    private var slots: [Slot] = []
    private var used = 0
    /// Per cache, so that a target cannot prepare bodies whose keys all collide.
    private let seed = UInt64.random(in: 0...UInt64.max)

    /// The entry for `key`, if cached.
    func lookup(_ key: UnsafeRawBufferPointer) -> Int? {
        guard !slots.isEmpty else { return nil }
        let h = Self.hash(key, seed: seed)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].entry >= 0 {
            if slots[i].hash == h, Self.equal(slots[i].key, key) { return Int(slots[i].entry) }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds a new entry reached by `key` (which must not be cached yet); returns its index.
    mutating func insert(_ key: UnsafeRawBufferPointer, _ entry: Entry) -> Int {
        entries.append(entry)
        let index = entries.count - 1
        link(Array(key), to: index)
        return index
    }

    /// Makes `key` reach an existing entry too (another spelling of the same series).
    mutating func link(_ key: UnsafeRawBufferPointer, to index: Int) { link(Array(key), to: index) }

    /// Adds an entry that no key reaches (a series handed over already parsed).
    mutating func insert(_ entry: Entry) -> Int {
        entries.append(entry)
        return entries.count - 1
    }

    subscript(i: Int) -> Entry {
        _read { yield entries[i] }  // a field read copies no labels
        _modify { yield &entries[i] }
    }

    /// The entries in place, for a loop over a whole scrape (no uniqueness check per write).
    mutating func withEntries<R>(_ body: (UnsafeMutableBufferPointer<Entry>) -> R) -> R {
        entries.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Keeps only the entries `keep` accepts, renumbered; returns old index → new index (-1: dropped).
    @discardableResult
    mutating func retain(_ keep: (Entry) -> Bool) -> [Int] {
        var remap = [Int](repeating: -1, count: entries.count)
        var kept: [Entry] = []
        kept.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() where keep(e) {
            remap[i] = kept.count
            kept.append(e)
        }
        let oldSlots = slots
        entries = kept
        slots = []
        used = 0
        for s in oldSlots where s.entry >= 0 && remap[Int(s.entry)] >= 0 {
            link(s.key, to: remap[Int(s.entry)], hash: s.hash)
        }
        return remap
    }

    private mutating func link(_ key: [UInt8], to index: Int, hash known: UInt64? = nil) {
        if (used + 1) * 2 > slots.count { grow() }
        let h = known ?? key.withUnsafeBytes { Self.hash($0, seed: seed) }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].entry >= 0 { i = (i + 1) & mask }
        slots[i] = Slot(hash: h, key: key, entry: Int32(index))
        used += 1
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(hash: 0, key: [], entry: -1), count: max(64, old.count * 2))
        used = 0
        for s in old where s.entry >= 0 { link(s.key, to: Int(s.entry), hash: s.hash) }
    }

    /// A quick 64-bit hash, eight bytes at a time. Hits are verified byte for byte, so it need only
    /// spread well: a target cannot make a collision do more than cost a longer probe.
    static func hash(_ key: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        let n = key.count
        var h: UInt64 = seed ^ UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        guard let base = key.baseAddress else { return h }
        var k = 0
        while k + 8 <= n {
            h = (h ^ base.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            k += 8
        }
        // The last 0 to 7 bytes in at most three loads (label names and values are mostly shorter
        // than eight bytes, so this is most of their hash).
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        if n - k >= 4 {
            tail = UInt64(base.loadUnaligned(fromByteOffset: k, as: UInt32.self))
            shift = 32
            k += 4
        }
        if n - k >= 2 {
            tail |= UInt64(base.loadUnaligned(fromByteOffset: k, as: UInt16.self)) << shift
            shift += 16
            k += 2
        }
        if k < n { tail |= UInt64(base.load(fromByteOffset: k, as: UInt8.self)) << shift }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    static func equal(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { ra in
            guard let pa = ra.baseAddress, let pb = b.baseAddress else { return true }
            return memcmp(pa, pb, a.count) == 0
        }
    }
}

/// One sample of a scrape, its series found in the cache.
struct ScrapedSample {
    /// -1 once the entry is forgotten (in `ScrapeOrder.samples`).
    var entry: Int
    var value: Double
    var timestamp: Timestamp?
    /// Where its series text is in the body (a text-format body's).
    var textStart: UInt32 = 0
    var textCount: UInt32 = 0
}

/// The last successful text-format scrape as it was written: the next body most likely lists the
/// same series in the same order, so each sample line is first compared byte for byte with the
/// series text at its place here (`ExpositionPullParser.expectSeries`), without parsing its labels
/// or hashing its text. Costs the previous body, kept alive.
struct ScrapeOrder {
    var body: [UInt8] = []
    var samples: [ScrapedSample] = []
    /// What the body was parsed with (the same text passes the same checks only under the same
    /// limits); nil when there is no order to expect.
    var limits: ExpositionLimits?
}

/// The batch handed to the store, kept from scrape to scrape: a sample whose series is where it was
/// in the last batch gets its value and reference written in place, its label set (already there)
/// neither retained nor released again.
struct ReusedBatch {
    var samples: [RefSample] = []
    /// The cache entry of each scraped sample in `samples` (not of the markers and report after them).
    var entries: [Int] = []

    /// Sets the scrape's sample `i` (called for 0, 1, 2…); from the first that differs, appends.
    @inline(__always)
    mutating func put(_ i: Int, entry: Int, ref: SeriesRef?, sample: Sample, labels: @autoclosure () -> Labels) {
        if i < entries.count, entries[i] == entry {
            samples[i].ref = ref
            samples[i].sample = sample
            return
        }
        keep(i)
        samples.append(RefSample(labels: labels(), ref: ref, sample: sample))
        entries.append(entry)
    }

    /// Drops all but the first `count` samples.
    mutating func keep(_ count: Int) {
        if samples.count > count { samples.removeSubrange(count...) }
        if entries.count > count { entries.removeSubrange(count...) }
    }
}
