import MetricsCore

/// What a `ScrapeIngester` remembers between scrapes, guarded by its mutex.
struct IngestState {
    var cache = ScrapeCache()
    /// Entry by label set, to find a series spelled another way (label order, blanks) and for
    /// scrapes handed over already parsed. Consulted only for text the cache has not seen.
    var byLabels: [LabelSetKey: Int] = [:]
    /// Seeds `byLabels`' label-set hashes (see `LabelSetKey`).
    let labelSeed = UInt64.random(in: 0...UInt64.max)
    /// Counts every scrape attempt; entries remember the attempt that last saw them.
    var attempt = 0
    /// The last successful scrape, nil after a failure (then nothing counts as seen before).
    var previousAttempt: Int?
    /// Entries the last successful scrape wrote without own timestamps (the ones tracked for staleness).
    var previousTracked: [Int] = []
    /// The store's references of the five report series.
    var reportRefs: [SeriesRef?] = []
    var order = ScrapeOrder()
    /// Arrays of the last scrape, kept for their capacity (a steady scrape allocates none).
    var spareScraped: [ScrapedSample] = []
    var batch = ReusedBatch()
    var spareTracked: [Int] = []

    /// The entry of `labels`, made if new; `key`, when given, reaches it from now on.
    mutating func entry(for labels: Labels, key: UnsafeRawBufferPointer?) -> Int {
        // One hash of the label set for a new series (hashing it is most of what a new series
        // costs here): claim the next index, and give it back when the set was known already.
        let next = cache.entries.count
        let labelKey = LabelSetKey(labels, seed: labelSeed)
        if let known = byLabels.updateValue(next, forKey: labelKey) {
            byLabels[labelKey] = known
            if let key { cache.link(key, to: known) }
            return known
        }
        let index = key.map { cache.insert($0, ScrapeCache.Entry(labels: labels)) }
            ?? cache.insert(ScrapeCache.Entry(labels: labels))
        assert(index == next, "ScrapeCache.insert appends")
        return index
    }

    /// The store's copy of an entry's label set replaces the ingester's own: a series the store
    /// first met from another target has its strings, which the store rebuilt the set around, and
    /// each series is then held once rather than by both (about 200 bytes a series).
    mutating func adopt(_ labels: Labels, forEntry e: Int) {
        assert(labels == cache[e].labels, "the store hands back an equal label set")
        let hash = LabelSetKey.hash(labels, seed: labelSeed)
        guard byLabels.removeValue(forKey: LabelSetKey(cache[e].labels, hash: hash)) != nil else { return }
        byLabels[LabelSetKey(labels, hash: hash)] = e
        cache[e].labels = labels
    }

    /// Drops entries no successful scrape has seen (met only in a rejected body).
    mutating func forgetNeverSeen() {
        if cache.entries.contains(where: { $0.seen == 0 }) { forget { $0.seen != 0 } }
    }

    /// Drops the series the scrape `attempt` did not have (they got their staleness markers).
    mutating func forget(notSeenIn attempt: Int) { forget { $0.seen == attempt } }

    private mutating func forget(keeping keep: (ScrapeCache.Entry) -> Bool) {
        let remap = cache.retain(keep)
        batch.entries = []  // renumbered
        previousTracked = previousTracked.compactMap { remap[$0] >= 0 ? remap[$0] : nil }
        for k in order.samples.indices where order.samples[k].entry >= 0 {
            order.samples[k].entry = remap[order.samples[k].entry]
        }
        byLabels = [:]
        byLabels.reserveCapacity(cache.entries.count)
        for (i, e) in cache.entries.enumerated() { byLabels[LabelSetKey(e.labels, seed: labelSeed)] = i }
    }
}
