import Foundation
import MetricsCore

/// Decoding of Prometheus HTTP API answers (`/api/v1/...`), shared by every endpoint.
/// Pure functions over bytes so they can be tested without a server.
public enum PrometheusAPI {
    /// The common envelope: `{"status": "success"|"error", "data": ..., "errorType", "error", "warnings"}`.
    struct Envelope<Data: Decodable>: Decodable {
        var status: String
        var data: Data?
        var errorType: String?
        var error: String?
        var warnings: [String]?
    }

    /// Decodes an envelope; `"status":"error"` becomes an `.api` failure carrying the server's message.
    static func decode<D: Decodable>(_ type: D.Type, from body: [UInt8], location: String)
        -> Result<(D, [String]), QueryFailure>
    {
        let envelope: Envelope<D>
        do {
            envelope = try JSONDecoder().decode(Envelope<D>.self, from: Data(body))
        } catch {
            return .failure(QueryFailure(
                kind: .badResponse, message: "invalid API response: \(describe(error))", location: location))
        }
        if envelope.status != "success" {
            let type = envelope.errorType.map { "\($0): " } ?? ""
            let message = envelope.error ?? "status \"\(envelope.status)\" without an error message"
            return .failure(QueryFailure(kind: .api, message: type + message, location: location))
        }
        guard let data = envelope.data else {
            return .failure(QueryFailure(kind: .badResponse, message: "invalid API response: no data", location: location))
        }
        return .success((data, envelope.warnings ?? []))
    }

    /// Decodes a `query` or `query_range` answer into a QueryValue plus the server's warnings.
    public static func decodeQuery(_ body: [UInt8], location: String = "") -> QueryOutcome {
        switch decode(QueryData.self, from: body, location: location) {
        case .success(let (data, warnings)):
            let note = data.histogramSeries > 0 ? [NativeHistogram.note] : []
            return .success(data.value, warnings: warnings + note)
        case .failure(let f): return .failure(f)
        }
    }

    /// Decodes `/api/v1/status/buildinfo` into its version string.
    public static func decodeBuildInfo(_ body: [UInt8]) -> String? {
        struct BuildInfo: Decodable { var version: String }
        guard case .success(let (info, _)) = decode(BuildInfo.self, from: body, location: "") else { return nil }
        return info.version
    }

    /// Decodes `/api/v1/series`: the label sets of the matching series.
    public static func decodeSeries(_ body: [UInt8], location: String = "") -> Result<[Labels], QueryFailure> {
        decode([[String: String]].self, from: body, location: location).map { $0.0.map(Labels.init) }
    }

    /// Decodes `/api/v1/label/<name>/values`.
    public static func decodeLabelValues(_ body: [UInt8], location: String = "") -> Result<[String], QueryFailure> {
        decode([String].self, from: body, location: location).map(\.0)
    }

    /// A JSON decoding error as one line with the JSON path: `at data.result[0].value: expected ...`.
    static func describe(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            let p = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.hasPrefix(".") ? String(p.dropFirst()) : (p.isEmpty ? "top level" : p)
        }
        switch error as? DecodingError {
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?:
            return "at \(path(c.codingPath)): \(c.debugDescription)"
        case .keyNotFound(let key, let c)?:
            return "at \(path(c.codingPath)): missing \"\(key.stringValue)\""
        case .dataCorrupted(let c)?:
            let under = (c.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return c.codingPath.isEmpty ? "not JSON" + (under.map { " (\($0))" } ?? "")
                : "at \(path(c.codingPath)): \(c.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

/// `data` of a query answer.
struct QueryData: Decodable {
    var value: QueryValue
    /// How many series carried native-histogram samples (shown as count and sum).
    var histogramSeries = 0

    private enum Keys: String, CodingKey { case resultType, result }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let type = try c.decode(String.self, forKey: .resultType)
        switch type {
        case "vector":
            let items = try c.decode([APIVectorItem].self, forKey: .result)
            var out: [InstantSample] = []
            for item in items {
                let labels = Labels(item.metric)
                if let v = item.value { out.append(InstantSample(labels: labels, sample: v.sample)) }
                if let h = item.histogram {
                    histogramSeries += 1
                    out.append(InstantSample(labels: labels, sample: Sample(t: h.t, v: h.count)))
                    out.append(InstantSample(labels: NativeHistogram.sumLabels(labels), sample: Sample(t: h.t, v: h.sum)))
                }
            }
            value = .vector(out)
        case "matrix":
            let items = try c.decode([APIMatrixItem].self, forKey: .result)
            var out: [SeriesSamples] = []
            for item in items {
                let labels = Labels(item.metric)
                let floats = (item.values ?? []).map(\.sample)
                guard let histograms = item.histograms, !histograms.isEmpty else {
                    out.append(SeriesSamples(labels: labels, samples: floats))
                    continue
                }
                histogramSeries += 1
                // One sample per timestamp, float or histogram: merged back into time order.
                let counts = histograms.map { Sample(t: $0.t, v: $0.count) }
                out.append(SeriesSamples(labels: labels, samples: (floats + counts).sorted { $0.t < $1.t }))
                out.append(SeriesSamples(labels: NativeHistogram.sumLabels(labels),
                                         samples: histograms.map { Sample(t: $0.t, v: $0.sum) }))
            }
            value = .matrix(out)
        case "scalar":
            value = .scalar(try c.decode(APIPoint.self, forKey: .result).sample)
        case "string":
            let p = try c.decode(APIStringPoint.self, forKey: .result)
            value = .string(t: p.t, value: p.text)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .resultType, in: c, debugDescription: "unknown resultType \"\(type)\"")
        }
    }
}

/// A vector item has `value`, or a native histogram in `histogram`.
private struct APIVectorItem: Decodable {
    var metric: [String: String]
    var value: APIPoint?
    var histogram: APIHistogramPoint?
}

/// A matrix item has `values`, `histograms`, or both (one sample per timestamp).
private struct APIMatrixItem: Decodable {
    var metric: [String: String]
    var values: [APIPoint]?
    var histograms: [APIHistogramPoint]?
}

/// `[1700000000.123, "42"]`: seconds as a number, the value as a string ("NaN", "+Inf" allowed).
struct APIPoint: Decodable {
    var sample: Sample

    init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        let seconds = try c.decode(Double.self)
        let text = try c.decode(String.self)
        guard let v = APIPoint.parseValue(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "invalid sample value \"\(text)\"")
        }
        sample = Sample(t: APIPoint.milliseconds(seconds), v: v)
    }

    static func milliseconds(_ seconds: Double) -> Timestamp {
        let ms = (seconds * 1000).rounded()
        return ms.isFinite && abs(ms) < 9e18 ? Timestamp(ms) : 0
    }

    static func parseValue(_ s: String) -> Double? {
        switch s {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(s)
        }
    }
}

private struct APIStringPoint: Decodable {
    var t: Timestamp
    var text: String

    init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        t = APIPoint.milliseconds(try c.decode(Double.self))
        text = try c.decode(String.self)
    }
}
