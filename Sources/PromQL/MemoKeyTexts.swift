import Synchronization

/// What the memo needs to know about the memoisable nodes of one parsed query (the printed key, the
/// metric names read, whether the query's bounds are read), worked out once per node instead of at
/// every evaluation: printing the keys cost about as much as the memo saved on small queries.
///
/// Valid only for the expression parsed from one text (`PromQLParseCache.parsedWithKeys`): nodes are
/// known by their span of that text, and two memoisable nodes of one expression never share a span
/// (an aggregation or a call spans its name and its parentheses, which its arguments do not).
public final class MemoKeyTexts: Sendable {
    struct Facts {
        let text: String
        let metricNames: [String]?
        let readsQueryBounds: Bool
        /// `text.hashValue`, for `SubexpressionMemo.Key`.
        let textHash: Int

        init(text: String, metricNames: [String]?, readsQueryBounds: Bool) {
            self.text = text
            self.metricNames = metricNames
            self.readsQueryBounds = readsQueryBounds
            textHash = text.hashValue
        }
    }

    private let byPosition = Mutex<[PositionRange: Facts]>([:])

    public init() {}

    /// The facts of `e`, worked out by `make` the first time.
    func facts(_ e: Expr, _ make: () -> Facts) -> Facts {
        let position = e.position
        if let known = byPosition.withLock({ $0[position] }) { return known }
        let made = make()
        byPosition.withLock { $0[position] = made }
        return made
    }
}
