/// The result of evaluating an expression, in the four PromQL value types.
public enum QueryValue: Hashable, Sendable {
    case vector([InstantSample])
    case matrix([SeriesSamples])
    case scalar(Sample)
    case string(t: Timestamp, value: String)
}

/// One element of an instant vector.
public struct InstantSample: Hashable, Sendable {
    public var labels: Labels
    public var sample: Sample

    public init(labels: Labels, sample: Sample) {
        self.labels = labels
        self.sample = sample
    }
}
