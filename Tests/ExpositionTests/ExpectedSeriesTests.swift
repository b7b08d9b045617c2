@testable import Exposition
import Foundation
import MetricsCore
import Testing

/// `expectSeries`: a line that starts with the series text of an earlier line is taken without
/// parsing its labels. That is sound only if the same text always means the same series and the
/// line's outcome (value, timestamp, error and its place) is what the full parse gives: every
/// pair of lines here is parsed both ways and compared.
@Suite struct ExpectedSeriesTests {
    /// What parsing `line` gave: the series text, labels (full parse only), value bits, timestamp,
    /// or the error.
    struct Outcome: Equatable {
        var text: [UInt8] = []
        var labels: Labels?
        var valueBits: UInt64 = 0
        var timestamp: Timestamp?
        var error: ExpositionError?
        var expected = false
    }

    /// The first sample of `body`, parsed with `expecting` as the expected series text (if any).
    func first(_ body: String, expecting: [UInt8]?, limits: ExpositionLimits = .default) -> Outcome {
        let bytes = Array(body.utf8)
        var out = Outcome()
        do {
            try (expecting ?? []).withUnsafeBytes { expected in
                try ExpositionPullParser.withParser(bytes, format: .text, limits: limits) {
                    (p: inout ExpositionPullParser) throws(ExpositionError) in
                    var builder = LabelBuilder(bodySize: bytes.count)
                    if expecting != nil { p.expectSeries(expected) }
                    while let e = try p.next() {
                        guard e == .sample else { continue }
                        out.text = Array(p.seriesText)
                        out.expected = p.seriesWasExpected
                        if !p.seriesWasExpected { out.labels = builder.labels(of: p) }
                        out.valueBits = p.value.bitPattern
                        out.timestamp = p.timestamp
                        return
                    }
                }
            }
        } catch let error as ExpositionError {
            out.error = error
        } catch {
            Issue.record("unexpected \(error)")
        }
        return out
    }

    static let lines = [
        "m 1", "m{} 1", "m{a=\"1\"} 1", "m{a=\"1\",} 1", "m{a=\"1\",b=\"\"} 2", "m{a=\"1\"} 1 1700000000000",
        "m{a=\"1\"} 1\t 1700000000000 \t", "m{a=\"1\"}  \t-2.5e-3", "m{a=\"1\"} +Inf", "m{a=\"1\"} NaN",
        "m{a=\"1\"} 0x1p-3", "m{a=\"1\"} 1.2345678901234567", "m{b=\"1\",a=\"2\"} 1", "m {a=\"1\"} 1",
        "m  {a=\"1\"} 1", "m{a=\"1\" } 1", "m{a=\"x\\\"y\"} 1", "m{a=\"é\"} 1", "m{\"a.b\"=\"1\"} 1",
        "{\"m.x\",a=\"1\"} 1", "m{a=\"1\"} 1\r", "m{a=\"1\"} 1 2 3", "m{a=\"1\"}1", "m{a=\"1\",a=\"2\"} 1",
        "m{a=\"1\"} x", "m{a=\"1\"} 1 1.5", "m{a=\"1\"} ", "m{a=\"1\"}", "m 1 2", "m\t1", "m {", "m {a=\"1\"} {",
        "m{a=\"1\"} {a=\"1\"} 1", "m{a=\"1\"} 1 # {x=\"y\"} 1", "mm 1", "m{a=\"1\"}{b=\"2\"} 1",
    ]

    @Test func aLineStartingWithAnExpectedSeriesTextGivesWhatTheFullParseGives() {
        for previous in Self.lines {
            let seen = first(previous + "\n", expecting: nil)
            guard seen.error == nil else { continue }
            for line in Self.lines {
                for body in [line + "\n", line, "# HELP m h\n" + line + "\n"] {
                    let full = first(body, expecting: nil)
                    let fast = first(body, expecting: seen.text)
                    #expect(fast.error == full.error, "\(previous.debugDescription) then \(body.debugDescription)")
                    guard full.error == nil else { continue }
                    #expect(fast.text == full.text && fast.valueBits == full.valueBits && fast.timestamp == full.timestamp,
                            "\(previous.debugDescription) then \(body.debugDescription)")
                    if fast.expected {
                        // The same text, the same series.
                        #expect(full.labels == seen.labels, "\(previous.debugDescription) then \(body.debugDescription)")
                    }
                }
            }
        }
    }

    @Test func theExpectationIsUsedUpByTheNextSampleLineAndOnlyInTheTextFormat() throws {
        let body = Array("# TYPE m gauge\nm{a=\"1\"} 1\nm{a=\"1\"} 2\n".utf8)
        let text = Array("m{a=\"1\"}".utf8)
        let seen = try text.withUnsafeBytes { expected in
            try ExpositionPullParser.withParser(body, format: .text) {
                (p: inout ExpositionPullParser) throws(ExpositionError) -> [Bool] in
                var seen: [Bool] = []
                p.expectSeries(expected)
                while let e = try p.next() { if e == .sample { seen.append(p.seriesWasExpected) } }
                return seen
            }
        }
        #expect(seen == [true, false])
        let om = Array("m{a=\"1\"} 1\n# EOF\n".utf8)
        let inOpenMetrics = try text.withUnsafeBytes { expected in
            try ExpositionPullParser.withParser(om, format: .openMetrics) {
                (p: inout ExpositionPullParser) throws(ExpositionError) -> Bool in
                p.expectSeries(expected)
                _ = try p.next()
                return p.seriesWasExpected
            }
        }
        #expect(!inOpenMetrics)
    }
}
