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
            var matcher = VectorMatcher(b, l, r, steps: grid.count)
            return .vector(try matcher.run())
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
}
