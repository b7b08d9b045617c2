import MetricsCore
import Testing
@testable import PromQL

@Suite struct SeriesNotationTests {
    @Test func expandsSequences() throws {
        #expect(try SeriesNotation.parseValues("0+10x3") == [0, 10, 20, 30])
        #expect(try SeriesNotation.parseValues("1+1x4 9+1x1") == [1, 2, 3, 4, 5, 9, 10])
        #expect(try SeriesNotation.parseValues("5-2x2") == [5, 3, 1])
        #expect(try SeriesNotation.parseValues("-1-1x2") == [-1, -2, -3])
        #expect(try SeriesNotation.parseValues("7x2") == [7, 7, 7])
        #expect(try SeriesNotation.parseValues("0x3") == [0, 0, 0, 0])
    }

    @Test func missingAndSpecialValues() throws {
        #expect(try SeriesNotation.parseValues("_ 1 _x2 3") == [nil, 1, nil, nil, 3])
        let v = try SeriesNotation.parseValues("stale NaN Inf -Inf +Inf 1e3 2.5E-1 0x1F")
        #expect(v.count == 8)
        #expect(StaleNaN.isStale(try #require(v[0])))
        #expect(try #require(v[1]).isNaN && !StaleNaN.isStale(try #require(v[1])))
        #expect(Array(v[2...]) == [.infinity, -.infinity, .infinity, 1000, 0.25, 31])
    }

    @Test func rejectsGarbage() {
        #expect(throws: PromQLParseError.self) { try SeriesNotation.parseValues("1 abc") }
        #expect(throws: PromQLParseError.self) { try SeriesNotation.parseValues("1+x3") }
        #expect(throws: PromQLParseError.self) { try SeriesNotation.parseValues("1x99999999999") }
    }

    @Test func parsesDescriptors() throws {
        #expect(try SeriesNotation.parseSeries("up") == Labels(["__name__": "up"]))
        #expect(try SeriesNotation.parseSeries(#"http_requests{job="api", instance='0'}"#)
            == Labels(["__name__": "http_requests", "job": "api", "instance": "0"]))
        #expect(try SeriesNotation.parseSeries(#"{__name__="a:b", x="\"q\"\n"}"#)
            == Labels(["__name__": "a:b", "x": "\"q\"\n"]))
        #expect(try SeriesNotation.parseSeries(#"{"my.metric", "l.x"="v",}"#)
            == Labels(["__name__": "my.metric", "l.x": "v"]))
        #expect(try SeriesNotation.parseSeries("{}") == Labels())
        #expect(throws: PromQLParseError.self) { try SeriesNotation.parseSeries(#"a{b="c""#) }
    }

    @Test func splitsLoadLines() throws {
        let (labels, values) = try SeriesNotation.parseSeriesLine(#"  m{a="x } y"}  1 2x1"#)
        #expect(labels == Labels(["__name__": "m", "a": "x } y"]))
        #expect(values == [1, 2, 2])
    }
}
