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

    func accepts(_ labels: Labels) -> Bool { matchers.allSatisfy { $0.matches(labels) } }

    /// `accepts` for a series among `StoreState.candidates`: the matchers that chose the
    /// candidates from the postings (those that need their label present) hold already, exactly.
    func acceptsCandidate(_ labels: Labels) -> Bool {
        for m in matchers where m.acceptsEmpty && !m.matches(labels) { return false }
        return true
    }
}

extension MemoryStore {
    public func select(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] {
        guard mint <= maxt else { return [] }
        let (epoch, snapshots) = snapshots(matchers, mint: mint, maxt: maxt)
        // Chunks are decoded after unlocking, and only the samples appended since the last query.
        return decodeCache.samples(epoch: epoch, snapshots, mint: mint, maxt: maxt)
    }

    /// `select` as views of the decoded samples the store keeps (see `DecodeCache.windows`).
    public func selectWindows(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesWindow] {
        guard mint <= maxt else { return [] }
        let (epoch, snapshots) = snapshots(matchers, mint: mint, maxt: maxt)
        return decodeCache.windows(epoch: epoch, snapshots, mint: mint, maxt: maxt)
    }

    /// The chunks in `mint...maxt` of every series that matches, read under the lock.
    private func snapshots(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> (UInt32, [DecodeCache.Snapshot]) {
        withResolved(matchers) { s, selector in
            let candidates = s.candidates(selector)
            var out: [DecodeCache.Snapshot] = []
            // Made at the candidates' count: growing a list of snapshots copied each of them again.
            out.reserveCapacity(candidates.count)
            for i in candidates {
                guard selector.acceptsCandidate(s.series[i].labels) else { continue }
                // Sealed chunks are in time order: only the last few reach into a recent window.
                let sealed = s.series[i].sealed
                var first = sealed.endIndex
                while first > sealed.startIndex, sealed[first - 1].maxT >= mint { first -= 1 }
                var last = first
                while last < sealed.endIndex, sealed[last].minT <= maxt { last += 1 }
                // The head is read in place and copied once, into the snapshot.
                let headInWindow = s.series[i].head.count > 0 && s.series[i].head.maxT >= mint && s.series[i].head.minT <= maxt
                guard first < last || headInWindow else { continue }
                out.append(DecodeCache.Snapshot(id: UInt32(i), labels: s.series[i].labels, sealed: sealed[first..<last],
                                                head: headInWindow ? s.series[i].head : XORChunk(), hasHead: headInWindow))
            }
            return (s.epoch, out)
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
    func withResolved<R>(_ matchers: [LabelMatcher], _ body: (borrowing StoreState, ResolvedSelector) -> R) -> R {
        while true {
            let regexNames = Set(matchers.filter { $0.kind == .regexMatch || $0.kind == .regexNoMatch }.map(\.name))
            let (epoch, count, values) = state.withLock { s in
                (s.epoch, s.series.count, regexNames.map { (name: $0, values: s.postings.index[$0] ?? [:]) })
            }
            let byName = Dictionary(values, uniquingKeysWith: { a, _ in a })
            let resolved = matchers.map { m -> ResolvedSelector.Matcher in
                guard m.kind == .regexMatch || m.kind == .regexNoMatch else {
                    return .init(matcher: m, acceptsEmpty: m.matchesEmpty, accepted: nil, acceptedIDs: [])
                }
                var accepted: Set<String> = []
                var lists: [[UInt32]] = []
                for (value, ids) in byName[m.name] ?? [:] where !value.isEmpty && m.matches(value) {
                    accepted.insert(value)
                    lists.append(ids)
                }
                // A series has one value per name, so the lists are disjoint.
                let ids = lists.count == 1 ? lists[0] : lists.flatMap { $0 }.sorted()
                return .init(matcher: m, acceptsEmpty: m.matchesEmpty, accepted: accepted, acceptedIDs: ids)
            }
            let selector = ResolvedSelector(epoch: epoch, seriesCount: count, matchers: resolved)
            let result: R? = state.withLock { s in s.epoch == epoch ? body(s, selector) : nil }
            if let result { return result }
        }
    }
}

extension StoreState {
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
        return result.lazy.map { Int($0) }.filter { $0 < count }
    }
}
