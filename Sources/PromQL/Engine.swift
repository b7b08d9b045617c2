import MetricsCore

/// Evaluates parsed expressions against storage seen only through `SeriesQueryable`.
public struct Engine: Sendable {
    public let storage: any SeriesQueryable
    public let options: EngineOptions
    private let memo: SubexpressionMemo?
    private let stamp: DataStamp?

    /// With a `memo`, aggregations and range functions already evaluated over the same grid from
    /// the same data are taken from it; `stamp` dates the data by metric name (see `DataStamp`).
    public init(
        storage: any SeriesQueryable, options: EngineOptions = EngineOptions(),
        memo: SubexpressionMemo? = nil, stamp: DataStamp? = nil
    ) {
        self.storage = storage
        self.options = options
        self.memo = memo
        self.stamp = stamp
    }

    /// With a `memo` dated by one `version` of all the data (a counter bumped on every change).
    public init(
        storage: any SeriesQueryable, options: EngineOptions = EngineOptions(),
        memo: SubexpressionMemo?, version: (@Sendable () -> UInt64)?
    ) {
        var stamp: DataStamp? = nil
        if let version { stamp = { _ in version() } }
        self.init(storage: storage, options: options, memo: memo, stamp: stamp)
    }

    private func memoContext(_ texts: MemoKeyTexts?) -> MemoContext? {
        guard let memo, let stamp else { return nil }
        return MemoContext(memo: memo, stamp: stamp, texts: texts)
    }

    /// Instant query at `time` (ms). `keyTexts`, kept with `expr` by the caller (and only for that
    /// expression), spares printing the memo's keys at every evaluation.
    public func instant(_ expr: Expr, at time: Timestamp, keyTexts: MemoKeyTexts? = nil) throws(PromQLEvalError) -> EvalResult {
        guard abs(time) <= Parser.maxDurationMs else { throw PromQLEvalError("query time out of range") }
        var ev = Evaluator(storage: storage, options: options, grid: StepGrid(start: time, end: time, interval: 1),
                           queryStart: time, queryEnd: time, annotations: Annotations(), memo: memoContext(keyTexts))
        let value: QueryValue
        switch try ev.eval(expr) {
        case .scalar(let xs): value = .scalar(Sample(t: time, v: xs.first ?? .nan))
        case .string(let s): value = .string(t: time, value: s)
        case .vector(let series):
            let final = try Engine.finish(series, steps: 1)
            value = .vector(final.compactMap { s in s.values[0].map { InstantSample(labels: s.labels, sample: Sample(t: time, v: $0)) } })
        case .matrix(let m):
            let end = (m.at ?? time) - m.offset
            var out: [SeriesSamples] = []
            for s in m.series {
                let w = SampleSearch.window(s.samples, end: end, range: m.range)
                if !w.isEmpty { out.append(SeriesSamples(labels: s.dropName ? s.labels.removing(Evaluator.reservedLabels) : s.labels, samples: Array(w))) }
            }
            value = .matrix(out)
        }
        return EvalResult(value: value, warnings: ev.annotations.warnings, infos: ev.annotations.infos)
    }

    /// Range query; the result is always a matrix, sorted by label set. `keyTexts` as for `instant`.
    public func range(
        _ expr: Expr, start: Timestamp, end: Timestamp, step: Int64, keyTexts: MemoKeyTexts? = nil
    ) throws(PromQLEvalError) -> EvalResult {
        guard step > 0 else { throw PromQLEvalError("zero or negative query resolution step widths are not accepted") }
        guard end >= start else { throw PromQLEvalError("end timestamp must not be before start time") }
        // Times far from any real clock would make window arithmetic overflow.
        let bound = Parser.maxDurationMs
        guard abs(start) <= bound, abs(end) <= bound else { throw PromQLEvalError("query time out of range") }
        guard (end - start) / step < 11_000 else {
            throw PromQLEvalError("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let grid = StepGrid(start: start, end: end, interval: step)
        var ev = Evaluator(storage: storage, options: options, grid: grid, queryStart: start, queryEnd: end,
                           annotations: Annotations(), queryStep: step, memo: memoContext(keyTexts))
        let series: [StepSeries]
        switch try ev.eval(expr) {
        case .scalar(let xs): series = [StepSeries(labels: Labels(), values: StepValues(xs), dropName: false)]
        case .vector(let v): series = try Engine.finish(v, steps: grid.count)
        case .matrix, .string:
            throw PromQLEvalError("invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        var out: [SeriesSamples] = []
        for s in series {
            var samples: [Sample] = []
            for (i, v) in s.values.enumerated() { if let v { samples.append(Sample(t: grid.time(i), v: v)) } }
            if !samples.isEmpty { out.append(SeriesSamples(labels: s.labels, samples: samples)) }
        }
        out.sort { Engine.labelsLess($0.labels, $1.labels) }
        return EvalResult(value: .matrix(out), warnings: ev.annotations.warnings, infos: ev.annotations.infos)
    }

    /// Prometheus' `labels.Compare` order: pair by pair (name, then value), a prefix first.
    static func labelsLess(_ a: Labels, _ b: Labels) -> Bool {
        for (x, y) in zip(a.pairs, b.pairs) where x != y {
            return x.name != y.name ? x.name < y.name : x.value < y.value
        }
        return a.count < b.count
    }

    /// Delayed `__name__` removal: drop the name where an operation asked for it, then merge series
    /// that became equal (an error if two of them have a value at the same step).
    static func finish(_ series: [StepSeries], steps: Int) throws(PromQLEvalError) -> [StepSeries] {
        guard series.contains(where: \.dropName) else { return series }
        let renamed = series.map { s in
            s.dropName ? StepSeries(labels: s.labels.removing(Evaluator.reservedLabels), values: s.values, dropName: false) : s
        }
        return try Evaluator.rejectDuplicates(renamed, steps: steps)
    }
}
