import MetricsCore

/// A label set as a dictionary key, with its hash worked out once over its bytes. Swift hashes a
/// label set by running SipHash over every name and value, and a new series was hashed that way
/// four times (the ingester's index, the store's look-up and insertion, the interner): about
/// 12,000 instructions a series, most of what a first scrape of a big target cost. This hash is
/// seeded per table (a target cannot aim its label values at one bucket without knowing the seed),
/// and the table's own hashing then mixes one integer.
struct LabelSetKey: Hashable {
    let labels: Labels
    let hash: UInt64

    init(_ labels: Labels, seed: UInt64) {
        self.labels = labels
        hash = Self.hash(labels, seed: seed)
    }

    /// A set equal to the one `hash` was worked out for (the store's interned copy of it).
    init(_ labels: Labels, hash: UInt64) {
        self.labels = labels
        self.hash = hash
    }

    static func == (a: LabelSetKey, b: LabelSetKey) -> Bool { a.hash == b.hash && a.labels == b.labels }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// Each name and value in turn, each one's length in its seed, so that the boundaries count.
    static func hash(_ labels: Labels, seed: UInt64) -> UInt64 {
        var h = seed
        for label in labels { h = hash(name: label.name, value: label.value, seed: h) }
        return h
    }

    /// One pair's step of `hash` (also the hash of the pair alone, as `Postings` keys it).
    static func hash(name: String, value: String, seed: UInt64) -> UInt64 {
        bytesHash(value, seed: bytesHash(name, seed: seed) ^ 0x5851_F42D_4C95_7F2D)
    }

    private static func bytesHash(_ s: String, seed: UInt64) -> UInt64 {
        if let h = s.utf8.withContiguousStorageIfAvailable({ ScrapeCache.hash(UnsafeRawBufferPointer($0), seed: seed) }) {
            return h
        }
        var copy = s
        return copy.withUTF8 { ScrapeCache.hash(UnsafeRawBufferPointer($0), seed: seed) }
    }
}
