import MetricsCore

/// What the embedded source needs from storage: turn one scrape's body into samples (with the
/// target's `job`/`instance`, `up`, `scrape_duration_seconds`, staleness), and answer selects.
/// The SeriesStore module provides the real one; tests may use their own.
public protocol ScrapeStorage: SeriesQueryable {
    /// Parses and appends one successful scrape taken at `time`. Returns the number of series,
    /// or a parse/limit error (the caller then reports the target down and calls `recordFailure`).
    func ingest(
        body: [UInt8], contentType: String?, target: Labels, at time: Timestamp, duration: Double, maxSeries: Int
    ) -> Result<Int, ScrapeIngestFailure>

    /// Records a failed scrape: `up` 0 and stale markers for the target's previous series.
    func recordFailure(target: Labels, at time: Timestamp, duration: Double)
}

/// A body that could not be ingested, with where in it.
public struct ScrapeIngestFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
