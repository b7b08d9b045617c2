import MetricsCore

extension ExpositionPullParser {
    /// The current sample's metric name and label set exactly as written (`name{a="b"}`), without
    /// the value. The same bytes always mean the same series, so a scraper can key a cache on them
    /// (as Prometheus' scrape cache does) and skip building and hashing the label set of a series
    /// it has seen before. Valid only inside `withParser`, until the next `next()`.
    public var seriesText: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: p + seriesStart, count: seriesEnd - seriesStart)
    }
}

/// Builds the label sets of a body's samples on demand (for the series a cache has not seen),
/// sharing one String per distinct name or value within the body.
public struct SeriesLabelReader {
    var builder: LabelBuilder

    /// `bodySize` sizes the string cache; pass the body's length.
    public init(bodySize: Int) {
        builder = LabelBuilder(bodySize: bodySize)
    }

    /// The full label set (with `__name__`) of the parser's current sample.
    public mutating func labels(of parser: ExpositionPullParser) -> Labels {
        // Such a sample's labels were not read (`expectSeries`): its series is the expected one.
        precondition(!parser.seriesWasExpected, "labels(of:) for a sample taken as its expected series")
        return builder.labels(of: parser)
    }
}
