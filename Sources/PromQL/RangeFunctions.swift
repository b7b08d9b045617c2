import Foundation
import MetricsCore

/// Functions over range vectors (`rate`, `*_over_time`, ...), applied to each step's left-open window.
extension Evaluator {
    static let rangeFunctionNames: Set<String> = [
        "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "changes", "resets",
        "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "quantile_over_time",
        "stddev_over_time", "stdvar_over_time", "last_over_time", "first_over_time", "present_over_time",
        "mad_over_time", "ts_of_max_over_time", "ts_of_min_over_time", "ts_of_last_over_time",
        "ts_of_first_over_time", "double_exponential_smoothing",
    ]

    mutating func evalRangeFunction(_ c: FunctionCall) throws(PromQLEvalError) -> StepValue {
        let matrixIndex = c.name == "quantile_over_time" ? 1 : 0
        let input = try evalRange(c.args[matrixIndex])
        var params: [[Double]] = []
        for (k, arg) in c.args.enumerated() where k != matrixIndex { params.append(try evalScalar(arg)) }
        if c.name == "double_exponential_smoothing" {
            for i in 0..<grid.count {
                let sf = params[0][i], tf = params[1][i]
                if !(sf > 0 && sf < 1) { throw PromQLEvalError("invalid smoothing factor. Expected: 0 < sf < 1, got: \(sf)") }
                if !(tf > 0 && tf < 1) { throw PromQLEvalError("invalid trend factor. Expected: 0 < tf < 1, got: \(tf)") }
            }
        }
        let keepsName = c.name == "last_over_time" || c.name == "first_over_time"
        var out: [StepSeries] = []
        for s in input.series {
            var values = [Double?](repeating: nil, count: grid.count)
            var any = false
            for i in 0..<grid.count {
                let end = (input.at ?? grid.time(i)) - input.offset
                let w = SampleSearch.window(s.samples, end: end, range: input.range)
                guard !w.isEmpty else { continue }
                let p = params.map { $0[i] }
                if let v = rangeValue(c.name, w, start: end - input.range, end: end, range: input.range,
                                      stepTime: grid.time(i), params: p) {
                    values[i] = v
                    any = true
                }
            }
            if any { out.append(StepSeries(labels: s.labels, values: values, dropName: keepsName ? s.dropName : true)) }
        }
        return .vector(out)
    }

    private func rangeValue(
        _ name: String, _ w: ArraySlice<Sample>, start: Timestamp, end: Timestamp, range: Int64,
        stepTime: Timestamp, params: [Double]
    ) -> Double? {
        switch name {
        case "rate": return Evaluator.extrapolatedRate(w, start: start, end: end, range: range, counter: true, rate: true)
        case "increase": return Evaluator.extrapolatedRate(w, start: start, end: end, range: range, counter: true, rate: false)
        case "delta": return Evaluator.extrapolatedRate(w, start: start, end: end, range: range, counter: false, rate: false)
        case "irate", "idelta":
            guard w.count >= 2 else { return nil }
            let last = w[w.endIndex - 1], prev = w[w.endIndex - 2]
            if name == "idelta" { return last.v - prev.v }
            let interval = Double(last.t - prev.t) / 1000
            guard interval != 0 else { return nil }
            return (last.v < prev.v ? last.v : last.v - prev.v) / interval
        case "deriv":
            guard w.count >= 2 else { return nil }
            return PromMath.linearRegression(w, interceptTime: w[w.startIndex].t).0
        case "predict_linear":
            guard w.count >= 2 else { return nil }
            let (slope, intercept) = PromMath.linearRegression(w, interceptTime: stepTime)
            return slope * params[0] + intercept
        case "changes":
            var n = 0.0
            var prev = w[w.startIndex].v
            for s in w.dropFirst() {
                if !(s.v == prev || (s.v.isNaN && prev.isNaN)) { n += 1 }
                prev = s.v
            }
            return n
        case "resets":
            var n = 0.0
            var prev = w[w.startIndex].v
            for s in w.dropFirst() {
                if s.v < prev { n += 1 }
                prev = s.v
            }
            return n
        case "avg_over_time": return PromMath.mean(w.lazy.map(\.v))
        case "sum_over_time": return PromMath.sum(w.lazy.map(\.v))
        case "count_over_time": return Double(w.count)
        case "present_over_time": return 1
        case "last_over_time": return w[w.endIndex - 1].v
        case "first_over_time": return w[w.startIndex].v
        case "ts_of_last_over_time": return Double(w[w.endIndex - 1].t) / 1000
        case "ts_of_first_over_time": return Double(w[w.startIndex].t) / 1000
        case "min_over_time", "max_over_time", "ts_of_min_over_time", "ts_of_max_over_time":
            let isMax = name.hasSuffix("max_over_time")
            var best = w[w.startIndex]
            for s in w.dropFirst() {
                if (isMax ? s.v >= best.v : s.v <= best.v) || best.v.isNaN { best = s }
            }
            return name.hasPrefix("ts_of") ? Double(best.t) / 1000 : best.v
        case "quantile_over_time": return PromMath.quantile(params[0], w.map(\.v))
        case "stddev_over_time": return PromMath.variance(w.lazy.map(\.v)).squareRoot()
        case "stdvar_over_time": return PromMath.variance(w.lazy.map(\.v))
        case "mad_over_time":
            let values = w.map(\.v)
            let median = PromMath.quantile(0.5, values)
            return PromMath.quantile(0.5, values.map { abs($0 - median) })
        case "double_exponential_smoothing":
            guard w.count >= 2 else { return nil }
            let sf = params[0], tf = params[1]
            let xs = w.map(\.v)
            var s0 = 0.0, s1 = xs[0], b = xs[1] - xs[0]
            for i in 1..<xs.count {
                if i > 1 { b = tf * (s1 - s0) + (1 - tf) * b }
                let next = sf * xs[i] + (1 - sf) * (s1 + b)
                s0 = s1
                s1 = next
            }
            return s1
        default: return nil
        }
    }

    /// Prometheus' `extrapolatedRate`: extrapolates to the window edges when the first/last sample is
    /// within 110% of the average interval, otherwise by half an interval; counters never below zero.
    static func extrapolatedRate(
        _ w: ArraySlice<Sample>, start: Timestamp, end: Timestamp, range: Int64, counter: Bool, rate: Bool
    ) -> Double? {
        guard w.count >= 2 else { return nil }
        let first = w[w.startIndex], last = w[w.endIndex - 1]
        var result = last.v - first.v
        if counter {
            var prev = first.v
            for s in w.dropFirst() {
                if s.v < prev { result += prev }
                prev = s.v
            }
        }
        var toStart = Double(first.t - start) / 1000
        var toEnd = Double(end - last.t) / 1000
        let sampled = Double(last.t - first.t) / 1000
        let average = sampled / Double(w.count - 1)
        let threshold = average * 1.1
        if toStart >= threshold { toStart = average / 2 }
        if counter && result > 0 && first.v >= 0 {
            let toZero = sampled * (first.v / result)
            if toZero < toStart { toStart = toZero }
        }
        if toEnd >= threshold { toEnd = average / 2 }
        var factor = (sampled + toStart + toEnd) / sampled
        if rate { factor /= Double(range) / 1000 }
        return result * factor
    }
}
