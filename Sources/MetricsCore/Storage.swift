/// What the PromQL engine sees of storage: it never knows whether samples were scraped,
/// loaded by a test script or written by a recording rule.
public protocol SeriesQueryable: Sendable {
    /// Every series whose labels satisfy all matchers, with its samples in `mint...maxt`
    /// (inclusive, milliseconds), in ascending time order. Series with no sample in the window
    /// may be left out.
    func select(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesSamples]

    /// `select` for a range function, which only reads the windows: storage may hand out views
    /// of samples it keeps rather than copies.
    func selectWindows(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesWindow]

    /// The distinct values of a label among series that match (all series when `matchers` is empty).
    func labelValues(_ name: String, matching matchers: [LabelMatcher]) -> [String]
}

extension SeriesQueryable {
    public func selectWindows(_ matchers: [LabelMatcher], mint: Timestamp, maxt: Timestamp) -> [SeriesWindow] {
        select(matchers, mint: mint, maxt: maxt).map { SeriesWindow(labels: $0.labels, samples: $0.samples[...]) }
    }
}

/// Where samples are written: scrapes, test loads and recording rules.
public protocol SampleAppender: Sendable {
    /// Appends one sample; samples older than the series' newest are dropped (out of order).
    func append(_ labels: Labels, _ sample: Sample)
}
