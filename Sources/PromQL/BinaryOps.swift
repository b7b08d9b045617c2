import Foundation
import MetricsCore

extension BinaryOp {
    var isArithmetic: Bool { !isComparison && !isSetOperator }

    /// Prometheus' `vectorElemBinop`: the value and, for comparisons, whether the element is kept.
    func apply(_ l: Double, _ r: Double) -> (Double, Bool) {
        switch self {
        case .add: return (l + r, true)
        case .sub: return (l - r, true)
        case .mul: return (l * r, true)
        case .div: return (l / r, true)
        case .pow: return (Foundation.pow(l, r), true)
        case .mod: return (fmod(l, r), true)
        case .atan2: return (Foundation.atan2(l, r), true)
        case .eql: return (l, l == r)
        case .neq: return (l, l != r)
        case .gtr: return (l, l > r)
        case .lss: return (l, l < r)
        case .gte: return (l, l >= r)
        case .lte: return (l, l <= r)
        case .and, .or, .unless: return (l, true)
        }
    }
}

extension Evaluator {
    mutating func evalBinary(_ b: BinaryExpr) throws(PromQLEvalError) -> StepValue {
        let lv = try eval(b.lhs)
        let rv = try eval(b.rhs)
        switch (lv, rv) {
        case (.scalar(let l), .scalar(let r)):
            return .scalar(zip(l, r).map { x, y in
                let (v, keep) = b.op.apply(x, y)
                return b.op.isComparison ? (keep ? 1 : 0) : v
            })
        case (.vector(let l), .scalar(let r)):
            return .vector(vectorScalar(b, l, r, scalarOnLeft: false))
        case (.scalar(let l), .vector(let r)):
            return .vector(vectorScalar(b, r, l, scalarOnLeft: true))
        case (.vector(let l), .vector(let r)):
            return .vector(try vectorVector(b, l, r))
        default:
            throw PromQLEvalError("binary expression must contain only scalar and instant vector types")
        }
    }

    private func vectorScalar(_ b: BinaryExpr, _ vec: [StepSeries], _ sc: [Double], scalarOnLeft: Bool) -> [StepSeries] {
        var out: [StepSeries] = []
        for s in vec {
            var values = s.values
            var any = false
            for i in values.indices {
                guard let x = values[i] else { continue }
                let (l, r) = scalarOnLeft ? (sc[i], x) : (x, sc[i])
                var (v, keep) = b.op.apply(l, r)
                // A comparison keeps the vector element's value even when the scalar is on the left.
                if b.op.isComparison && scalarOnLeft { v = x }
                if b.returnBool {
                    values[i] = keep ? 1 : 0
                } else if keep {
                    values[i] = v
                } else {
                    values[i] = nil
                    continue
                }
                any = true
            }
            if any {
                out.append(StepSeries(labels: s.labels, values: values,
                                      dropName: s.dropName || b.op.isArithmetic || b.returnBool))
            }
        }
        return out
    }

    private func vectorVector(_ b: BinaryExpr, _ l: [StepSeries], _ r: [StepSeries]) throws(PromQLEvalError) -> [StepSeries] {
        let m = b.matching ?? VectorMatching(
            cardinality: b.op.isSetOperator ? .manyToMany : .oneToOne, on: false, labels: [], include: [])
        let matchSet = Set(m.labels)
        func signature(_ labels: Labels) -> Labels {
            m.on ? labels.keeping(matchSet) : labels.removing(matchSet.union([Labels.metricName]))
        }
        // Signatures only depend on the series, so compute them once for the whole grid.
        let lsig = l.map { signature($0.labels) }
        let rsig = r.map { signature($0.labels) }
        var asm = SeriesAssembler(steps: grid.count)
        for i in 0..<grid.count {
            let li = l.indices.filter { l[$0].values[i] != nil }
            let ri = r.indices.filter { r[$0].values[i] != nil }
            switch b.op {
            case .and, .unless:
                guard !li.isEmpty else { continue }
                let rs = Set(ri.map { rsig[$0] })
                for k in li where rs.contains(lsig[k]) == (b.op == .and) {
                    try asm.add(l[k].labels, l[k].values[i]!, dropName: l[k].dropName, step: i)
                }
            case .or:
                var ls = Set<Labels>()
                for k in li {
                    ls.insert(lsig[k])
                    try asm.add(l[k].labels, l[k].values[i]!, dropName: l[k].dropName, step: i)
                }
                for k in ri where !ls.contains(rsig[k]) {
                    try asm.add(r[k].labels, r[k].values[i]!, dropName: r[k].dropName, step: i)
                }
            default:
                guard !li.isEmpty, !ri.isEmpty else { continue }
                for e in try matchStep(b, m, l, r, li, ri, lsig, rsig, step: i) {
                    try asm.add(e.labels, e.value, dropName: e.dropName, step: i)
                }
            }
        }
        return asm.series
    }

    /// One step of an arithmetic or comparison operation between two vectors (Prometheus' VectorBinop).
    private func matchStep(
        _ b: BinaryExpr, _ m: VectorMatching, _ l: [StepSeries], _ r: [StepSeries],
        _ li: [Int], _ ri: [Int], _ lsig: [Labels], _ rsig: [Labels], step i: Int
    ) throws(PromQLEvalError) -> [Element] {
        let swap = m.cardinality == .oneToMany
        let (manySide, oneSide) = swap ? (r, l) : (l, r)
        let (manyIdx, oneIdx) = swap ? (ri, li) : (li, ri)
        let (manySig, oneSig) = swap ? (rsig, lsig) : (lsig, rsig)
        var ones: [Labels: Int] = [:]
        for k in oneIdx {
            if let prev = ones[oneSig[k]] {
                let side = swap ? "left" : "right"
                let pair = [braceForm(oneSide[k].labels), braceForm(oneSide[prev].labels)].sorted()
                throw PromQLEvalError(
                    "found duplicate series for the match group \(braceForm(oneSig[k])) on the \(side) hand-side of the operation: [\(pair[0]), \(pair[1])];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            ones[oneSig[k]] = k
        }
        var matched: [Labels: Set<Labels>] = [:]
        var out: [Element] = []
        for k in manyIdx {
            guard let o = ones[manySig[k]] else { continue }
            let many = manySide[k], one = oneSide[o]
            let (fl, fr) = swap ? (one.values[i]!, many.values[i]!) : (many.values[i]!, one.values[i]!)
            var labels = many.labels
            if m.cardinality == .oneToOne {
                labels = m.on ? labels.keeping(Set(m.labels)) : labels.removing(Set(m.labels))
            }
            for name in m.include {
                labels.set(name, one.labels[name] ?? "")
            }
            if m.cardinality == .oneToOne {
                if matched[manySig[k]] != nil {
                    throw PromQLEvalError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
                matched[manySig[k]] = []
            } else {
                if matched[manySig[k], default: []].contains(labels) {
                    throw PromQLEvalError("multiple matches for labels: grouping labels must ensure unique matches")
                }
                matched[manySig[k], default: []].insert(labels)
            }
            // Matching errors are raised above even for elements a comparison filters out.
            var (value, keep) = b.op.apply(fl, fr)
            if b.returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            out.append(Element(labels: labels, value: value,
                               dropName: many.dropName || b.op.isArithmetic || b.returnBool))
        }
        return out
    }
}
