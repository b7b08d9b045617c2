import Foundation
import MetricsCore
import Synchronization

/// How `lookout query` prints results: `labels => value @[time]` lines as promtool does, or the
/// Prometheus HTTP API's JSON.
enum QueryOutput {
    static func text(_ value: QueryValue) -> String {
        switch value {
        case .vector(let samples):
            return samples.map { "\($0.labels) => \(number($0.sample.v)) @[\(seconds($0.sample.t))]\n" }.joined()
        case .matrix(let series):
            return series.map { s in
                "\(s.labels) =>\n" + s.samples.map { "\(number($0.v)) @[\(seconds($0.t))]\n" }.joined()
            }.joined()
        case .scalar(let s):
            return "scalar: \(number(s.v)) @[\(seconds(s.t))]\n"
        case .string(let t, let v):
            return "string: \(v) @[\(seconds(t))]\n"
        }
    }

    static func json(_ value: QueryValue) -> String {
        let (type, result): (String, Any)
        switch value {
        case .vector(let samples):
            type = "vector"
            result = samples.map { ["metric": dict($0.labels), "value": pair($0.sample)] as [String: Any] }
        case .matrix(let series):
            type = "matrix"
            result = series.map { ["metric": dict($0.labels), "values": $0.samples.map(pair)] as [String: Any] }
        case .scalar(let s):
            type = "scalar"
            result = pair(s)
        case .string(let t, let v):
            type = "string"
            result = [Double(t) / 1000, v] as [Any]
        }
        return encode(["status": "success", "data": ["resultType": type, "result": result]])
    }

    static func jsonError(_ f: QueryFailure) -> String {
        encode(["status": "error", "errorType": f.kind.rawValue, "error": f.message])
    }

    private static func encode(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func dict(_ labels: Labels) -> [String: String] {
        Dictionary(labels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    private static func pair(_ s: Sample) -> [Any] { [Double(s.t) / 1000, number(s.v)] }

    /// Prometheus' number text: `NaN`, `+Inf`, `-Inf`, otherwise the shortest exact form.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func seconds(_ t: Timestamp) -> String {
        t % 1000 == 0 ? "\(t / 1000)" : String(format: "%.3f", Double(t) / 1000)
    }
}

/// A small locked value for flags shared with callbacks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func get() -> Value { mutex.withLock { $0 } }
    func set(_ v: Value) { mutex.withLock { $0 = v } }
}
