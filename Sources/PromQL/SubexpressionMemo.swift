import MetricsCore
import Synchronization

/// Results of aggregations and range functions, shared by the queries of one refresh that evaluate
/// the same subexpression over the same grid against the same data (the latency panel's three
/// `histogram_quantile(φ, sum by (le) (rate(…_bucket[1m])))` all need one `sum by (le) (rate(…))`).
///
/// An entry is valid only for the storage version it was computed at: the caller passes the
/// version read before the query (a counter the store bumps on every change) and an entry is stored
/// only when the version did not move while it was computed. Subtrees that produced warnings or
/// infos are not stored: their text names positions in the query they came from.
public final class SubexpressionMemo: Sendable {
    struct Key: Hashable {
        var expr: String
        var gridStart: Timestamp
        var gridEnd: Timestamp
        var interval: Int64
        var queryStart: Timestamp
        var queryEnd: Timestamp
        var queryStep: Int64
    }

    /// Held while one query computes a key, so the refresh's other queries, which run at the same
    /// time, wait for that result instead of computing it again. A subexpression's key is always
    /// shorter than its parent's, so two queries never wait for each other.
    final class Gate: Sendable {
        let lock = Mutex(())
    }

    private struct State {
        var version: UInt64 = 0
        var entries: [Key: StepValue] = [:]
        var gates: [Key: Gate] = [:]
        var hits = 0
        var misses = 0
    }

    /// Entries kept for one version at most; past it the memo starts again (bounds memory).
    static let maxEntries = 64
    private let state = Mutex(State())

    public init() {}

    /// Lookups answered from the memo and lookups that had to evaluate, since creation.
    public var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    /// The stored value (counted as a hit), or nil.
    func lookup(_ key: Key, version: UInt64) -> StepValue? {
        state.withLock { s in
            guard s.version == version, let value = s.entries[key] else { return nil }
            s.hits += 1
            return value
        }
    }

    /// The gate for `key`, made on first use (for the current version only). Newer data starts the
    /// memo again here, before any gate of that version is handed out, so no gate is dropped while
    /// queries of its version still use it.
    func gate(_ key: Key, version: UInt64) -> Gate? {
        state.withLock { s in
            guard version >= s.version else { return nil }
            Self.advance(&s, to: version)
            if let gate = s.gates[key] { return gate }
            if s.gates.count >= Self.maxEntries { s.gates = [:] }
            let gate = Gate()
            s.gates[key] = gate
            return gate
        }
    }

    private static func advance(_ s: inout State, to version: UInt64) {
        guard version > s.version else { return }
        s.version = version
        s.entries = [:]
        s.gates = [:]
    }

    func noteMiss() { state.withLock { $0.misses += 1 } }

    func store(_ key: Key, _ value: StepValue, version: UInt64) {
        state.withLock { s in
            // Only newer data replaces the entries (a slow query of an older version must not).
            guard version >= s.version else { return }
            Self.advance(&s, to: version)
            if s.entries.count >= Self.maxEntries { s.entries = [:] }
            s.entries[key] = value
        }
    }
}

/// The memo and the storage version a query runs at, with how to read the version again.
struct MemoContext: Sendable {
    let memo: SubexpressionMemo
    let version: UInt64
    let currentVersion: @Sendable () -> UInt64
}

extension Evaluator {
    /// Whether `e` is worth memoising: an aggregation or a range function (where the samples are read
    /// and folded); everything else is cheap next to printing the key.
    static func isMemoisable(_ e: Expr) -> Bool {
        switch e {
        case .aggregate: return true
        case .call(let c): return isRangeFunction(c.name)
        default: return false
        }
    }

    /// `eval` through the memo when there is one.
    mutating func evalMemoised(_ e: Expr) throws(PromQLEvalError) -> StepValue {
        guard let memo, Evaluator.isMemoisable(e) else { return try evalDirect(e) }
        let key = SubexpressionMemo.Key(expr: e.description, gridStart: grid.start, gridEnd: grid.end,
                                        interval: grid.interval, queryStart: queryStart, queryEnd: queryEnd,
                                        queryStep: queryStep)
        if let hit = memo.memo.lookup(key, version: memo.version) { return hit }
        guard let gate = memo.memo.gate(key, version: memo.version) else { return try compute(e, key, memo) }
        return try gate.lock.withLock { _ throws(PromQLEvalError) -> StepValue in
            if let hit = memo.memo.lookup(key, version: memo.version) { return hit }
            return try compute(e, key, memo)
        }
    }

    private mutating func compute(_ e: Expr, _ key: SubexpressionMemo.Key, _ memo: MemoContext) throws(PromQLEvalError) -> StepValue {
        memo.memo.noteMiss()
        let outer = annotations
        annotations = Annotations()
        let value = try evalDirect(e)
        let produced = annotations
        annotations = outer
        for w in produced.warnings { annotations.warn(w) }
        for i in produced.infos { annotations.info(i) }
        if produced.warnings.isEmpty, produced.infos.isEmpty, memo.currentVersion() == memo.version {
            memo.memo.store(key, value, version: memo.version)
        }
        return value
    }
}
