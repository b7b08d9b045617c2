import MetricsCore

/// A minimal in-memory `SeriesQueryable` for tests and scripts: series kept sorted by time.
struct MemoryStorage: SeriesQueryable {
    private(set) var series: [Labels: [Sample]] = [:]

    /// Adds samples; a sample at an existing timestamp replaces it.
    mutating func add(_ labels: Labels, _ samples: [Sample]) {
        var merged = series[labels, default: []]
        merged.append(contentsOf: samples)
        merged.sort { $0.t < $1.t }
        var unique: [Sample] = []
        for s in merged {
            if let last = unique.last, last.t == s.t { unique[unique.count - 1] = s } else { unique.append(s) }
        }
        series[labels] = unique
    }

    func select(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples] {
        var out: [SeriesSamples] = []
        for (labels, samples) in series where matchers.allSatisfy({ $0.matches(labels) }) {
            let window = samples.filter { $0.t >= mint && $0.t <= maxt }
            if !window.isEmpty { out.append(SeriesSamples(labels: labels, samples: window)) }
        }
        return out.sorted { "\($0.labels)" < "\($1.labels)" }
    }

    func labelValues(_ name: String, matching matchers: [LabelMatcher]) -> [String] {
        Set(series.keys.filter { l in matchers.allSatisfy { $0.matches(l) } }.compactMap { $0[name] }).sorted()
    }
}
