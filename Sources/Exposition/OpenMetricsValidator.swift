/// OpenMetrics family rules beyond the line grammar (strict mode): what the reference parser test
/// suite rejects even though every line on its own is well-formed.
struct OpenMetricsValidator {
    struct Family {
        var name: String
        var type: MetricType = .unknown
        var hasHelp = false
        var hasType = false
        var hasUnit = false
        var unit = ""
        var hasSamples = false
        var line = 0
    }

    /// Running checks over one histogram group (one label set without `le`).
    struct HistogramGroup {
        var key: String
        var lastBound: Double?
        var lastBucketValue: Double = 0
        var count: Double?
        var hasSum = false
        var hasNegativeBucket = false
        var hasNegativeSum = false
    }

    var family: Family?
    var seenFamilies: Set<String> = []
    /// Sample names claimed by typed families (`a_total` for counter `a`…), which no other family may use.
    var claimedNames: Set<String> = []
    var group: HistogramGroup?
    var seenGroups: Set<String> = []
    var lastSeriesKey = ""
    var lastTimestamp: Int64?

    static func suffixes(_ type: MetricType) -> [String] {
        switch type {
        case .counter: return ["_total", "_created"]
        case .histogram: return ["_bucket", "_count", "_sum", "_created"]
        case .gaugehistogram: return ["_bucket", "_gcount", "_gsum"]
        case .summary: return ["", "_count", "_sum", "_created"]
        case .info: return ["_info"]
        case .gauge, .stateset, .unknown: return [""]
        }
    }

    func error(_ parser: ExpositionPullParser, _ reason: String) -> ExpositionError {
        ExpositionError(.semantic, line: max(parser.lineNumber, 1), column: 1, reason: reason)
    }

    mutating func startFamily(_ name: String, _ parser: ExpositionPullParser) throws(ExpositionError) {
        try closeFamily(parser)
        if seenFamilies.contains(name) || claimedNames.contains(name) {
            throw error(parser, "metric family \"\(name)\" appears more than once or clashes with another family")
        }
        seenFamilies.insert(name)
        family = Family(name: name, line: parser.lineNumber)
    }

    mutating func metadata(_ entry: ExpositionEntry, _ parser: ExpositionPullParser) throws(ExpositionError) {
        let name = parser.metadataName
        if family?.name != name { try startFamily(name, parser) }
        guard var f = family else { return }
        if f.hasSamples { throw error(parser, "metadata for \"\(name)\" after its samples") }
        switch entry {
        case .help:
            if f.hasHelp { throw error(parser, "repeated HELP for \"\(name)\"") }
            f.hasHelp = true
        case .type:
            if f.hasType { throw error(parser, "repeated TYPE for \"\(name)\"") }
            f.hasType = true
            f.type = parser.metricType
            for suffix in Self.suffixes(f.type) where !suffix.isEmpty {
                let claimed = name + suffix
                if seenFamilies.contains(claimed) || claimedNames.contains(claimed) {
                    throw error(parser, "family \"\(name)\" clashes with the existing name \"\(claimed)\"")
                }
                claimedNames.insert(claimed)
            }
        case .unit:
            if f.hasUnit { throw error(parser, "repeated UNIT for \"\(name)\"") }
            f.hasUnit = true
            f.unit = parser.unitText
        default: break
        }
        family = f
    }

    mutating func sample(_ parser: ExpositionPullParser) throws(ExpositionError) {
        let name = parser.metricName
        var suffix: String? = nil
        if let f = family {
            for s in Self.suffixes(f.type) where name == f.name + s { suffix = s; break }
        }
        if suffix == nil {
            try startFamily(name, parser)
            suffix = ""
        }
        guard var f = family, let suffix else { return }
        f.hasSamples = true
        family = f
        var labels: [String: String] = [:]
        for i in 0..<parser.labelCount { labels[parser.labelName(at: i)] = parser.labelValue(at: i) }
        try checkOrdering(name, labels, parser)
        try checkExemplar(f, suffix, parser)
        try checkValue(f, suffix, labels, parser)
    }

    mutating func checkOrdering(_ name: String, _ labels: [String: String], _ parser: ExpositionPullParser)
        throws(ExpositionError)
    {
        let key = name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        if key == lastSeriesKey {
            if (parser.timestamp == nil) != (lastTimestamp == nil) {
                throw error(parser, "series \(name) mixes samples with and without timestamps")
            }
            if let t = parser.timestamp, let last = lastTimestamp, t < last {
                throw error(parser, "timestamps of series \(name) go backwards")
            }
        }
        lastSeriesKey = key
        lastTimestamp = parser.timestamp
    }

    func checkExemplar(_ f: Family, _ suffix: String, _ parser: ExpositionPullParser) throws(ExpositionError) {
        guard parser.hasExemplar else { return }
        let allowed = (f.type == .counter && suffix == "_total")
            || ((f.type == .histogram || f.type == .gaugehistogram) && suffix == "_bucket")
        if !allowed { throw error(parser, "exemplars are not allowed on \(parser.metricName)") }
        if parser.exemplarRuneCount > 128 {
            throw error(parser, "exemplar labels longer than 128 characters")
        }
    }

    /// `le` and `quantile` values: numbers, with infinity spelled exactly `+Inf`.
    static func bound(_ text: String?) -> Double? {
        guard let text, text != "NaN" else { return nil }
        if text == "+Inf" { return .infinity }
        if text == "-Inf" { return -.infinity }
        let lowered = text.lowercased()
        if lowered.contains("inf") || lowered.contains("nan") { return nil }
        return Double(text)
    }

    mutating func checkValue(_ f: Family, _ suffix: String, _ labels: [String: String], _ parser: ExpositionPullParser)
        throws(ExpositionError)
    {
        let v = parser.value
        let name = parser.metricName
        func nonNegative() throws(ExpositionError) {
            if v.isNaN || v < 0 { throw error(parser, "\(name) must be a non-negative number, got \(v)") }
        }
        switch f.type {
        case .counter:
            if suffix == "_total" { try nonNegative() }
        case .info:
            if v != 1 { throw error(parser, "info metric \(name) must have value 1") }
        case .stateset:
            if labels[f.name] == nil { throw error(parser, "stateset \(name) needs a label named \(f.name)") }
            if v != 0 && v != 1 { throw error(parser, "stateset \(name) values must be 0 or 1") }
        case .summary:
            if suffix == "" {
                guard let q = Self.bound(labels["quantile"]), q >= 0, q <= 1 else {
                    throw error(parser, "summary \(name) needs a quantile label between 0 and 1")
                }
                if v < 0 { throw error(parser, "summary quantile values must not be negative") }
            } else if suffix == "_sum" || suffix == "_count" {
                try nonNegative()
            }
        case .histogram, .gaugehistogram:
            try histogramSample(f, suffix, labels, parser)
        case .gauge, .unknown:
            break
        }
    }

    mutating func histogramSample(_ f: Family, _ suffix: String, _ labels: [String: String],
                                  _ parser: ExpositionPullParser) throws(ExpositionError) {
        let v = parser.value
        if suffix == "_created" { return }
        var groupLabels = labels
        groupLabels["le"] = nil
        let key = groupLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            + "@\(parser.timestamp.map(String.init) ?? "")"
        if group?.key != key {
            try closeGroup(parser)
            if seenGroups.contains(key) { throw error(parser, "samples of \(f.name) are not grouped together") }
            seenGroups.insert(key)
            group = HistogramGroup(key: key)
        }
        guard var g = group else { return }
        switch suffix {
        case "_bucket":
            guard let b = Self.bound(labels["le"]) else { throw error(parser, "bucket of \(f.name) needs a valid le label") }
            if v.isNaN || v < 0 { throw error(parser, "bucket counts of \(f.name) must be non-negative") }
            if let last = g.lastBound, b <= last { throw error(parser, "buckets of \(f.name) out of order") }
            if v < g.lastBucketValue { throw error(parser, "bucket counts of \(f.name) decrease") }
            if b < 0 { g.hasNegativeBucket = true }
            g.lastBound = b
            g.lastBucketValue = v
        case "_count", "_gcount":
            if v.isNaN || v < 0 { throw error(parser, "\(parser.metricName) must be a non-negative number") }
            g.count = v
        case "_sum", "_gsum":
            if v.isNaN { throw error(parser, "\(parser.metricName) must not be NaN") }
            g.hasSum = true
            if v < 0 { g.hasNegativeSum = true }
        default:
            break
        }
        group = g
    }

    mutating func closeGroup(_ parser: ExpositionPullParser) throws(ExpositionError) {
        guard let g = group, let f = family else { return }
        group = nil
        if g.lastBound != .infinity { throw error(parser, "histogram \(f.name) has no +Inf bucket") }
        if let c = g.count, c != g.lastBucketValue { throw error(parser, "count of \(f.name) differs from its +Inf bucket") }
        if g.hasSum != (g.count != nil) { throw error(parser, "histogram \(f.name) needs both or neither of sum and count") }
        if f.type == .histogram, g.hasNegativeBucket, g.hasSum {
            throw error(parser, "histogram \(f.name) has negative buckets and a sum")
        }
        if f.type == .gaugehistogram, !g.hasNegativeBucket, g.hasNegativeSum {
            throw error(parser, "gauge histogram \(f.name) has a negative sum but no negative buckets")
        }
    }

    mutating func closeFamily(_ parser: ExpositionPullParser) throws(ExpositionError) {
        try closeGroup(parser)
        seenGroups.removeAll()
        guard let f = family else { return }
        family = nil
        if !f.unit.isEmpty {
            if f.type == .info || f.type == .stateset { throw error(parser, "\(f.type) metric \(f.name) cannot have a unit") }
            if !f.name.hasSuffix("_" + f.unit) { throw error(parser, "metric name \(f.name) must end with its unit _\(f.unit)") }
        }
    }

    mutating func finish(_ parser: ExpositionPullParser) throws(ExpositionError) {
        try closeFamily(parser)
    }
}
