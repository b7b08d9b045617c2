import MetricsCore

/// Which text format a scrape body is in. Chosen from the response's Content-Type, as Prometheus does.
public enum ExpositionFormat: Hashable, Sendable {
    /// Prometheus text format 0.0.4 (`text/plain; version=0.0.4`), also the fallback for anything unknown.
    case text
    /// OpenMetrics 1.0 (`application/openmetrics-text`).
    case openMetrics

    /// `application/openmetrics-text` (any parameters, any case) selects OpenMetrics; everything else,
    /// including a missing header, selects the Prometheus text format.
    public init(contentType: String?) {
        guard let contentType else { self = .text; return }
        if let known = Self.asciiMediaType(contentType) { self = known; return }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        let trimmed = mediaType.filter { $0 != " " && $0 != "\t" }
        self = trimmed.lowercased() == "application/openmetrics-text" ? .openMetrics : .text
    }

    /// The same decision on the bytes (every scrape asks), for a media type of ASCII only; nil for
    /// anything else, which the Character-wise code above decides.
    static func asciiMediaType(_ contentType: String) -> ExpositionFormat? {
        let wanted: StaticString = "application/openmetrics-text"
        var k = 0
        for c in contentType.utf8 {
            if c == UInt8(ascii: ";") { break }
            if c >= 0x80 { return nil }
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { continue }
            let lower = c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c | 0x20 : c
            if k >= wanted.utf8CodeUnitCount || wanted.utf8Start[k] != lower { return .text }
            k += 1
        }
        return k == wanted.utf8CodeUnitCount ? .openMetrics : .text
    }
}

/// Bounds on what a scraped target may send us; exceeding one rejects the scrape with a clear error.
public struct ExpositionLimits: Hashable, Sendable {
    public var maxMetricNameLength: Int
    public var maxLabelNameLength: Int
    public var maxLabelValueLength: Int
    public var maxLabelsPerSeries: Int
    /// Samples (lines that carry a value) per scrape.
    public var maxSamples: Int
    /// HELP text and UNIT length in bytes.
    public var maxMetadataLength: Int

    public init(
        maxMetricNameLength: Int = 1024, maxLabelNameLength: Int = 1024, maxLabelValueLength: Int = 16 * 1024,
        maxLabelsPerSeries: Int = 128, maxSamples: Int = 1_000_000, maxMetadataLength: Int = 64 * 1024
    ) {
        self.maxMetricNameLength = maxMetricNameLength
        self.maxLabelNameLength = maxLabelNameLength
        self.maxLabelValueLength = maxLabelValueLength
        self.maxLabelsPerSeries = maxLabelsPerSeries
        self.maxSamples = maxSamples
        self.maxMetadataLength = maxMetadataLength
    }

    public static let `default` = ExpositionLimits()
}

/// How picky the parser is beyond the line grammar.
public struct ExpositionOptions: Hashable, Sendable {
    /// Enforce OpenMetrics' family rules too (histogram bucket order and +Inf bucket, counter values
    /// non-negative, metadata placement, clashing names, exemplar placement…), as the reference
    /// OpenMetrics test suite demands. Prometheus itself does not check these at scrape time, so the
    /// default is off: a scrape Prometheus would accept is accepted.
    public var strictOpenMetrics: Bool
    /// Keep OpenMetrics `_created` samples of counters, histograms and summaries as ordinary series.
    /// Off by default: they are start times, not values anyone graphs.
    public var keepCreatedSeries: Bool

    public init(strictOpenMetrics: Bool = false, keepCreatedSeries: Bool = false) {
        self.strictOpenMetrics = strictOpenMetrics
        self.keepCreatedSeries = keepCreatedSeries
    }

    public static let `default` = ExpositionOptions()
}

/// Why a scrape body was rejected, and where (1-based line and byte column).
public struct ExpositionError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The line does not follow the format's grammar.
        case syntax
        /// The line is well-formed but breaks a rule of its metric family (OpenMetrics strict mode).
        case semantic
        /// A configured bound was exceeded.
        case limit
    }

    public var kind: Kind
    public var line: Int
    public var column: Int
    public var reason: String

    public init(_ kind: Kind, line: Int, column: Int, reason: String) {
        self.kind = kind
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "line \(line):\(column): \(reason)" }
}

/// Metric family types of both formats (`untyped` in the text format is `unknown` here).
public enum MetricType: String, Hashable, Sendable {
    case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown
}

/// What the HELP, TYPE and UNIT lines said about one metric family.
public struct FamilyMetadata: Hashable, Sendable {
    public var type: MetricType
    /// Unescaped but NOT sanitised: may hold control characters; the renderer must sanitise it.
    public var help: String?
    public var unit: String?

    public init(type: MetricType = .unknown, help: String? = nil, unit: String? = nil) {
        self.type = type
        self.help = help
        self.unit = unit
    }
}

/// One sample of a scrape: its full label set (with `__name__`), value and optional own timestamp.
public struct ParsedSample: Hashable, Sendable {
    public var labels: Labels
    public var value: Double
    /// Milliseconds, when the exposition gave one (OpenMetrics seconds are converted).
    public var timestamp: Timestamp?

    public init(labels: Labels, value: Double, timestamp: Timestamp? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// A whole, accepted scrape body.
public struct ParsedScrape: Hashable, Sendable {
    public var format: ExpositionFormat
    public var samples: [ParsedSample]
    /// Keyed by family name as written in the metadata lines.
    public var metadata: [String: FamilyMetadata]

    public init(format: ExpositionFormat, samples: [ParsedSample] = [], metadata: [String: FamilyMetadata] = [:]) {
        self.format = format
        self.samples = samples
        self.metadata = metadata
    }
}
