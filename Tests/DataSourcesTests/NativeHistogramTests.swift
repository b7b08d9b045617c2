import DataSources
import Foundation
import MetricsCore
import Testing

/// Native-histogram answers, in the shape of the Prometheus HTTP API documentation (querying/api.md,
/// "Native histograms"): decoded and shown as count and sum, never a decode error.
@Suite("Native histograms in query answers")
struct NativeHistogramTests {
    func decode(_ json: String) -> QueryOutcome {
        PrometheusAPI.decodeQuery(Array(json.utf8), location: "http://x/api/v1/query")
    }

    static let histogram = """
        {"count":"12","sum":"3.25","buckets":[[3,"-0.001","0.001","2"],[0,"0.5","0.707","4"],[0,"1","1.414","6"]]}
        """

    @Test func instantVectorMixingFloatAndHistogramSeries() throws {
        let o = decode("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"__name__":"rpc_seconds","job":"api"},"histogram":[1700000000.5,\(Self.histogram)]},
              {"metric":{"__name__":"up","job":"api"},"value":[1700000000.5,"1"]}]}}
            """)
        guard case .vector(let samples) = try o.result.get() else { Issue.record("not a vector"); return }
        #expect(samples.map(\.labels) == [
            Labels(["__name__": "rpc_seconds", "job": "api"]),
            Labels(["__name__": "rpc_seconds", "job": "api", "histogram": "sum"]),
            Labels(["__name__": "up", "job": "api"]),
        ])
        #expect(samples.map(\.sample) == [Sample(t: 1_700_000_000_500, v: 12), Sample(t: 1_700_000_000_500, v: 3.25),
                                          Sample(t: 1_700_000_000_500, v: 1)])
        #expect(o.warnings == ["native histogram shown as its count, and its sum as histogram=\"sum\""])
    }

    @Test func rangeSeriesWithValuesAndHistogramsMergedInTimeOrder() throws {
        let o = decode("""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"rpc_seconds"},"values":[[1700000000,"5"]],
               "histograms":[[1700000015,\(Self.histogram)],[1700000030,{"count":"20","sum":"4.5","buckets":[]}]]}]}}
            """)
        guard case .matrix(let series) = try o.result.get() else { Issue.record("not a matrix"); return }
        #expect(series.count == 2)
        #expect(series[0].labels == Labels(["__name__": "rpc_seconds"]))
        #expect(series[0].samples == [Sample(t: 1_700_000_000_000, v: 5), Sample(t: 1_700_000_015_000, v: 12),
                                      Sample(t: 1_700_000_030_000, v: 20)])
        #expect(series[1].labels == Labels(["__name__": "rpc_seconds", "histogram": "sum"]))
        #expect(series[1].samples == [Sample(t: 1_700_000_015_000, v: 3.25), Sample(t: 1_700_000_030_000, v: 4.5)])
    }

    @Test func histogramWithoutBucketsAndWithInfinities() throws {
        let o = decode("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{},"histogram":[1700000000,{"count":"0","sum":"0"}]},
              {"metric":{"a":"b"},"histogram":[1700000000,{"count":"+Inf","sum":"NaN","buckets":[[1,"-Inf","-1","3"]]}]}]}}
            """)
        guard case .vector(let samples) = try o.result.get() else { Issue.record("not a vector"); return }
        #expect(samples.count == 4)
        #expect(samples[0].sample.v == 0 && samples[2].sample.v == .infinity && samples[3].sample.v.isNaN)
    }

    @Test func malformedHistogramIsAnErrorWithItsPath() {
        let o = decode("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{},"histogram":[1700000000,{"count":"12","sum":"1","buckets":[[7,"0","1","2"]]}]}]}}
            """)
        guard case .failure(let f) = o.result else { Issue.record("decoded a bad boundary rule"); return }
        #expect(f.kind == .badResponse)
        #expect(f.message.hasPrefix("invalid API response: at data.result[0].histogram[1].buckets[0]"), "\(f.message)")
    }
}
