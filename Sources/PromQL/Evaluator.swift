import MetricsCore

/// Evaluates an expression over a step grid. Each selector's data is selected once for the whole
/// grid, then every step reads its lookback or range window from it.
struct Evaluator {
    let storage: any SeriesQueryable
    let options: EngineOptions
    let grid: StepGrid
    /// Start and end of the outermost query, for `@ start()` and `@ end()`.
    let queryStart: Timestamp
    let queryEnd: Timestamp
    var annotations: Annotations
    /// The outermost query's step (0 for instant queries), for `step()`.
    var queryStep: Int64 = 0
    /// Shared results of the refresh's other queries (see SubexpressionMemo).
    var memo: MemoContext? = nil

    func resolve(_ at: AtModifier?) -> Timestamp? {
        switch at {
        case .none: return nil
        case .start: return queryStart
        case .end: return queryEnd
        case .timestamp(let t): return t
        }
    }

    mutating func eval(_ e: Expr) throws(PromQLEvalError) -> StepValue {
        memo == nil ? try evalDirect(e) : try evalMemoised(e)
    }

    mutating func evalDirect(_ e: Expr) throws(PromQLEvalError) -> StepValue {
        switch e {
        case .number(let v, _): return .scalar([Double](repeating: v, count: grid.count))
        case .string(let s, _): return .string(s)
        case .paren(let inner, _): return try eval(inner)
        case .vectorSelector(let vs): return .vector(try selectInstant(try resolved(vs), timestamps: false))
        case .matrixSelector(let ms): return .matrix(try selectRange(try resolved(ms)))
        case .subquery(let sq): return .matrix(try evalSubquery(sq))
        case .unary(let op, let inner, _):
            let v = try eval(inner)
            guard op == .minus else { return v }
            switch v {
            case .scalar(let xs): return .scalar(xs.map { -$0 })
            case .vector(let ss):
                return .vector(ss.map { StepSeries(labels: $0.labels, values: StepValues($0.values.map { $0.map { -$0 } }), dropName: true) })
            default: throw PromQLEvalError("unary minus on \(inner.type.rawValue)")
            }
        case .binary(let b): return try evalBinary(b)
        case .aggregate(let a): return try evalAggregate(a)
        case .call(let c): return try evalCall(c)
        }
    }

    mutating func evalVector(_ e: Expr) throws(PromQLEvalError) -> [StepSeries] {
        guard case .vector(let v) = try eval(e) else { throw PromQLEvalError("expected instant vector, got \(e.type.rawValue)") }
        return v
    }

    mutating func evalScalar(_ e: Expr) throws(PromQLEvalError) -> [Double] {
        guard case .scalar(let v) = try eval(e) else { throw PromQLEvalError("expected scalar, got \(e.type.rawValue)") }
        return v
    }

    mutating func evalRange(_ e: Expr) throws(PromQLEvalError) -> RangeInput {
        switch try eval(e) {
        case .matrix(let m): return m
        default: throw PromQLEvalError("expected range vector, got \(e.type.rawValue)")
        }
    }

    /// Milliseconds of a query-dependent duration expression (`step()`, `range()`), or `fallback`.
    func durationMs(_ e: Expr?, _ fallback: Int64) throws(PromQLEvalError) -> Int64 {
        guard let e else { return fallback }
        let seconds = DurationFolding.seconds(e, step: Double(queryStep) / 1000, range: Double(queryEnd - queryStart) / 1000)
        guard let seconds, seconds.isFinite, abs(seconds) * 1000 <= Double(Parser.maxDurationMs) else {
            throw PromQLEvalError("invalid duration expression \(e)")
        }
        return Int64((seconds * 1000).rounded())
    }

    func resolved(_ vs: VectorSelector) throws(PromQLEvalError) -> VectorSelector {
        var v = vs
        v.offset = try durationMs(vs.offsetExpr, vs.offset)
        v.offsetExpr = nil
        return v
    }

    func resolved(_ ms: MatrixSelector) throws(PromQLEvalError) -> MatrixSelector {
        var m = ms
        m.vector = try resolved(ms.vector)
        m.range = try durationMs(ms.rangeExpr, ms.range)
        m.rangeExpr = nil
        return m
    }

    /// The time a selector reads at step `i`: the `@` time or the step, minus the offset.
    func readTime(step i: Int, at: Timestamp?, offset: Int64) -> Timestamp {
        (at ?? grid.time(i)) - offset
    }

    private func timeBounds(at: Timestamp?, offset: Int64) -> (Timestamp, Timestamp) {
        if let at { return (at - offset, at - offset) }
        return (grid.start - offset, grid.end - offset)
    }

    /// An instant vector selector: the newest sample within the lookback window `(t - 5m, t]`,
    /// unless that sample is a staleness marker. With `timestamps`, yields the sample times instead
    /// (for `timestamp()`).
    /// Prometheus' guard against queries that would hold too many points in memory at once.
    func checkSampleLimit(_ count: Int) throws(PromQLEvalError) {
        if count > options.maxSamples {
            throw PromQLEvalError("query processing would load too many samples into memory in query execution")
        }
    }

    func selectInstant(_ vs: VectorSelector, timestamps: Bool) throws(PromQLEvalError) -> [StepSeries] {
        guard grid.count > 0 else { return [] }
        let at = resolve(vs.at)
        let (first, last) = timeBounds(at: at, offset: vs.offset)
        let lookback = options.lookbackDelta
        let data = storage.select(vs.matchers, mint: first - lookback + 1, maxt: last + (vs.smoothed ? lookback : 0))
        let (points, overflow) = data.count.multipliedReportingOverflow(by: grid.count)
        try checkSampleLimit(overflow ? Int.max : points)
        var out: [StepSeries] = []
        out.reserveCapacity(data.count)
        for s in data where !s.samples.isEmpty {
            var values = StepSeries.missingValues(grid.count)
            var any = false
            // Read times only grow with the step (or stay fixed with @), so one cursor walks the samples.
            var idx = -1
            for i in 0..<grid.count {
                let t = readTime(step: i, at: at, offset: vs.offset)
                while idx + 1 < s.samples.count, s.samples[idx + 1].t <= t { idx += 1 }
                guard idx >= 0 else { continue }
                let sample = s.samples[idx]
                guard sample.t > t - lookback, !StaleNaN.isStale(sample.v) else { continue }
                values[i] = timestamps ? Double(sample.t) / 1000 : sample.v
                if vs.smoothed, !timestamps, sample.t < t, idx + 1 < s.samples.count {
                    // Interpolate towards the next sample (plain floats have no counter semantics).
                    let next = s.samples[idx + 1]
                    if !StaleNaN.isStale(next.v) {
                        values[i] = sample.v + (next.v - sample.v) * Double(t - sample.t) / Double(next.t - sample.t)
                    }
                }
                any = true
            }
            if any { out.append(StepSeries(labels: s.labels, values: values, dropName: timestamps)) }
        }
        return out
    }

    /// A range selector: all non-stale samples needed by any step's window.
    func selectRange(_ ms: MatrixSelector) throws(PromQLEvalError) -> RangeInput {
        let at = resolve(ms.vector.at)
        let (first, last) = timeBounds(at: at, offset: ms.vector.offset)
        // Extended selectors also need the sample before the window (and after it, for smoothing).
        let extended = ms.vector.anchored || ms.vector.smoothed
        let before = extended ? options.lookbackDelta : 0
        let after = ms.vector.smoothed ? options.lookbackDelta : 0
        let data = grid.count == 0 ? [] : storage.selectWindows(ms.vector.matchers, mint: first - ms.range - before + 1, maxt: last + after)
        try checkSampleLimit(data.reduce(0) { $0 + $1.samples.count })
        // Whether any sample is a staleness marker, without an early exit (they are rare) so that the
        // loop over every sample of every series stays a few instructions a sample.
        func hasStale(_ samples: ArraySlice<Sample>) -> Bool {
            let stale = StaleNaN.bits
            return samples.withUnsafeBufferPointer { b in
                var found: UInt8 = 0
                for x in b { found |= x.v.bitPattern == stale ? 1 : 0 }
                return found != 0
            }
        }
        let series = data.compactMap { s -> RangeInput.Series? in
            // Most windows hold no staleness marker: keep their view rather than copying it. Storage
            // that keeps decoded samples knows which hold none, and those are not scanned at all.
            let filter = s.mayHoldStale && hasStale(s.samples)
            let samples = filter ? s.samples.filter { !StaleNaN.isStale($0.v) }[...] : s.samples
            // Dropping markers brings their neighbours together: a pair storage never compared.
            return samples.isEmpty ? nil : RangeInput.Series(labels: s.labels, samples: samples, dropName: false,
                                                             mayDecrease: filter || s.mayDecrease)
        }
        return RangeInput(series: series, range: ms.range, offset: ms.vector.offset, at: at,
                          anchored: ms.vector.anchored, smoothed: ms.vector.smoothed)
    }

    /// Evaluates the inner expression on its own grid, aligned to multiples of the subquery step
    /// and covering every outer window (left-open, as in Prometheus 3).
    mutating func evalSubquery(_ original: SubqueryExpr) throws(PromQLEvalError) -> RangeInput {
        var sq = original
        sq.range = try durationMs(sq.rangeExpr, sq.range)
        sq.offset = try durationMs(sq.offsetExpr, sq.offset)
        if let e = sq.stepExpr { sq.step = try durationMs(e, 0) }
        let step = sq.step ?? options.defaultSubqueryStep
        guard step > 0 else { throw PromQLEvalError("subquery step must be positive") }
        let at = resolve(sq.at)
        let (first, last) = timeBounds(at: at, offset: sq.offset)
        let lowest = first - sq.range
        var start = floorDiv(lowest, step) * step
        if start <= lowest { start += step }
        // Bound the inner grid like Prometheus bounds samples per query, so `x[1000d:1ms]` cannot exhaust memory.
        if last >= start, (last - start) / step >= Int64(Evaluator.maxSubquerySteps) {
            throw PromQLEvalError("subquery \(sq) would evaluate more than \(Evaluator.maxSubquerySteps) steps")
        }
        var inner = Evaluator(storage: storage, options: options, grid: StepGrid(start: start, end: last, interval: step),
                              queryStart: queryStart, queryEnd: queryEnd, annotations: annotations, queryStep: queryStep,
                              memo: memo)
        let value = try inner.eval(sq.expr)
        annotations = inner.annotations
        guard case .vector(let vs) = value else {
            throw PromQLEvalError("subquery is only allowed on instant vector")
        }
        let series = vs.compactMap { s -> RangeInput.Series? in
            var samples: [Sample] = []
            for (i, v) in s.values.enumerated() { if let v { samples.append(Sample(t: inner.grid.time(i), v: v)) } }
            return samples.isEmpty ? nil : RangeInput.Series(labels: s.labels, samples: samples[...], dropName: s.dropName)
        }
        return RangeInput(series: series, range: sq.range, offset: sq.offset, at: at)
    }
}

extension Evaluator {
    static let maxSubquerySteps = 1_000_000
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// Binary searches over time-sorted samples.
enum SampleSearch {
    /// Index of the last sample with `t <= time`, or -1.
    static func lastAtOrBefore(_ s: [Sample], _ time: Timestamp) -> Int {
        var lo = 0, hi = s.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if s[mid].t <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }

    /// The samples in the left-open window `(end - range, end]`.
    static func window(_ s: [Sample], end: Timestamp, range: Int64) -> ArraySlice<Sample> {
        window(s[...], end: end, range: range)
    }

    /// The same in a slice (its indexes are the base array's).
    static func window(_ s: ArraySlice<Sample>, end: Timestamp, range: Int64) -> ArraySlice<Sample> {
        let hi = firstAfter(s, end)
        let lo = firstAfter(s, end - range)
        return lo < hi ? s[lo..<hi] : s[hi..<hi]
    }

    /// Index of the first sample with `t > time`, or `s.endIndex`.
    static func firstAfter(_ s: ArraySlice<Sample>, _ time: Timestamp) -> Int {
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if s[mid].t <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// Warnings and infos collected while evaluating, de-duplicated.
struct Annotations: Sendable {
    var warnings: [String] = []
    var infos: [String] = []

    mutating func warn(_ s: String) { if !warnings.contains(s) { warnings.append(s) } }
    mutating func info(_ s: String) { if !infos.contains(s) { infos.append(s) } }
}
