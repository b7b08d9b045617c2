import DataSources
import MetricsCore
import Testing

/// `/api/v1/series` answers (what the prompt's label-name completion reads in server mode).
@Suite struct SeriesDecodingTests {
    @Test func labelSetsAreDecoded() throws {
        let body = #"{"status":"success","data":[{"__name__":"up","job":"node","instance":"a:9100"},{"__name__":"up","job":"prom"}]}"#
        let series = try PrometheusAPI.decodeSeries(Array(body.utf8)).get()
        #expect(series == [Labels(["__name__": "up", "job": "node", "instance": "a:9100"]),
                           Labels(["__name__": "up", "job": "prom"])])
    }

    @Test func errorsCarryTheServersTextAndWhere() {
        let body = #"{"status":"error","errorType":"bad_data","error":"1:3: parse error"}"#
        guard case .failure(let f) = PrometheusAPI.decodeSeries(Array(body.utf8), location: "http://p/api/v1/series") else {
            Issue.record("decoded an error")
            return
        }
        #expect(f.message == "bad_data: 1:3: parse error")
        #expect(f.location == "http://p/api/v1/series")
    }
}
