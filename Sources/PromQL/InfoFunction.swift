import MetricsCore

/// Prometheus 3's experimental `info(v, {data-label selector})`: enriches each series with the data
/// labels of the info series (`target_info` by default) that share its identifying labels
/// (`instance`, `job`), as of the time the series itself was read.
extension Evaluator {
    static let identifyingLabels = ["instance", "job"]

    mutating func evalInfo(_ c: FunctionCall) throws(PromQLEvalError) -> [StepSeries] {
        let base = try evalVector(c.args[0])
        var selector: [LabelMatcher] = []
        if c.args.count > 1 {
            guard case .vectorSelector(let vs) = Evaluator.unwrapParens(c.args[1]) else {
                throw PromQLEvalError("expected label selectors as the second argument to \"info\" function")
            }
            selector = vs.matchers
        }
        var nameMatchers = selector.filter { $0.name == Labels.metricName }
        let dataMatchers = selector.filter { $0.name != Labels.metricName }
        let positive = nameMatchers.contains { $0.kind == .equal || $0.kind == .regexMatch }
        if nameMatchers.isEmpty {
            nameMatchers = Evaluator.nameMatcher(.equal, "target_info")
        } else if !positive {
            nameMatchers += Evaluator.nameMatcher(.regexMatch, ".+_info")
        }
        // The time each step's base sample was read at, so info series are matched at the same instant.
        let refTimes = (0..<grid.count).map { Evaluator.referenceTime(c.args[0], grid.time($0), resolve) }
        guard let lo = refTimes.min(), let hi = refTimes.max() else { return [] }
        let infos = storage.select(nameMatchers + dataMatchers, mint: lo - options.lookbackDelta + 1, maxt: hi)
        let requiresMatch = dataMatchers.contains { !$0.matchesEmpty }
        let wanted = Set(dataMatchers.map(\.name))

        var asm = SeriesAssembler(steps: grid.count)
        for s in base {
            let isInfoSeries = nameMatchers.allSatisfy { $0.matches(s.labels) }
            let identity = Evaluator.identifyingLabels.map { s.labels[$0] ?? "" }
            for i in 0..<grid.count {
                guard let v = s.values[i] else { continue }
                if isInfoSeries {
                    try asm.add(s.labels, v, dropName: s.dropName, step: i)
                    continue
                }
                // The newest matching info series per info metric name.
                var newest: [String: (t: Timestamp, labels: Labels)] = [:]
                for info in infos where Evaluator.identifyingLabels.map({ info.labels[$0] ?? "" }) == identity {
                    let idx = SampleSearch.lastAtOrBefore(info.samples, refTimes[i])
                    guard idx >= 0 else { continue }
                    let sample = info.samples[idx]
                    guard sample.t > refTimes[i] - options.lookbackDelta, !StaleNaN.isStale(sample.v) else { continue }
                    let name = info.labels.name ?? ""
                    if let cur = newest[name], cur.t >= sample.t { continue }
                    newest[name] = (sample.t, info.labels)
                }
                if newest.isEmpty {
                    if !requiresMatch { try asm.add(s.labels, v, dropName: s.dropName, step: i) }
                    continue
                }
                var labels = s.labels
                var added: [String: String] = [:]
                for (_, info) in newest.sorted(by: { $0.key < $1.key }) {
                    for l in info.labels.pairs where l.name != Labels.metricName && !Evaluator.identifyingLabels.contains(l.name) {
                        if !wanted.isEmpty && !wanted.contains(l.name) { continue }
                        if s.labels[l.name] != nil { continue }
                        if let prev = added[l.name], prev != l.value {
                            throw PromQLEvalError("conflicting label: \(l.name) has values \"\(prev)\" and \"\(l.value)\" in info metrics")
                        }
                        added[l.name] = l.value
                        labels.set(l.name, l.value)
                    }
                }
                try asm.add(labels, v, dropName: s.dropName, step: i)
            }
        }
        return asm.series
    }

    /// A constant, valid `__name__` matcher (as an array so that no failure path needs a trap).
    private static func nameMatcher(_ kind: LabelMatcher.Kind, _ value: String) -> [LabelMatcher] {
        (try? LabelMatcher(kind, Labels.metricName, value)).map { [$0] } ?? []
    }

    /// The time at which the first selector under `e` reads data when evaluated at `t`,
    /// following `@` and `offset` through subqueries.
    static func referenceTime(_ e: Expr, _ t: Timestamp, _ resolve: (AtModifier?) -> Timestamp?) -> Timestamp {
        switch e {
        case .vectorSelector(let vs): return (resolve(vs.at) ?? t) - vs.offset
        case .matrixSelector(let ms): return (resolve(ms.vector.at) ?? t) - ms.vector.offset
        case .subquery(let sq): return referenceTime(sq.expr, (resolve(sq.at) ?? t) - sq.offset, resolve)
        case .paren(let inner, _), .unary(_, let inner, _): return referenceTime(inner, t, resolve)
        case .aggregate(let a): return referenceTime(a.expr, t, resolve)
        case .binary(let b): return referenceTime(b.lhs.type == .vector ? b.lhs : b.rhs, t, resolve)
        case .call(let c):
            if let arg = c.args.first(where: { $0.type == .vector || $0.type == .matrix }) { return referenceTime(arg, t, resolve) }
            return t
        case .number, .string: return t
        }
    }
}
