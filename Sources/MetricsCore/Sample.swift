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
