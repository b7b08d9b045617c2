import MetricsCore
import Synchronization

/// Results of aggregations and range functions, shared by the queries of one refresh that evaluate
/// the same subexpression over the same grid against the same data (the latency panel's three
/// `histogram_quantile(φ, sum by (le) (rate(…_bucket[1m])))` all need one `sum by (le) (rate(…))`),
/// and by the rules of a group, which are evaluated at one time.
///
/// An entry is valid only for the data it was computed from: each subexpression is dated by the
/// storage's stamp for the metric names its selectors read (`DataStamp`; any data at all when a
/// selector names no metric), read before it is computed; an entry is stored only when that stamp
/// did not move while it was computed, and served only while the stamp is unchanged. So a recording
/// rule writing its output does not discard the results of queries that do not read that output.
/// Subtrees that produced warnings or infos are not stored: their text names positions in the query
/// they came from.
public final class SubexpressionMemo: Sendable {
    struct Key: Hashable {
        var expr: String
        /// `expr`'s hash, worked out once per node (`MemoKeyTexts`): keys are hashed at every lookup,
        /// gate and store, and again when the table grows or drops its older half, and hashing
        /// a subexpression's text each time was most of the memo's cost.
        var exprHash: Int
        var gridStart: Timestamp
        var gridEnd: Timestamp
        var interval: Int64
        var queryStart: Timestamp
        var queryEnd: Timestamp
        var queryStep: Int64

        func hash(into h: inout Hasher) {
            h.combine(exprHash)
            h.combine(gridStart)
            h.combine(gridEnd)
            h.combine(interval)
            h.combine(queryStart)
            h.combine(queryEnd)
            h.combine(queryStep)
        }

        /// The text is compared last: the numbers tell most keys apart, and the keys of one node share its String.
        static func == (a: Key, b: Key) -> Bool {
            a.exprHash == b.exprHash && a.gridStart == b.gridStart && a.gridEnd == b.gridEnd && a.interval == b.interval
                && a.queryStart == b.queryStart && a.queryEnd == b.queryEnd && a.queryStep == b.queryStep && a.expr == b.expr
        }
    }

    /// Held while one query computes a key, so the refresh's other queries, which run at the same
    /// time, wait for that result instead of computing it again. A subexpression's key is always
    /// shorter than its parent's, so two queries never wait for each other.
    final class Gate: Sendable {
        let lock = Mutex(())
    }

    private struct Entry {
        var stamp: UInt64
        var value: StepValue
        var order: UInt64
    }

    private struct GateEntry {
        var stamp: UInt64
        var gate: Gate
        var order: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var gates: [Key: GateEntry] = [:]
        /// Insertion order, for dropping the oldest half when full.
        var next: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    /// Entries (and gates) kept at most; past it the older half goes (bounds memory).
    static let maxEntries = 64
    private let state = Mutex(State())
    /// Aggregations' groups, kept for the next evaluation over the same series (not dated: an entry
    /// is checked against the input itself).
    let groupings = GroupingCache()
    /// label_replace's compiled patterns (not dated: a pattern's compiled form never changes).
    let labelPatterns = LabelPatternCache()

    public init() {}

    /// Lookups answered from the memo and lookups that had to evaluate, since creation.
    public var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    /// The value stored for `key` from data at `stamp` (counted as a hit), or nil.
    func lookup(_ key: Key, stamp: UInt64) -> StepValue? {
        state.withLock { s in
            guard let entry = s.entries[key], entry.stamp == stamp else { return nil }
            s.hits += 1
            return entry.value
        }
    }

    /// The gate for `key` at `stamp`, made on first use; nil when a query of newer data already
    /// holds the key's gate (an older query then computes on its own rather than wait).
    func gate(_ key: Key, stamp: UInt64) -> Gate? {
        state.withLock { s in
            if let held = s.gates[key] {
                if held.stamp == stamp { return held.gate }
                if held.stamp > stamp { return nil }
            }
            if s.gates.count >= Self.maxEntries { Self.dropOlderHalf(&s.gates, next: s.next) { $0.order } }
            let gate = Gate()
            s.gates[key] = GateEntry(stamp: stamp, gate: gate, order: s.next)
            s.next &+= 1
            return gate
        }
    }

    func noteMiss() { state.withLock { $0.misses += 1 } }

    func store(_ key: Key, _ value: StepValue, stamp: UInt64) {
        state.withLock { s in
            // A slow query of older data must not replace a newer entry.
            if let kept = s.entries[key], kept.stamp > stamp { return }
            if s.entries.count >= Self.maxEntries { Self.dropOlderHalf(&s.entries, next: s.next) { $0.order } }
            s.entries[key] = Entry(stamp: stamp, value: value, order: s.next)
            s.next &+= 1
        }
    }

    private static func dropOlderHalf<V>(_ d: inout [Key: V], next: UInt64, order: (V) -> UInt64) {
        let orders = d.values.map(order).sorted()
        let cut = orders[orders.count / 2]
        d = d.filter { order($0.value) >= cut }
    }
}

/// How storage dates its data for the memo: a stamp that moves whenever data a selector of the
/// given metric names could see changes (appended, dropped or renumbered), or any data when the
/// names are nil. Stamps only grow.
public typealias DataStamp = @Sendable (_ metricNames: [String]?) -> UInt64

/// The memo and how to date the data a query runs on.
struct MemoContext: Sendable {
    let memo: SubexpressionMemo
    let stamp: DataStamp
    /// The query's key texts, when its caller keeps them (see `MemoKeyTexts`).
    var texts: MemoKeyTexts? = nil
}

extension Evaluator {
    /// Whether `e` is worth memoising: an aggregation or a range function (where the samples are read
    /// and folded); everything else is cheap next to printing the key.
    static func isMemoisable(_ e: Expr) -> Bool {
        switch e {
        case .aggregate: return true
        case .call(let c): return c.rangeFunction != nil
        default: return false
        }
    }

    /// `eval` through the memo when there is one.
    mutating func evalMemoised(_ e: Expr) throws(PromQLEvalError) -> StepValue {
        guard let memo, Evaluator.isMemoisable(e) else { return try evalDirect(e) }
        let facts = memoFacts(e)
        let key = memoKey(facts)
        let names = facts.metricNames
        let stamp = memo.stamp(names)
        if let hit = memo.memo.lookup(key, stamp: stamp) { return hit }
        guard let gate = memo.memo.gate(key, stamp: stamp) else { return try compute(e, key, names, stamp, memo) }
        return try gate.lock.withLock { _ throws(PromQLEvalError) -> StepValue in
            if let hit = memo.memo.lookup(key, stamp: stamp) { return hit }
            return try compute(e, key, names, stamp, memo)
        }
    }

    private mutating func compute(
        _ e: Expr, _ key: SubexpressionMemo.Key, _ names: [String]?, _ stamp: UInt64, _ memo: MemoContext
    ) throws(PromQLEvalError) -> StepValue {
        memo.memo.noteMiss()
        let outer = annotations
        annotations = Annotations()
        let value = try evalDirect(e)
        let produced = annotations
        annotations = outer
        for w in produced.warnings { annotations.warn(w) }
        for i in produced.infos { annotations.info(i) }
        if produced.warnings.isEmpty, produced.infos.isEmpty, memo.stamp(names) == stamp {
            memo.memo.store(key, value, stamp: stamp)
        }
        return value
    }
}
