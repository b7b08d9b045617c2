import MetricsCore

/// One series of an instant-vector expression evaluated over every step of the query grid.
/// `dropName` implements Prometheus 3's delayed `__name__` removal: the name stays visible to
/// later label functions and is removed only when the final result is built.
struct StepSeries: Sendable {
    var labels: Labels
    var values: StepValues
    var dropName: Bool
}

/// A range-vector argument: raw samples per series plus how to cut a window at each step.
struct RangeInput: Sendable {
    struct Series: Sendable {
        var labels: Labels
        /// A view of storage's samples where it keeps them (see `SeriesQueryable.selectWindows`).
        var samples: ArraySlice<Sample>
        var dropName: Bool
        /// False when storage knows no sample is lower than the one before it (`SeriesWindow.mayDecrease`).
        var mayDecrease = true
    }
    var series: [Series]
    /// Window length in ms; the window at time te is `(te - range, te]`.
    var range: Int64
    var offset: Int64
    var at: Timestamp?
    /// `anchored`/`smoothed` selectors carry samples beyond the window (lookback before, and after).
    var anchored = false
    var smoothed = false
}

/// An evaluated expression over the whole grid.
enum StepValue: Sendable {
    case scalar([Double])
    case vector([StepSeries])
    case matrix(RangeInput)
    case string(String)
}

/// The evaluation times of one (sub)query.
struct StepGrid {
    let start: Timestamp
    let end: Timestamp
    let interval: Int64
    let count: Int

    init(start: Timestamp, end: Timestamp, interval: Int64) {
        self.start = start
        self.end = end
        self.interval = max(interval, 1)
        self.count = end < start ? 0 : Int((end - start) / self.interval) + 1
    }

    func time(_ i: Int) -> Timestamp { start + Int64(i) * interval }
}

/// Collects per-step outputs into series keyed by label set, in order of first appearance,
/// rejecting two outputs with the same labels at the same step as Prometheus does.
struct SeriesAssembler {
    private(set) var series: [StepSeries] = []
    /// Label sets to output series, made once there are more than `linearLimit`: below it, comparing
    /// the few label sets costs less than hashing one (most results are a handful of series).
    private var index: [Labels: Int]?
    let steps: Int
    static let linearLimit = 16

    init(steps: Int) { self.steps = steps }

    /// The output series with these labels, if there is one yet.
    private mutating func find(_ labels: Labels) -> Int? {
        if let index { return index[labels] }
        if series.count < Self.linearLimit { return series.firstIndex { $0.labels == labels } }
        var made: [Labels: Int] = [:]
        made.reserveCapacity(series.count * 2)
        for (i, s) in series.enumerated() { made[s.labels] = i }
        index = made
        return made[labels]
    }

    private mutating func append(_ s: StepSeries) -> Int {
        index?[s.labels] = series.count
        series.append(s)
        return series.count - 1
    }

    /// The index of the output series with these labels, created empty if needed.
    mutating func slot(_ labels: Labels) -> Int {
        if let i = find(labels) { return i }
        return append(StepSeries(labels: labels, values: StepSeries.missingValues(steps), dropName: false))
    }


    /// A new output series for labels the caller knows to be new to this assembler and never
    /// `add`ed or `slot`ed (one aggregation group each): no label-set hash.
    mutating func appendUnique(_ labels: Labels) -> Int {
        append(StepSeries(labels: labels, values: StepSeries.missingValues(steps), dropName: false))
    }

    /// Sets a value through a slot, avoiding a label-set hash per sample.
    mutating func set(slot i: Int, _ value: Double, dropName: Bool, step: Int) throws(PromQLEvalError) {
        if series[i].values[step] != nil { throw PromQLEvalError("vector cannot contain metrics with the same labelset") }
        series[i].values[step] = value
        series[i].dropName = series[i].dropName || dropName
    }

    mutating func add(_ labels: Labels, _ value: Double, dropName: Bool, step: Int) throws(PromQLEvalError) {
        if let i = find(labels) {
            if series[i].values[step] != nil {
                throw PromQLEvalError("vector cannot contain metrics with the same labelset")
            }
            series[i].values[step] = value
            series[i].dropName = series[i].dropName || dropName
        } else {
            var values = StepSeries.missingValues(steps)
            values[step] = value
            _ = append(StepSeries(labels: labels, values: values, dropName: dropName))
        }
    }
}

extension Evaluator {
    /// Labels that describe the metric rather than the series: dropped together with the name and
    /// ignored by vector matching and `without`, as Prometheus 3 does with type-and-unit labels.
    static let reservedLabels: Set<String> = [Labels.metricName, "__type__", "__unit__"]
    static let nameLabel: Set<String> = [Labels.metricName]
}

/// One element of an instant vector at a single step, used by operators that work step by step.
struct Element {
    var labels: Labels
    var value: Double
    var dropName: Bool
}

extension Array where Element == StepSeries {
    /// The instant vector at one step.
    func at(_ step: Int) -> [PromQL.Element] {
        var out: [PromQL.Element] = []
        for s in self {
            if let v = s.values[step] { out.append(PromQL.Element(labels: s.labels, value: v, dropName: s.dropName)) }
        }
        return out
    }
}

/// Prometheus' `labels.String()`: `{__name__="x", a="b"}`, always with braces.
func braceForm(_ labels: Labels) -> String {
    "{" + labels.pairs.map { "\($0.name)=\(StringLiteral.quote($0.value))" }.joined(separator: ", ") + "}"
}

extension StepSeries {
    /// `steps` missing values (see `StepValues`: one step needs no allocation).
    @inline(__always)
    static func missingValues(_ steps: Int) -> StepValues { StepValues(missing: steps) }
}
