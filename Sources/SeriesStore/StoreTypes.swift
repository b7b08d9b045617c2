import Exposition
import MetricsCore

/// Bounds of a `MemoryStore`.
public struct StoreOptions: Hashable, Sendable {
    /// Samples older than the newest appended timestamp minus this are dropped (milliseconds);
    /// nil keeps everything (test loads, rule unit tests).
    public var retention: Int64?
    /// New series beyond this are dropped (and counted in `StoreStats.droppedSeriesLimit`).
    public var maxSeries: Int
    /// The oldest chunk of a series is dropped once it holds more samples than this.
    public var maxSamplesPerSeries: Int
    /// The compressed bytes of sealed chunks kept at most, over all series: past it the oldest
    /// samples go first, whatever the retention (nil: no budget). Bounds what many series scraped
    /// often cost over a day, which the retention alone does not.
    public var maxSealedBytes: Int?

    public init(retention: Int64? = 3_600_000, maxSeries: Int = 500_000, maxSamplesPerSeries: Int = 100_000,
                maxSealedBytes: Int? = nil) {
        self.retention = retention
        self.maxSeries = maxSeries
        self.maxSamplesPerSeries = maxSamplesPerSeries
        self.maxSealedBytes = maxSealedBytes
    }

    /// The retention the issue asks for: the longest graph range in use plus the longest range
    /// selector (both milliseconds), and at least one hour.
    public static func retention(longestGraphRange: Int64, longestRangeSelector: Int64) -> Int64 {
        let (sum, overflow) = longestGraphRange.addingReportingOverflow(longestRangeSelector)
        return overflow ? Int64.max : max(3_600_000, sum)
    }

    /// One hour of retention, half a million series.
    public static let `default` = StoreOptions()
    /// No retention and generous caps: for test data and rule unit tests spanning days.
    public static let unbounded = StoreOptions(retention: nil, maxSeries: 10_000_000, maxSamplesPerSeries: .max)
}

/// Memory accounting, for the benchmark and the status view.
public struct StoreStats: Hashable, Sendable {
    public var seriesCount = 0
    public var sampleCount = 0
    public var chunkCount = 0
    /// Bytes of compressed sample data.
    public var encodedBytes = 0
    /// Encoded bytes plus per-chunk and per-series bookkeeping (labels, index) and the decoded
    /// recent windows, an estimate.
    public var estimatedTotalBytes = 0
    public var droppedOutOfOrder = 0
    public var droppedSeriesLimit = 0
    public var newestTimestamp: Timestamp?

    /// Compressed bytes per stored sample (0 when empty).
    public var bytesPerSample: Double { sampleCount == 0 ? 0 : Double(encodedBytes) / Double(sampleCount) }
    /// Everything counted, per sample.
    public var totalBytesPerSample: Double {
        sampleCount == 0 ? 0 : Double(estimatedTotalBytes) / Double(sampleCount)
    }

    public init() {}
}

/// Appenders that can take many samples under one lock acquisition.
public protocol BatchSampleAppender: SampleAppender {
    func appendBatch(_ samples: [InstantSample])
}

/// What one scrape did to the store.
public struct ScrapeSummary: Hashable, Sendable {
    public var up: Bool
    /// Samples in the body (what `scrape_samples_scraped` reports).
    public var samplesScraped: Int
    /// Distinct series this scrape wrote (without the synthetic ones).
    public var seriesCount: Int
    /// Series not present in the previous scrape.
    public var seriesAdded: Int
    /// Staleness markers written for series that disappeared.
    public var staleMarkers: Int
    /// Samples of a series the body had already given at the scrape's time (dropped: the first wins).
    public var duplicateSamples: Int
    /// Why the body was rejected, when `ingest(body:contentType:…)` was given a malformed one.
    public var parseError: ExpositionError?

    public init(up: Bool, samplesScraped: Int = 0, seriesCount: Int = 0, seriesAdded: Int = 0, staleMarkers: Int = 0,
                duplicateSamples: Int = 0, parseError: ExpositionError? = nil) {
        self.up = up
        self.samplesScraped = samplesScraped
        self.seriesCount = seriesCount
        self.seriesAdded = seriesAdded
        self.staleMarkers = staleMarkers
        self.duplicateSamples = duplicateSamples
        self.parseError = parseError
    }
}
