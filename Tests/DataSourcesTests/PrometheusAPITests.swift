import DataSources
import Foundation
import MetricsCore
import Testing

@Suite("Prometheus API decoding")
struct PrometheusAPITests {
    func decode(_ json: String) -> QueryOutcome { PrometheusAPI.decodeQuery(Array(json.utf8), location: "http://x/api/v1/query") }

    @Test func vector() throws {
        let o = decode("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"__name__":"up","job":"node","instance":"a:9100"},"value":[1700000000.123,"1"]},
              {"metric":{"job":"x"},"value":[1700000000,"NaN"]}]}}
            """)
        let value = try o.result.get()
        guard case .vector(let samples) = value else { Issue.record("not a vector: \(value)"); return }
        #expect(samples.count == 2)
        #expect(samples[0].labels == Labels(["__name__": "up", "job": "node", "instance": "a:9100"]))
        #expect(samples[0].sample == Sample(t: 1_700_000_000_123, v: 1))
        #expect(samples[1].sample.v.isNaN)
        #expect(o.warnings.isEmpty)
    }

    @Test func matrixWithInfinities() throws {
        let o = decode("""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"rate"},"values":[[1700000000,"+Inf"],[1700000015,"-Inf"],[1700000030,"2.5e-3"]]}]}}
            """)
        guard case .matrix(let series) = try o.result.get() else { Issue.record("not a matrix"); return }
        #expect(series.count == 1)
        #expect(series[0].samples.map(\.t) == [1_700_000_000_000, 1_700_000_015_000, 1_700_000_030_000])
        #expect(series[0].samples[0].v == .infinity && series[0].samples[1].v == -.infinity)
        #expect(series[0].samples[2].v == 0.0025)
    }

    @Test func scalarAndString() throws {
        let s = decode(#"{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"42"]}}"#)
        #expect(try s.result.get() == .scalar(Sample(t: 1_700_000_000_500, v: 42)))
        let str = decode(#"{"status":"success","data":{"resultType":"string","result":[1700000000,"hello"]}}"#)
        #expect(try str.result.get() == .string(t: 1_700_000_000_000, value: "hello"))
    }

    @Test func warningsAreCarried() throws {
        let o = decode("""
            {"status":"success","warnings":["PromQL info: metric might not be a counter"],
             "data":{"resultType":"vector","result":[]}}
            """)
        #expect(try o.result.get() == .vector([]))
        #expect(o.warnings == ["PromQL info: metric might not be a counter"])
    }

    @Test func apiErrorCarriesTheServersMessage() {
        let o = decode(#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}"#)
        guard case .failure(let f) = o.result else { Issue.record("expected failure"); return }
        #expect(f.kind == .api)
        #expect(f.message == "bad_data: 1:5: parse error: unexpected end of input")
        #expect(f.location == "http://x/api/v1/query")
    }

    @Test(arguments: [
        ("{not json", "not JSON"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}"#,
         "at data.result[0].value[1]"),
        (#"{"status":"success","data":{"resultType":"cube","result":[]}}"#, "unknown resultType \"cube\""),
        (#"{"status":"success","data":{"result":[]}}"#, "missing \"resultType\""),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}}"#,
         "invalid sample value \"x\""),
        (#"{"status":"success"}"#, "no data"),
    ])
    func invalidAnswersNameWhereTheyBreak(json: String, expected: String) {
        guard case .failure(let f) = decode(json).result else { Issue.record("expected failure for \(json)"); return }
        #expect(f.kind == .badResponse)
        #expect(f.message.contains(expected), "\(f.message)")
    }

    /// Native histograms are decoded as count and sum (NativeHistogramTests has the details).
    @Test func nativeHistogramSamplesAreKeptAsCountAndSum() throws {
        let o = decode("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"a":"1"},"histogram":[1700000000,{"count":"1","sum":"2"}]},
              {"metric":{"a":"2"},"value":[1700000000,"3"]}]}}
            """)
        guard case .vector(let v) = try o.result.get() else { Issue.record("not a vector"); return }
        #expect(v.map { $0.labels["a"] } == ["1", "1", "2"])
        #expect(v.map(\.sample.v) == [1, 2, 3])
    }

    @Test func buildInfoLabelValuesAndAlerts() throws {
        #expect(PrometheusAPI.decodeBuildInfo(Array(#"{"status":"success","data":{"version":"2.42.0","revision":"x"}}"#.utf8)) == "2.42.0")
        let values = try PrometheusAPI.decodeLabelValues(Array(#"{"status":"success","data":["node","redis"]}"#.utf8)).get()
        #expect(values == ["node", "redis"])
        let alerts = try PrometheusAPI.decodeAlerts(Array("""
            {"status":"success","data":{"alerts":[{"labels":{"alertname":"HighLatency","severity":"page"},
            "annotations":{"summary":"p99 high"},"state":"firing",
            "activeAt":"2024-01-02T03:04:05.123456789Z","value":"1.5e+00"}]}}
            """.utf8)).get()
        #expect(alerts.count == 1)
        let a = try #require(alerts.first)
        #expect(a.name == "HighLatency" && a.state == "firing" && a.value == 1.5)
        #expect(a.labels["severity"] == "page" && a.annotations["summary"] == "p99 high")
        let active = try #require(a.activeAt)
        #expect(abs(active.timeIntervalSince1970 - 1_704_164_645.123456789) < 1e-3)
    }
}
