import MetricsCore

/// What a memoised subexpression's result depends on besides its text: which metrics' data it reads
/// (`metricNames`) and whether it reads the outer query's bounds (`readsQueryBounds`).
extension Evaluator {
    /// The memo key of `e` on this evaluator's grid. A subexpression that does not read the outer
    /// query's start, end or step depends only on its grid's times, so its key leaves them out, and
    /// a one-step grid's interval too: a rule's instant query and a one-step range query ending at
    /// the same time share their results.
    func memoKey(_ e: Expr) -> SubexpressionMemo.Key { memoKey(memoFacts(e)) }

    func memoKey(_ facts: MemoKeyTexts.Facts) -> SubexpressionMemo.Key {
        let bounds = facts.readsQueryBounds
        return SubexpressionMemo.Key(
            expr: facts.text, exprHash: facts.textHash, gridStart: grid.start, gridEnd: grid.end,
            interval: grid.count == 1 && !bounds ? 0 : grid.interval,
            queryStart: bounds ? queryStart : 0, queryEnd: bounds ? queryEnd : 0, queryStep: bounds ? queryStep : 0)
    }

    /// What the key of `e` is made from: from the query's table when it has one, else worked out.
    func memoFacts(_ e: Expr) -> MemoKeyTexts.Facts {
        let make = {
            MemoKeyTexts.Facts(text: e.description, metricNames: Evaluator.metricNames(e),
                               readsQueryBounds: Evaluator.readsQueryBounds(e))
        }
        guard let texts = memo?.texts else { return make() }
        return texts.facts(e, make)
    }

    /// The metric names the selectors of `e` read, when every selector names its metric by equality
    /// (sorted, unique); nil when some selector may read any metric, or `info` reads info series.
    static func metricNames(_ e: Expr) -> [String]? {
        var names: Set<String> = []
        var named = true
        e.walk { node in
            guard named else { return false }
            switch node {
            case .vectorSelector(let vs):
                if let name = metricName(vs) { names.insert(name) } else { named = false }
            case .matrixSelector(let ms):
                if let name = metricName(ms.vector) { names.insert(name) } else { named = false }
                return false
            case .call(let c) where c.name == "info":
                named = false
            default:
                break
            }
            return named
        }
        return named ? names.sorted() : nil
    }

    private static func metricName(_ vs: VectorSelector) -> String? {
        vs.matchers.first { $0.name == Labels.metricName && $0.kind == .equal }?.value
    }

    /// Whether `e` reads the outer query's start, end or step: `@ start()`/`@ end()`, the functions
    /// of those names (and `range()`), durations computed from them, or a sort (which warns only in
    /// range queries).
    static func readsQueryBounds(_ e: Expr) -> Bool {
        var reads = false
        e.walk { node in
            switch node {
            case .vectorSelector(let vs):
                if vs.offsetExpr != nil || isBound(vs.at) { reads = true }
            case .matrixSelector(let ms):
                if ms.rangeExpr != nil || ms.vector.offsetExpr != nil || isBound(ms.vector.at) { reads = true }
            case .subquery(let sq):
                if sq.rangeExpr != nil || sq.stepExpr != nil || sq.offsetExpr != nil || isBound(sq.at) { reads = true }
            case .call(let c):
                if ["start", "end", "range", "step"].contains(c.name) || c.name.hasPrefix("sort") { reads = true }
            default:
                break
            }
            return !reads
        }
        return reads
    }

    private static func isBound(_ at: AtModifier?) -> Bool {
        switch at {
        case .start, .end: return true
        case .timestamp, .none: return false
        }
    }
}
