import MetricsCore

/// A selector resolved against a snapshot of the postings: every regular expression has already
/// been run (outside the store's lock) over the label values that existed at `seriesCount`.
struct ResolvedSelector {
    struct Matcher {
        let matcher: LabelMatcher
        /// Whether the matcher accepts a missing label (the empty string).
        let acceptsEmpty: Bool
        /// Regex matchers only: the snapshot's values the pattern accepts, and their series ids
        /// (sorted), so that the locked phase does set look-ups, never regex matching.
        let accepted: Set<String>?
        let acceptedIDs: [UInt32]

        func matches(_ labels: Labels) -> Bool {
            guard let accepted else { return matcher.matches(labels) }
            guard let value = labels[matcher.name], !value.isEmpty else { return acceptsEmpty }
            return accepted.contains(value)
        }
    }

    let epoch: UInt32
    /// Series created after the snapshot are left out (the query sees the store as it was then).
    let seriesCount: Int
    let matchers: [Matcher]
    /// The matchers `acceptsCandidate` checks: the others chose the candidates from the postings
    /// (they need their label present) and hold already, exactly. Usually none.
    let checkedPerCandidate: [Matcher]

    init(epoch: UInt32, seriesCount: Int, matchers: [Matcher]) {
        self.epoch = epoch
        self.seriesCount = seriesCount
        self.matchers = matchers
        checkedPerCandidate = matchers.filter(\.acceptsEmpty)
    }

    func accepts(_ labels: Labels) -> Bool { matchers.allSatisfy { $0.matches(labels) } }

    /// `accepts` for a series among `StoreState.candidates`.
    func acceptsCandidate(_ labels: Labels) -> Bool {
        for i in checkedPerCandidate.indices where !checkedPerCandidate[i].matches(labels) { return false }
        return true
    }
}

extension MemoryStore {
    public func select(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] {
        // A window that is a whole array becomes that array again, not a copy.
        selectWindows(matchers, mint: mint, maxt: maxt).map { SeriesSamples(labels: $0.labels, samples: Array($0.samples)) }
    }

    /// The samples in `mint...maxt` of every matching series, as views of decoded samples the store
    /// keeps: a short read of the recent past from the series' `RecentWindow`s, under the lock;
    /// anything else from `DecodeCache`, which decodes after unlocking only what was appended since
    /// the last query.
    public func selectWindows(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesWindow] {
        guard mint <= maxt else { return [] }
        let found = read(matchers, mint: mint, maxt: maxt)
        if found.snapshots.isEmpty { return found.windows }
        let decoded = decodeCache.windows(epoch: found.epoch, found.snapshots, mint: mint, maxt: maxt)
        if found.windows.isEmpty { return decoded.compactMap { $0 } }
        var out: [SeriesWindow] = []
        out.reserveCapacity(found.order.count)
        var hot = found.windows.makeIterator(), cold = decoded.makeIterator()
        for fromWindow in found.order {
            if fromWindow { out.append(hot.next()!) } else if let w = cold.next()! { out.append(w) }
        }
        return out
    }

    /// What a read found under the lock, in series order: windows served by `RecentWindow`s (the
    /// non-empty ones), snapshots of the chunks of the other series, and which of the two each is.
    struct LockedRead {
        var epoch: UInt32 = 0
        var windows: [SeriesWindow] = []
        var snapshots: [DecodeCache.Snapshot] = []
        var order: [Bool] = []
    }

    /// Under the lock: the recent windows of the matching series (made for a series on its first
    /// short read of its recent past), or the chunks in `mint...maxt` of those a window cannot serve.
    private func read(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> LockedRead {
        let short = RecentWindow.isShort(mint: mint, maxt: maxt)
        return withResolved(matchers) { s, selector in
            let candidates = s.candidates(selector)
            var found = LockedRead(epoch: s.epoch)
            // Made at the candidates' count: growing a list of snapshots copied each of them again.
            if short { found.windows.reserveCapacity(candidates.count) } else { found.snapshots.reserveCapacity(candidates.count) }
            for i in candidates {
                // Checked only when some matcher needs it: handing the labels over costs a copy.
                if !selector.checkedPerCandidate.isEmpty && !selector.acceptsCandidate(s.series[i].labels) { continue }
                if short {
                    let before = found.windows.count
                    if s.readRecent(i, mint: mint, maxt: maxt, into: &found.windows) {
                        if found.windows.count > before { found.order.append(true) }
                        continue
                    }
                }
                // Sealed chunks are in time order: only the last few reach into a recent window.
                let sealed = s.series[i].sealed
                var first = sealed.endIndex
                while first > sealed.startIndex, sealed[first - 1].maxT >= mint { first -= 1 }
                var last = first
                while last < sealed.endIndex, sealed[last].minT <= maxt { last += 1 }
                // The head is read in place and copied once, into the snapshot.
                let headInWindow = s.series[i].head.count > 0 && s.series[i].head.maxT >= mint && s.series[i].head.minT <= maxt
                guard first < last || headInWindow else { continue }
                found.snapshots.append(DecodeCache.Snapshot(id: UInt32(i), labels: s.series[i].labels, sealed: sealed[first..<last],
                                                            head: headInWindow ? s.series[i].head : XORChunk(), hasHead: headInWindow))
                found.order.append(false)
            }
            return found
        }
    }

    public func labelValues(_ name: String, matching matchers: [LabelMatcher]) -> [String] {
        if matchers.isEmpty { return state.withLock { $0.postings.values(of: name) }.sorted() }
        let values: Set<String> = withResolved(matchers) { s, selector in
            var values: Set<String> = []
            for i in s.candidates(selector) {
                let labels = s.series[i].labels
                guard selector.acceptsCandidate(labels), let v = labels[name] else { continue }
                values.insert(v)
            }
            return values
        }
        return values.sorted()
    }

    /// Runs `body` under the lock with the selector resolved: the label values each regex needs are
    /// copied under the lock (copy-on-write, so O(1)), matched with the lock released, and `body`
    /// then sees only series that existed at the snapshot. A compaction in between (rare) renumbers
    /// series, so the snapshot is taken again.
    func withResolved<R>(_ matchers: [LabelMatcher], _ body: (inout sending StoreState, ResolvedSelector) -> R) -> R {
        while true {
            let regexNames = Set(matchers.filter { $0.kind == .regexMatch || $0.kind == .regexNoMatch }.map(\.name))
            let (epoch, count, byName) = state.withLock { s in
                (s.epoch, s.series.count,
                 Dictionary(uniqueKeysWithValues: regexNames.compactMap { n in s.postings.values(named: n).map { (n, $0) } }))
            }
            let resolved = matchers.map { m -> ResolvedSelector.Matcher in
                guard m.kind == .regexMatch || m.kind == .regexNoMatch else {
                    return .init(matcher: m, acceptsEmpty: m.matchesEmpty, accepted: nil, acceptedIDs: [])
                }
                var accepted: Set<String> = []
                var lists: [[UInt32]] = []
                let named = byName[m.name]
                for (value, ids) in zip(named?.values ?? [], named?.ids ?? []) where !value.isEmpty && m.matches(value) {
                    accepted.insert(value)
                    lists.append(ids)
                }
                // A series has one value per name, so the lists are disjoint.
                let ids = lists.count == 1 ? lists[0] : lists.flatMap { $0 }.sorted()
                return .init(matcher: m, acceptsEmpty: m.matchesEmpty, accepted: accepted, acceptedIDs: ids)
            }
            let selector = ResolvedSelector(epoch: epoch, seriesCount: count, matchers: resolved)
            let result: R? = state.withLock { s in s.epoch == epoch ? body(&s, selector) : nil }
            if let result { return result }
        }
    }
}

extension StoreState {
    /// Appends series `i`'s samples in `mint...maxt` (a short read) to `windows` (nothing when it
    /// has none there) from its `RecentWindow`, made now if it has none or one that does not reach
    /// back to `mint`. False when the read is left to `DecodeCache`: making a window would mean
    /// decoding more than `RecentWindow.maxSpan` (a read of the series' older past), or the windows
    /// already take `RecentWindow.budget` slots. Appends in place: a window handed back, as an
    /// optional, was copied out and destroyed once more per series.
    mutating func readRecent(_ i: Int, mint: Timestamp, maxt: Timestamp, into windows: inout [SeriesWindow]) -> Bool {
        if series[i].recent?.covers(mint: mint) != true {
            // Nothing since `mint`: no decoding for a series that went quiet.
            guard let newest = series[i].newest, newest >= mint else { return true }
            guard RecentWindow.isShort(mint: mint, maxt: newest), recentSlots < RecentWindow.budget else { return false }
            let made = RecentWindow(sealed: series[i].sealed, head: series[i].head, mint: mint, maxt: maxt)
            recentSlots += made.footprint - (series[i].recent?.footprint ?? 0)
            series[i].recent = made
        }
        guard let recent = series[i].recent else { return false }
        let samples = recent.read(mint: mint, maxt: maxt)
        if !samples.isEmpty {
            windows.append(SeriesWindow(labels: series[i].labels, samples: samples, mayHoldStale: recent.stale > 0,
                                        mayDecrease: recent.mayDecrease(samples)))
        }
        return true
    }

    /// Series indexes that may match: the intersection of the postings of every matcher that needs
    /// its label present; all series of the snapshot when no matcher narrows. Callers still check
    /// every matcher.
    func candidates(_ selector: ResolvedSelector) -> [Int] {
        var result: [UInt32]?
        for m in selector.matchers where !m.acceptsEmpty {
            let list = m.accepted == nil ? postings.ids(for: m.matcher) : m.acceptedIDs
            result = result.map { Postings.intersect($0, list) } ?? list
            if result?.isEmpty == true { return [] }
        }
        let count = min(selector.seriesCount, series.count)
        guard let result else { return Array(0..<count) }
        var out: [Int] = []
        out.reserveCapacity(result.count)
        for id in result where Int(id) < count { out.append(Int(id)) }
        return out
    }
}
