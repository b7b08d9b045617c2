import Foundation
import MetricsCore
import Testing
import TestSupport
@testable import Exposition

@Suite struct OpenMetricsTests {
    @Test func timestampsAreSecondsConvertedToMilliseconds() throws {
        let body = "a 1 1700215884.373\nb 2 0\nc 3 1.5e3\nd 4 1726839814.2239082\ne 5 -1.0009\n# EOF\n"
        let s = try Exposition.parse(body, format: .openMetrics)
        // Truncated toward zero, as Prometheus' int64(ts * 1000).
        #expect(s.samples.map(\.timestamp) == [1_700_215_884_373, 0, 1_500_000, 1_726_839_814_223, -1000])
    }

    @Test func createdSeriesAreDroppedUnlessAskedFor() throws {
        let body = """
            # TYPE c counter
            # HELP c help
            c_total 1 # {trace="x"} 1
            c_created 1700000000
            # TYPE g gauge
            g_created 5
            # EOF

            """
        let dropped = try Exposition.parse(body, format: .openMetrics)
        #expect(dropped.samples.map { $0.labels.name } == ["c_total", "g_created"],
                "only _created of counters, histograms and summaries is a start time")
        #expect(dropped.metadata["c"] == FamilyMetadata(type: .counter, help: "help"))
        let kept = try Exposition.parse(body, format: .openMetrics, options: ExpositionOptions(keepCreatedSeries: true))
        #expect(kept.samples.count == 3)
    }

    @Test func unitAndHelpEscapes() throws {
        let body = "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\n# HELP a_seconds say \\\"x\\\"\\n\na_seconds 1\n# EOF"
        let s = try Exposition.parse(body, format: .openMetrics)
        #expect(s.metadata["a_seconds"] == FamilyMetadata(type: .gauge, help: "say \"x\"\n", unit: "seconds"))
    }

    @Test func prometheusLenienceVersusStrictFamilyRules() throws {
        // Negative buckets together with a sum: Prometheus accepts it, the OpenMetrics suite does not.
        let body = """
            # TYPE h histogram
            h_bucket{le="-1"} 0
            h_bucket{le="+Inf"} 1
            h_sum -3
            h_count 1
            # EOF

            """
        #expect(try Exposition.parse(body, format: .openMetrics).samples.count == 4)
        #expect(throws: ExpositionError.self) {
            try Exposition.parse(body, format: .openMetrics, options: ExpositionOptions(strictOpenMetrics: true))
        }
    }

    @Test func textAfterEOFIsRejected() {
        #expect(throws: ExpositionError.self) { try Exposition.parse("a 1\n# EOF\nb 2\n", format: .openMetrics) }
    }
}

/// Bad input must never crash: random bytes, truncations and bit flips of real bodies all either
/// parse or throw an ExpositionError.
@Suite struct RobustnessTests {

    static let seed = """
        # HELP x Some help with \\n escapes.
        # TYPE x counter
        x_total{a="1",b="two words",c="q\\"uote"} 1.5e3 1700000000000
        # TYPE h histogram
        h_bucket{le="0.5"} 1
        h_bucket{le="+Inf"} 2 # {t="1"} 0.3 17.5
        h_sum 0.9
        h_count 2
        g NaN
        # EOF

        """

    func tryAllFormats(_ bytes: [UInt8]) {
        for format in [ExpositionFormat.text, .openMetrics] {
            for strict in [false, true] {
                do {
                    let s = try Exposition.parse(bytes, format: format, options: ExpositionOptions(strictOpenMetrics: strict))
                    #expect(s.samples.count <= bytes.count)
                } catch {
                    #expect(error.line >= 1 && error.column >= 1)
                }
            }
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix(state: 42)
        let alphabet = Array("ab_{}=\",# \n\\.0123456789eE+-InfNaN\t:".utf8) + [0, 0xff, 0xc3]
        for _ in 0..<1500 {
            let n = Int.random(in: 0..<80, using: &rng)
            let bytes = (0..<n).map { _ in
                Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            tryAllFormats(bytes)
        }
    }

    @Test func everyTruncationOfAValidBodyIsHandled() {
        let full = Array(Self.seed.utf8)
        #expect((try? Exposition.parse(full, format: .openMetrics, options: ExpositionOptions(strictOpenMetrics: true))) != nil)
        for cut in 0...full.count { tryAllFormats(Array(full[..<cut])) }
    }

    @Test func bitFlipsOfAValidBodyAreHandled() {
        var rng = SplitMix(state: 7)
        let full = Array(Self.seed.utf8)
        for _ in 0..<1000 {
            var mutated = full
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<mutated.count, using: &rng)
                mutated[i] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            }
            tryAllFormats(mutated)
        }
    }

    @Test(.enabled(if: Tools.gate(ConformanceData.available, "../shared/conformance", for: "Exposition conformance")))
    func truncatedConformanceBodiesAreHandled() throws {
        for (_, body, _) in try ConformanceTests.prometheusFixtures() where body.count < 5000 {
            for cut in stride(from: 0, to: body.count, by: 13) { tryAllFormats(Array(body[..<cut])) }
        }
    }
}
