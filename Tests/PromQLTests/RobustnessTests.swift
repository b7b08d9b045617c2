import Foundation
import MetricsCore
import Testing
@testable import PromQL

/// Hostile or random input must give an error, never a crash.
@Suite struct RobustnessTests {
    @Test func deepNestingIsBoundedNotFatal() throws {
        let ok = String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)
        let e = try PromQLParser.parse(ok)
        #expect("\(e)".count == 301)
        let chain = (0..<150).map { _ in "x" }.joined(separator: " + ")
        _ = try Engine(storage: MemoryStorage()).instant(try PromQLParser.parse(chain), at: 0)
        for hostile in [
            String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000),
            String(repeating: "-", count: 100_000) + "1",
            (0..<100_000).map { _ in "2" }.joined(separator: "^"),
            (0..<100_000).map { _ in "x" }.joined(separator: " or "),
            String(repeating: "sum(", count: 50_000) + "x" + String(repeating: ")", count: 50_000),
        ] {
            #expect(throws: PromQLParseError.self) { try PromQLParser.parse(hostile) }
        }
    }

    /// Random token soup: parse, and whatever parses is printed and evaluated on a tiny store.
    @Test func randomInputNeverCrashes() {
        let pieces = [
            "x", "up", "{", "}", "(", ")", "[", "]", "5m", ":", "1m", ",", "=", "=~", "!=", "\"a\"", "'b'", "`c`",
            "+", "-", "*", "/", "%", "^", "==", ">", "<=", "and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "bool", "offset", "@", "start()", "sum", "rate", "topk", "1", "0.5", "NaN", "Inf", "0x1f",
            "histogram_quantile", "label_replace", "le", "job", "smoothed", "anchored", "fill(0)", "step()", " ",
        ]
        var st = MemoryStorage()
        st.add(Labels(["__name__": "x", "job": "a", "le": "1"]), (0..<20).map { Sample(t: Int64($0) * 15_000, v: Double($0)) })
        st.add(Labels(["__name__": "up", "job": "a"]), [Sample(t: 0, v: 1), Sample(t: 60_000, v: StaleNaN.value)])
        let engine = Engine(storage: st)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var parsed = 0
        for _ in 0..<2500 {
            var text = ""
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let n = Int(seed >> 60) + 1
            for _ in 0..<n {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int((seed >> 33) % UInt64(pieces.count))]
            }
            // The series notation parsers see the same soup.
            _ = try? SeriesNotation.parseSeriesLine(text)
            _ = try? SeriesNotation.parseValues(text.replacingOccurrences(of: " ", with: "x"))
            guard let e = try? PromQLParser.parse(text) else { continue }
            parsed += 1
            _ = "\(e)"
            _ = try? engine.instant(e, at: 300_000)
            _ = try? engine.range(e, start: 0, end: 300_000, step: 30_000)
        }
        #expect(parsed > 100)
    }
}
