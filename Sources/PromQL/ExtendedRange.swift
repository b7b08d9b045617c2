import MetricsCore

/// Prometheus 3's experimental extended range selectors:
/// - `anchored`: the window's samples plus the last sample at or before its start (within the lookback),
///   with no extrapolation;
/// - `smoothed`: the values at both window edges are interpolated between neighbouring samples
///   (counter resets corrected first for `rate`/`increase`).
extension Evaluator {
    func extendedRange(_ fn: RangeFunction, _ input: RangeInput) -> [StepSeries] {
        let lookback = options.lookbackDelta
        var out: [StepSeries] = []
        for s in input.series {
            // These selectors are rare: their window is copied out of storage's view, once.
            let samples = Array(s.samples)
            let counter = fn == .rate || fn == .increase
            let corrected = counter ? Evaluator.resetCorrected(samples) : samples
            var values = StepSeries.missingValues(grid.count)
            var any = false
            for i in 0..<grid.count {
                let end = (input.at ?? grid.time(i)) - input.offset
                let start = end - input.range
                let v: Double?
                if input.anchored {
                    v = anchoredValue(fn, samples, start: start, end: end, range: input.range, lookback: lookback)
                } else {
                    v = smoothedValue(fn, corrected, start: start, end: end, range: input.range, lookback: lookback)
                }
                if let v {
                    values[i] = v
                    any = true
                }
            }
            if any { out.append(StepSeries(labels: s.labels, values: values, dropName: true)) }
        }
        return out
    }

    private func anchoredValue(
        _ fn: RangeFunction, _ samples: [Sample], start: Timestamp, end: Timestamp, range: Int64, lookback: Int64
    ) -> Double? {
        let w = SampleSearch.window(samples, end: end, range: range)
        guard !w.isEmpty else { return nil }
        var points = Array(w)
        let a = SampleSearch.lastAtOrBefore(samples, start)
        if a >= 0, samples[a].t > start - lookback { points.insert(samples[a], at: 0) }
        let first = points[0], last = points[points.count - 1]
        switch fn {
        case .delta: return last.v - first.v
        case .increase, .rate:
            var inc = last.v - first.v
            var prev = first.v
            for p in points.dropFirst() {
                if p.v < prev { inc += prev }
                prev = p.v
            }
            return fn == .rate ? inc / (Double(range) / 1000) : inc
        case .changes, .resets:
            var n = 0.0
            var prev = first.v
            for p in points.dropFirst() {
                if fn == .resets ? p.v < prev : !(p.v == prev || (p.v.isNaN && prev.isNaN)) { n += 1 }
                prev = p.v
            }
            return n
        default: return nil
        }
    }

    private func smoothedValue(
        _ fn: RangeFunction, _ samples: [Sample], start: Timestamp, end: Timestamp, range: Int64, lookback: Int64
    ) -> Double? {
        // Empty when all data lies before or after the window.
        let last = SampleSearch.lastAtOrBefore(samples, end)
        guard last >= 0, samples[last].t > end - lookback else { return nil }
        guard let lastSample = samples.last, lastSample.t >= start else { return nil }
        guard let vEnd = Evaluator.interpolate(samples, at: end), let vStart = Evaluator.interpolate(samples, at: start) else {
            return nil
        }
        let diff = vEnd - vStart
        return fn == .rate ? diff / (Double(range) / 1000) : diff
    }

    /// The value at `t`, linear between the samples around it; flat beyond the first or last sample.
    static func interpolate(_ s: [Sample], at t: Timestamp) -> Double? {
        guard let first = s.first else { return nil }
        let i = SampleSearch.lastAtOrBefore(s, t)
        if i < 0 { return first.v }
        if s[i].t == t || i + 1 == s.count { return s[i].v }
        let a = s[i], b = s[i + 1]
        return a.v + (b.v - a.v) * Double(t - a.t) / Double(b.t - a.t)
    }

    /// Counter values with resets undone: after a drop the new value counts from zero.
    static func resetCorrected(_ s: [Sample]) -> [Sample] {
        var out: [Sample] = []
        out.reserveCapacity(s.count)
        var offset = 0.0
        var prev: Double? = nil
        for x in s {
            if let p = prev, x.v < p { offset += p }
            prev = x.v
            out.append(Sample(t: x.t, v: x.v + offset))
        }
        return out
    }
}
