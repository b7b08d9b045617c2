import MetricsCore

/// Whole-body parsing into samples and metadata; a malformed line rejects the whole scrape.
public enum Exposition {
    public static func parse(
        _ bytes: [UInt8], format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        try ExpositionPullParser.withParser(bytes, format: format, limits: limits, options: options) {
            (parser: inout ExpositionPullParser) throws(ExpositionError) -> ParsedScrape in
            try collect(&parser)
        }
    }

    public static func parse(
        _ bytes: UnsafeRawBufferPointer, format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        try ExpositionPullParser.withParser(bytes, format: format, limits: limits, options: options) {
            (parser: inout ExpositionPullParser) throws(ExpositionError) -> ParsedScrape in
            try collect(&parser)
        }
    }

    public static func parse(
        _ text: String, format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        try parse(Array(text.utf8), format: format, limits: limits, options: options)
    }

    static func collect(_ parser: inout ExpositionPullParser) throws(ExpositionError) -> ParsedScrape {
        var scrape = ParsedScrape(format: parser.format)
        scrape.samples.reserveCapacity(parser.end / 64)
        var builder = LabelBuilder()
        while let entry = try parser.next() {
            switch entry {
            case .sample:
                if parser.isCreatedSeries && !parser.options.keepCreatedSeries { continue }
                let labels = builder.labels(of: parser)
                scrape.samples.append(ParsedSample(labels: labels, value: parser.value, timestamp: parser.timestamp))
            case .help:
                scrape.metadata[parser.metadataName, default: FamilyMetadata()].help = parser.helpText
            case .type:
                scrape.metadata[parser.metadataName, default: FamilyMetadata()].type = parser.metricType
            case .unit:
                scrape.metadata[parser.metadataName, default: FamilyMetadata()].unit = parser.unitText
            case .eof:
                break
            }
        }
        return scrape
    }
}

/// Builds `Labels` for consecutive samples, reusing the Strings of the previous sample when the bytes
/// are the same (consecutive samples usually share the metric name and most label names), which
/// saves most String allocations on a typical scrape.
struct LabelBuilder {
    struct Cached {
        var bytes: [UInt8] = []
        var string = ""
    }

    var name = Cached()
    var labelNames: [Cached] = []
    var labelValues: [Cached] = []
    var pairs: [Label] = []

    static func cachedString(_ cache: inout Cached, _ parser: ExpositionPullParser, _ start: Int, _ stop: Int,
                             escaped: Bool) -> String {
        let n = stop - start
        if cache.bytes.count == n {
            var same = true
            cache.bytes.withUnsafeBufferPointer { b in
                var k = 0
                while k < n {
                    if b[k] != parser.p[start + k] { same = false; break }
                    k += 1
                }
            }
            if same { return cache.string }
        }
        cache.bytes = Array(UnsafeBufferPointer(start: parser.p + start, count: n))
        cache.string = parser.decode(start, stop, escaped: escaped)
        return cache.string
    }

    mutating func labels(of parser: ExpositionPullParser) -> Labels {
        let metric = Self.cachedString(&name, parser, parser.nameStart, parser.nameEnd, escaped: parser.nameQuoted)
        let n = parser.labelSpans.count
        while labelNames.count < n {
            labelNames.append(Cached())
            labelValues.append(Cached())
        }
        pairs.removeAll(keepingCapacity: true)
        pairs.append(Label(Labels.metricName, metric))
        var sorted = true
        for i in 0..<n {
            let s = parser.labelSpans[i]
            let ln = Self.cachedString(&labelNames[i], parser, s.nameStart, s.nameEnd, escaped: s.nameQuoted)
            let lv = Self.cachedString(&labelValues[i], parser, s.valueStart, s.valueEnd, escaped: s.valueEscaped)
            // An empty value means "no such label", as in Prometheus.
            if lv.isEmpty { continue }
            if let last = pairs.last, last.name >= ln { sorted = false }
            pairs.append(Label(ln, lv))
        }
        if sorted { return Labels(sortedUnique: pairs) }
        return Labels(pairs)
    }
}
