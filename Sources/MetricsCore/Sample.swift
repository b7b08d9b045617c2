/// Milliseconds since the Unix epoch, as Prometheus stores time.
public typealias Timestamp = Int64

/// One float sample.
public struct Sample: Hashable, Sendable {
    public var t: Timestamp
    public var v: Double

    public init(t: Timestamp, v: Double) {
        self.t = t
        self.v = v
    }
}

/// Prometheus' staleness marker: a NaN with one specific bit pattern, distinct from an ordinary NaN.
public enum StaleNaN {
    public static let bits: UInt64 = 0x7ff0_0000_0000_0002
    public static let value = Double(bitPattern: bits)

    public static func isStale(_ v: Double) -> Bool { v.bitPattern == bits }
}

/// A series with its samples, in ascending time order.
public struct SeriesSamples: Hashable, Sendable {
    public var labels: Labels
    public var samples: [Sample]

    public init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}

/// A series' samples in a window as a slice of storage's own decoded samples: a range function
/// reads the window and lets it go, so storage that keeps decoded samples hands out a view of
/// them instead of a copy per series and query.
public struct SeriesWindow: Sendable {
    public var labels: Labels
    public var samples: ArraySlice<Sample>
    /// False when storage knows that no sample of `samples` is a staleness marker, so the engine
    /// need not look at every sample to find out.
    public var mayHoldStale: Bool
    /// False when storage knows that no sample of `samples` is lower than the one before it (no
    /// counter reset), so `rate` need not compare every pair of samples to find out.
    public var mayDecrease: Bool

    public init(labels: Labels, samples: ArraySlice<Sample>, mayHoldStale: Bool = true, mayDecrease: Bool = true) {
        self.labels = labels
        self.samples = samples
        self.mayHoldStale = mayHoldStale
        self.mayDecrease = mayDecrease
    }
}
