@testable import DemoService
import Foundation

/// One sample line of a text exposition.
struct ParsedSample: Equatable {
    let name: String
    let labels: [String: String]
    let value: Double
}

/// Minimal parser for the text format the demo writes (no escapes inside its label values),
/// enough for the tests to read back what was exposed. Returns nil on any malformed line.
func parseExposition(_ text: String) -> [ParsedSample]? {
    var samples: [ParsedSample] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        let name: Substring
        var labels: [String: String] = [:]
        let valuePart: Substring
        if let open = line.firstIndex(of: "{") {
            guard let close = line.lastIndex(of: "}") else { return nil }
            name = line[..<open]
            let body = line[line.index(after: open)..<close]
            for pair in body.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[1].hasPrefix("\""), parts[1].hasSuffix("\"") else { return nil }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            valuePart = line[line.index(after: close)...]
        } else {
            guard let space = line.firstIndex(of: " ") else { return nil }
            name = line[..<space]
            valuePart = line[space...]
        }
        guard let value = Double(valuePart.trimmingCharacters(in: .whitespaces)) else { return nil }
        samples.append(ParsedSample(name: String(name), labels: labels, value: value))
    }
    return samples
}

/// Prometheus' `histogram_quantile` on cumulative (upper bound, count) pairs ending with +Inf:
/// linear interpolation inside the bucket holding the rank, lower bound 0 for the first bucket.
func histogramQuantile(_ q: Double, cumulative: [(bound: Double, count: Double)]) -> Double {
    guard let total = cumulative.last?.count, total > 0 else { return .nan }
    let rank = q * total
    var lowerBound = 0.0
    var countBelow = 0.0
    for (bound, count) in cumulative {
        if count >= rank {
            if bound.isInfinite { return lowerBound }
            let inBucket = count - countBelow
            guard inBucket > 0 else { return bound }
            return lowerBound + (bound - lowerBound) * (rank - countBelow) / inBucket
        }
        lowerBound = bound
        countBelow = count
    }
    return lowerBound
}

/// Snapshot of the HTTP state of a simulation, for differences between two moments.
struct TrafficSnapshot {
    /// Per handler: cumulative bucket counts summed over statuses (last entry +Inf).
    var buckets: [String: [Double]] = [:]
    var requests: [String: Double] = [:]
    var serverErrors: [String: Double] = [:]

    init(_ simulation: ServiceSimulation) {
        for series in simulation.http.series {
            let cumulative = series.cumulativeBuckets.map(Double.init)
            buckets[series.handler] = zip(buckets[series.handler] ?? Array(repeating: 0, count: cumulative.count),
                                          cumulative).map(+)
            requests[series.handler, default: 0] += Double(series.count)
            if series.status.hasPrefix("5") { serverErrors[series.handler, default: 0] += Double(series.count) }
        }
    }

    var totalRequests: Double { requests.values.reduce(0, +) }
    var totalServerErrors: Double { serverErrors.values.reduce(0, +) }

    /// What happened between `earlier` and self.
    func since(_ earlier: TrafficSnapshot) -> TrafficSnapshot {
        var result = self
        for (handler, counts) in buckets {
            result.buckets[handler] = zip(counts, earlier.buckets[handler] ?? []).map(-)
        }
        for (handler, count) in requests { result.requests[handler] = count - (earlier.requests[handler] ?? 0) }
        for (handler, count) in serverErrors {
            result.serverErrors[handler] = count - (earlier.serverErrors[handler] ?? 0)
        }
        return result
    }

    func quantile(_ q: Double, handler: String) -> Double {
        let bounds = ServiceProfile.bucketBounds + [.infinity]
        let counts = buckets[handler] ?? []
        return histogramQuantile(q, cumulative: Array(zip(bounds, counts)).map { (bound: $0.0, count: $0.1) })
    }
}

/// Relative distance |a − b| / b.
func relativeError(_ actual: Double, _ expected: Double) -> Double { abs(actual - expected) / expected }
