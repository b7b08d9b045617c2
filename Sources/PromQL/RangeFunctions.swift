import Foundation
import MetricsCore

/// Range-vector functions, resolved once per call so the per-window work switches on an enum.
enum RangeFunction: String {
    case rate
    case irate
    case increase
    case delta
    case idelta
    case deriv
    case predictLinear = "predict_linear"
    case changes
    case resets
    case avgOverTime = "avg_over_time"
    case minOverTime = "min_over_time"
    case maxOverTime = "max_over_time"
    case sumOverTime = "sum_over_time"
    case countOverTime = "count_over_time"
    case quantileOverTime = "quantile_over_time"
    case stddevOverTime = "stddev_over_time"
    case stdvarOverTime = "stdvar_over_time"
    case lastOverTime = "last_over_time"
    case firstOverTime = "first_over_time"
    case presentOverTime = "present_over_time"
    case madOverTime = "mad_over_time"
    case tsOfMaxOverTime = "ts_of_max_over_time"
    case tsOfMinOverTime = "ts_of_min_over_time"
    case tsOfLastOverTime = "ts_of_last_over_time"
    case tsOfFirstOverTime = "ts_of_first_over_time"
    case doubleExponentialSmoothing = "double_exponential_smoothing"
}

/// Functions over range vectors (`rate`, `*_over_time`, ...), applied to each step's left-open window.
extension Evaluator {
    mutating func evalRangeFunction(_ c: FunctionCall) throws(PromQLEvalError) -> StepValue {
        guard let fn = c.rangeFunction else { throw PromQLEvalError("unknown range function \(c.name)") }
        let matrixIndex = fn == .quantileOverTime ? 1 : 0
        let input = try evalRange(c.args[matrixIndex])
        var params: [[Double]] = []
        for (k, arg) in c.args.enumerated() where k != matrixIndex { params.append(try evalScalar(arg)) }
        if fn == .doubleExponentialSmoothing {
            for i in 0..<grid.count {
                let sf = params[0][i], tf = params[1][i]
                if !(sf > 0 && sf < 1) { throw PromQLEvalError("invalid smoothing factor. Expected: 0 < sf < 1, got: \(sf)") }
                if !(tf > 0 && tf < 1) { throw PromQLEvalError("invalid trend factor. Expected: 0 < tf < 1, got: \(tf)") }
            }
        }
        if fn == .quantileOverTime, let q = params.first { warnInvalidQuantiles(q, c.args[0].position) }
        let keepsName = fn == .lastOverTime || fn == .firstOverTime
        if input.anchored, ![.changes, .delta, .increase, .rate, .resets].contains(fn) {
            throw PromQLEvalError("anchored modifier can only be used with: changes, delta, increase, rate, resets - not with \(c.name)")
        }
        if input.smoothed, ![.delta, .increase, .rate].contains(fn) {
            throw PromQLEvalError("smoothed modifier can only be used with: delta, increase, rate - not with \(c.name)")
        }
        if input.anchored || input.smoothed { return .vector(extendedRange(fn, input)) }
        var p = [Double](repeating: 0, count: params.count)
        var out: [StepSeries] = []
        out.reserveCapacity(input.series.count)
        // The counter hint is never given for a name with a counter's suffix (bucket series repeat
        // theirs), so the type label is looked at only for other names; a selector naming its metric
        // with such a suffix needs no look at any series.
        let checksCounter = (fn == .rate || fn == .increase) && !Self.namesCounter(c.args[matrixIndex])
        var lastName: String?? = .none
        var nameNeedsCheck = false
        let single = grid.count == 1
        if single { for k in params.indices { p[k] = params[k][0] } }
        // By index: `for s in input.series` copied each series out (a retain and release of its
        // labels and samples).
        for si in input.series.indices {
            // By appending, never `[Double?](repeating:count:)` (see `StepValues.init(missing:)`);
            // one step is held inline.
            let values: StepValues
            if single {
                guard let v = windowValue(fn, input.series[si].samples, input.series[si].mayDecrease, step: 0, input, p) else { continue }
                values = [v]
            } else {
                var steps: [Double?] = []
                steps.reserveCapacity(grid.count)
                var any = false
                for i in 0..<grid.count {
                    for k in params.indices { p[k] = params[k][i] }
                    let v = windowValue(fn, input.series[si].samples, input.series[si].mayDecrease, step: i, input, p)
                    if v != nil { any = true }
                    steps.append(v)
                }
                guard any else { continue }
                values = StepValues(steps)
            }
            out.append(StepSeries(labels: input.series[si].labels, values: values, dropName: keepsName ? input.series[si].dropName : true))
            if checksCounter {
                let name = input.series[si].labels.name
                if lastName != .some(name) {
                    lastName = .some(name)
                    nameNeedsCheck = name.map { !Evaluator.hasCounterSuffix($0) } ?? false
                }
                if nameNeedsCheck { noteIfNotCounter(input.series[si].labels, c.args[matrixIndex].position) }
            }
        }
        return .vector(out)
    }

    /// `fn` over step `i`'s left-open window of `samples`, nil for an empty window.
    private func windowValue(
        _ fn: RangeFunction, _ samples: ArraySlice<Sample>, _ mayDecrease: Bool, step i: Int, _ input: RangeInput,
        _ params: [Double]
    ) -> Double? {
        let end = (input.at ?? grid.time(i)) - input.offset
        // A one-step query selected exactly its window, so no search is needed most of the time.
        let w: ArraySlice<Sample>
        if let first = samples.first, let last = samples.last, first.t > end - input.range, last.t <= end {
            w = samples[...]
        } else {
            w = SampleSearch.window(samples, end: end, range: input.range)
        }
        guard !w.isEmpty else { return nil }
        return rangeValue(fn, w, start: end - input.range, end: end, range: input.range, stepTime: grid.time(i), params: params,
                          mayDecrease: mayDecrease)
    }

    /// Whether `e` selects one metric by name and that name has a counter's suffix: every series it
    /// yields then has that name.
    private static func namesCounter(_ e: Expr) -> Bool {
        guard case .matrixSelector(let ms) = e else { return false }
        return ms.vector.matchers.contains { m in
            m.kind == .equal && m.name == Labels.metricName && hasCounterSuffix(m.value)
        }
    }

    private func rangeValue(
        _ name: RangeFunction, _ w: ArraySlice<Sample>, start: Timestamp, end: Timestamp, range: Int64,
        stepTime: Timestamp, params: [Double], mayDecrease: Bool
    ) -> Double? {
        switch name {
        case .rate:
            return Evaluator.extrapolatedRate(w, start: start, end: end, range: range, counter: true, rate: true, mayReset: mayDecrease)
        case .increase:
            return Evaluator.extrapolatedRate(w, start: start, end: end, range: range, counter: true, rate: false, mayReset: mayDecrease)
        case .delta: return Evaluator.extrapolatedRate(w, start: start, end: end, range: range, counter: false, rate: false)
        case .irate, .idelta:
            guard w.count >= 2 else { return nil }
            let last = w[w.endIndex - 1], prev = w[w.endIndex - 2]
            if name == .idelta { return last.v - prev.v }
            let interval = Double(last.t - prev.t) / 1000
            guard interval != 0 else { return nil }
            return (last.v < prev.v ? last.v : last.v - prev.v) / interval
        case .deriv:
            guard w.count >= 2 else { return nil }
            return PromMath.linearRegression(w, interceptTime: w[w.startIndex].t).0
        case .predictLinear:
            guard w.count >= 2 else { return nil }
            let (slope, intercept) = PromMath.linearRegression(w, interceptTime: stepTime)
            return slope * params[0] + intercept
        case .changes:
            var n = 0.0
            var prev = w[w.startIndex].v
            for s in w.dropFirst() {
                if !(s.v == prev || (s.v.isNaN && prev.isNaN)) { n += 1 }
                prev = s.v
            }
            return n
        case .resets:
            var n = 0.0
            var prev = w[w.startIndex].v
            for s in w.dropFirst() {
                if s.v < prev { n += 1 }
                prev = s.v
            }
            return n
        case .avgOverTime: return PromMath.mean(w.lazy.map(\.v))
        case .sumOverTime: return PromMath.sum(w.lazy.map(\.v))
        case .countOverTime: return Double(w.count)
        case .presentOverTime: return 1
        case .lastOverTime: return w[w.endIndex - 1].v
        case .firstOverTime: return w[w.startIndex].v
        case .tsOfLastOverTime: return Double(w[w.endIndex - 1].t) / 1000
        case .tsOfFirstOverTime: return Double(w[w.startIndex].t) / 1000
        case .minOverTime, .maxOverTime, .tsOfMinOverTime, .tsOfMaxOverTime:
            let isMax = name == .maxOverTime || name == .tsOfMaxOverTime
            var best = w[w.startIndex]
            for s in w.dropFirst() {
                if (isMax ? s.v >= best.v : s.v <= best.v) || best.v.isNaN { best = s }
            }
            return name == .tsOfMaxOverTime || name == .tsOfMinOverTime ? Double(best.t) / 1000 : best.v
        case .quantileOverTime: return PromMath.quantile(params[0], w.map(\.v))
        case .stddevOverTime: return PromMath.variance(w.lazy.map(\.v)).squareRoot()
        case .stdvarOverTime: return PromMath.variance(w.lazy.map(\.v))
        case .madOverTime:
            let values = w.map(\.v)
            // A NaN sample makes the result NaN rather than being dropped.
            if values.contains(where: \.isNaN) { return .nan }
            let median = PromMath.quantile(0.5, values)
            return PromMath.quantile(0.5, values.map { abs($0 - median) })
        case .doubleExponentialSmoothing:
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
        }
    }

    /// Prometheus' hint that `rate`/`increase` are meant for counters, judged by the metric name.
    private mutating func noteIfNotCounter(_ labels: Labels, _ pos: PositionRange) {
        guard let name = labels.name, labels["__type__"] != "counter" else { return }
        if Evaluator.hasCounterSuffix(name) { return }
        annotations.info("PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"\(name)\"\(Evaluator.where_(pos))")
    }

    static func hasCounterSuffix(_ name: String) -> Bool {
        ["_total", "_sum", "_count", "_bucket"].contains(where: name.hasSuffix)
    }

    /// Prometheus' `extrapolatedRate`: extrapolates to the window edges when the first/last sample is
    /// within 110% of the average interval, otherwise by half an interval; counters never below zero.
    static func extrapolatedRate(
        _ w: ArraySlice<Sample>, start: Timestamp, end: Timestamp, range: Int64, counter: Bool, rate: Bool,
        mayReset: Bool = true
    ) -> Double? {
        guard w.count >= 2 else { return nil }
        let first = w[w.startIndex], last = w[w.endIndex - 1]
        var result = last.v - first.v
        // Storage that keeps its recent samples knows when a window has no reset (`mayDecrease`):
        // the loop would add nothing, and it is most of a rate's cost.
        if counter && mayReset {
            // Through the buffer and without a branch per sample: the loop over every sample of
            // every window is most of a rate, and a reset is rare (a mispredicted branch when it comes).
            // Adding zero where there is none leaves the sum as adding nothing would (the same
            // additions in the same order as Prometheus'); only a difference of negative zero, from
            // counters at -0 and +0, comes out as positive zero.
            w.withUnsafeBufferPointer { b in
                var prev = b[0].v
                for k in 1..<b.count {
                    let v = b[k].v
                    result += v < prev ? prev : 0
                    prev = v
                }
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
