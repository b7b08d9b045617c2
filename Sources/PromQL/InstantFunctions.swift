import Foundation
import MetricsCore

extension Evaluator {
    private static let math: [String: @Sendable (Double) -> Double] = [
        "abs": { abs($0) }, "ceil": { Foundation.ceil($0) }, "floor": { Foundation.floor($0) },
        "exp": { Foundation.exp($0) }, "sqrt": { $0.squareRoot() }, "ln": { Foundation.log($0) },
        "log2": { Foundation.log2($0) }, "log10": { Foundation.log10($0) },
        "sgn": { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) },
        "deg": { $0 * 180 / Double.pi }, "rad": { $0 * Double.pi / 180 },
        "sin": { Foundation.sin($0) }, "cos": { Foundation.cos($0) }, "tan": { Foundation.tan($0) },
        "asin": { Foundation.asin($0) }, "acos": { Foundation.acos($0) }, "atan": { Foundation.atan($0) },
        "sinh": { Foundation.sinh($0) }, "cosh": { Foundation.cosh($0) }, "tanh": { Foundation.tanh($0) },
        "asinh": { Foundation.asinh($0) }, "acosh": { Foundation.acosh($0) }, "atanh": { Foundation.atanh($0) },
    ]

    mutating func evalCall(_ c: FunctionCall) throws(PromQLEvalError) -> StepValue {
        if c.rangeFunction != nil { return try evalRangeFunction(c) }
        if let f = Evaluator.math[c.name] {
            return .vector(mapValues(try evalVector(c.args[0])) { v, _ in f(v) })
        }
        switch c.name {
        case "time": return .scalar((0..<grid.count).map { Double(grid.time($0)) / 1000 })
        case "pi": return .scalar([Double](repeating: Double.pi, count: grid.count))
        case "start", "end", "range", "step":
            let ms = c.name == "start" ? queryStart : c.name == "end" ? queryEnd
                : c.name == "range" ? queryEnd - queryStart : queryStep
            return .scalar([Double](repeating: Double(ms) / 1000, count: grid.count))
        case "min_of", "max_of":
            var acc = try evalScalar(c.args[0])
            for arg in c.args.dropFirst() {
                let xs = try evalScalar(arg)
                for i in acc.indices { acc[i] = c.name == "min_of" ? Evaluator.goMin(acc[i], xs[i]) : Evaluator.goMax(acc[i], xs[i]) }
            }
            return .scalar(acc)
        case "vector":
            let xs = try evalScalar(c.args[0])
            return .vector(grid.count == 0 ? [] : [StepSeries(labels: Labels(), values: StepValues(xs), dropName: false)])
        case "scalar":
            let v = try evalVector(c.args[0])
            return .scalar((0..<grid.count).map { i in
                var found: Double? = nil, n = 0
                for s in v { if let x = s.values[i] { found = x; n += 1 } }
                return n == 1 ? found ?? .nan : .nan
            })
        case "timestamp":
            if case .vectorSelector(let vs) = Evaluator.unwrapParens(c.args[0]) {
                return .vector(try selectInstant(try resolved(vs), timestamps: true))
            }
            return .vector(mapValues(try evalVector(c.args[0])) { _, t in Double(t) / 1000 })
        case "clamp", "clamp_min", "clamp_max":
            let v = try evalVector(c.args[0])
            let lo = c.name == "clamp_max" ? nil : try evalScalar(c.args[1])
            let hi = c.name == "clamp" ? try evalScalar(c.args[2]) : (c.name == "clamp_max" ? try evalScalar(c.args[1]) : nil)
            return .vector(mapValuesAt(v) { x, i in
                if let lo, let hi, hi[i] < lo[i] { return nil }
                var r = x
                if let lo { r = Evaluator.goMax(lo[i], r) }
                if let hi { r = Evaluator.goMin(hi[i], r) }
                return r
            })
        case "round":
            let v = try evalVector(c.args[0])
            let nearest = c.args.count > 1 ? try evalScalar(c.args[1]) : [Double](repeating: 1, count: grid.count)
            return .vector(mapValuesAt(v) { x, i in
                let inv = 1 / nearest[i]
                return Foundation.floor(x * inv + 0.5) / inv
            })
        case "absent":
            let v = try evalVector(c.args[0])
            return .vector(absent(present: { i in v.contains { $0.values[i] != nil } }, arg: c.args[0]))
        case "absent_over_time":
            let m = try evalRange(c.args[0])
            return .vector(absent(present: { i in
                let end = (m.at ?? grid.time(i)) - m.offset
                return m.series.contains { !SampleSearch.window($0.samples, end: end, range: m.range).isEmpty }
            }, arg: c.args[0]))
        case "sort", "sort_desc":
            warnIneffectiveSort(c)
            var v = try evalVector(c.args[0])
            if grid.count == 1 {
                let desc = c.name == "sort_desc"
                v.sort { a, b in
                    let x = a.values[0] ?? .nan, y = b.values[0] ?? .nan
                    if x.isNaN != y.isNaN { return y.isNaN }
                    return desc ? x > y : x < y
                }
            }
            return .vector(v)
        case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year":
            let v: [StepSeries]
            if c.args.isEmpty {
                v = [StepSeries(labels: Labels(), values: StepValues((0..<grid.count).map { Double(grid.time($0)) / 1000 }), dropName: false)]
            } else {
                v = try evalVector(c.args[0])
            }
            return .vector(mapValues(v) { x, _ in CivilDate.component(c.name, seconds: x) })
        case "label_replace": return .vector(try labelReplace(c))
        case "label_join": return .vector(try labelJoin(c))
        case "sort_by_label", "sort_by_label_desc":
            warnIneffectiveSort(c)
            return .vector(try sortByLabel(c))
        case "histogram_quantile": return .vector(try histogramQuantile(c))
        case "histogram_fraction": return .vector(try histogramFraction(c))
        case "histogram_quantiles": return .vector(try histogramQuantiles(c))
        case "info": return .vector(try evalInfo(c))
        case "histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar":
            // Only native histograms answer these; the store holds floats only.
            return .vector([])
        default:
            throw PromQLEvalError("function \"\(c.name)\" is not supported")
        }
    }

    /// Range query results are always ordered by labels, so sorting functions only matter for instant queries.
    mutating func warnIneffectiveSort(_ c: FunctionCall) {
        if queryStep != 0 {
            annotations.warn("PromQL warning: sort is ineffective for range queries since results are always ordered by labels\(Evaluator.where_(c.position))")
        }
    }

    static func unwrapParens(_ e: Expr) -> Expr {
        if case .paren(let inner, _) = e { return unwrapParens(inner) }
        return e
    }

    /// Go's math.Max/Min: NaN wins.
    static func goMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
    static func goMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }

    /// Applies `f(value, stepTime)` to every present value; the result drops the metric name.
    func mapValues(_ v: [StepSeries], _ f: (Double, Timestamp) -> Double) -> [StepSeries] {
        v.map { s in
            var values = s.values
            for i in values.indices { if let x = values[i] { values[i] = f(x, grid.time(i)) } }
            return StepSeries(labels: s.labels, values: values, dropName: true)
        }
    }

    func mapValuesAt(_ v: [StepSeries], _ f: (Double, Int) -> Double?) -> [StepSeries] {
        v.compactMap { s in
            var values = s.values
            var any = false
            for i in values.indices {
                if let x = values[i] { values[i] = f(x, i); any = any || values[i] != nil }
            }
            return any ? StepSeries(labels: s.labels, values: values, dropName: true) : nil
        }
    }

    /// `absent`: 1 at steps where the argument is empty, labelled from its equality matchers.
    private func absent(present: (Int) -> Bool, arg: Expr) -> [StepSeries] {
        var values = StepSeries.missingValues(grid.count)
        var any = false
        for i in 0..<grid.count where !present(i) {
            values[i] = 1
            any = true
        }
        guard any else { return [] }
        var matchers: [LabelMatcher] = []
        switch Evaluator.unwrapParens(arg) {
        case .vectorSelector(let vs): matchers = vs.matchers
        case .matrixSelector(let ms): matchers = ms.vector.matchers
        default: break
        }
        // Like Prometheus: a label comes from an equality matcher, unless several matchers name it.
        var pairs: [String: String] = [:]
        var seen = Set<String>()
        for m in matchers where m.name != Labels.metricName {
            if seen.contains(m.name) {
                pairs[m.name] = nil
            } else {
                seen.insert(m.name)
                if m.kind == .equal { pairs[m.name] = m.value }
            }
        }
        return [StepSeries(labels: Labels(pairs.filter { !$0.value.isEmpty }), values: values, dropName: false)]
    }
}

/// Calendar fields in UTC from Unix seconds, without Foundation's Calendar (fast and allocation-free).
/// The one calendar of the code base: PromQL's date functions and the templates' timestamps.
public enum CivilDate {
    /// Year, month, day, hour, minute, second of whole Unix seconds `t`, in UTC.
    public static func fields(_ t: Int64) -> (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) {
        let days = floorDiv(t, 86_400)
        let secOfDay = t - days * 86_400
        let (y, m, d) = civil(days)
        return (y, m, d, secOfDay / 3600, (secOfDay % 3600) / 60, secOfDay % 60)
    }

    static func component(_ name: String, seconds: Double) -> Double {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return .nan }
        let t = Int64(seconds.rounded(.down))
        let days = floorDiv(t, 86_400)
        let secOfDay = t - days * 86_400
        let (y, m, d) = civil(days)
        switch name {
        case "hour": return Double(secOfDay / 3600)
        case "minute": return Double((secOfDay % 3600) / 60)
        case "year": return Double(y)
        case "month": return Double(m)
        case "day_of_month": return Double(d)
        case "day_of_week": return Double(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday.
        case "day_of_year": return Double(days - daysFromCivil(y, 1, 1) + 1)
        case "days_in_month":
            let next = m == 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1)
            return Double(next - daysFromCivil(y, m, 1))
        default: return .nan
        }
    }

    /// Howard Hinnant's days-to-civil algorithm.
    static func civil(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
