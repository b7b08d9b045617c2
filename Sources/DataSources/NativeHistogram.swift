import Foundation
import MetricsCore

/// Native histograms in query answers (`"histogram"` in vectors, `"histograms"` in matrices).
/// Lookout's panels draw numbers, so each histogram becomes two series: its count under the
/// series' own labels, and its sum under the same labels plus `histogram="sum"`. The buckets are
/// read (so a malformed one is a decode error with its JSON path) but not drawn.
enum NativeHistogram {
    /// App's QueryAnnotations shows it as information, not as a warning.
    static let note = "native histogram shown as its count, and its sum as histogram=\"sum\""

    static func sumLabels(_ labels: Labels) -> Labels {
        labels.setting("histogram", "sum")
    }
}

/// `[<unix_time>, {"count": "<n>", "sum": "<s>", "buckets": [[<rule>, "<left>", "<right>", "<n>"], ...]}]`.
struct APIHistogramPoint: Decodable {
    var t: Timestamp
    var count: Double
    var sum: Double

    private struct Body: Decodable {
        var count: String
        var sum: String
        var buckets: [Bucket]?
    }

    /// `[boundary_rule 0...3, left, right, count]`.
    private struct Bucket: Decodable {
        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            let rule = try c.decode(Int.self)
            guard (0...3).contains(rule) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "boundary rule \(rule) is not 0...3")
            }
            for _ in 0..<3 {
                let text = try c.decode(String.self)
                guard APIPoint.parseValue(text) != nil else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "invalid number \"\(text)\"")
                }
            }
        }
    }

    init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        t = APIPoint.milliseconds(try c.decode(Double.self))
        let body = try c.decode(Body.self)
        guard let count = APIPoint.parseValue(body.count), let sum = APIPoint.parseValue(body.sum) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "invalid histogram count \"\(body.count)\" or sum \"\(body.sum)\"")
        }
        self.count = count
        self.sum = sum
    }
}
