@testable import Exposition
import Foundation
import MetricsCore
import Testing

/// The text format's line-at-a-time fast path (`TextLineFastPath`, `SharedLinePrefix`) must give
/// exactly what the general path gives: the same samples and label sets, the same errors at the
/// same places, the same limits. Every body here is parsed both ways and compared.
@Suite struct LineFastPathTests {
    /// A sample with its value's bits (so NaN equals the same NaN).
    struct Exact: Equatable {
        var labels: Labels
        var valueBits: UInt64
        var timestamp: Timestamp?
    }

    enum Outcome: Equatable {
        case parsed([Exact])
        case failed(ExpositionError)
    }

    func outcome(_ body: String, limits: ExpositionLimits = .default, fastPath: Bool) -> Outcome {
        do {
            let samples = try Exposition.parse(Array(body.utf8), format: .text, limits: limits, fastPath: fastPath).samples
            return .parsed(samples.map { Exact(labels: $0.labels, valueBits: $0.value.bitPattern, timestamp: $0.timestamp) })
        } catch {
            return .failed(error)
        }
    }

    func expectSameBothWays(_ body: String, limits: ExpositionLimits = .default,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = outcome(body, limits: limits, fastPath: true)
        let general = outcome(body, limits: limits, fastPath: false)
        #expect(fast == general, "\(body.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func nameBytesAreClassifiedEightAtATimeExactlyAsByTheTable() {
        // Every byte value at every position of the word, between bytes of both kinds.
        for colon in [false, true] {
            let wanted = colon ? ByteClass.metric : ByteClass.name
            for b in 0..<256 {
                for position in 0..<8 {
                    for filler in [UInt8(ascii: "a"), UInt8(ascii: "{")] {
                        var bytes = [UInt8](repeating: filler, count: 8)
                        bytes[position] = UInt8(b)
                        let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                        let flags = nonNameBytes(UInt64(littleEndian: word), colon: colon)
                        for k in 0..<8 {
                            let isName = ByteClass.table[Int(bytes[k])] & wanted != 0
                            let flagged = (flags >> (8 * UInt64(k) + 7)) & 1 == 1
                            #expect(flagged == !isName, "byte \(bytes[k]) at \(k), colon \(colon)")
                        }
                    }
                }
            }
        }
    }

    @Test func commonLinesAndTheirVariantsGiveTheSameSamples() {
        let lines = [
            "m 1", "m{} 1", "m{a=\"1\"} 1", "m{a=\"1\",} 1", "m{a=\"\"} 1", "m{a=\"1\",b=\"\"} 2",
            "m{a=\"1\"} 1 1700000000000", "m{a=\"1\"} 1\t 1700000000000 \t", "m{a=\"1\"}  \t-2.5e-3",
            "m{a=\"1\"} +Inf", "m{a=\"1\"} NaN", "m{a=\"1\"} 0x1p-3", "m{a=\"1\"} 12345678901234567890",
            "m{a=\"1\"} 1.2345678901234567", "m{b=\"1\",a=\"2\"} 1", "m{le=\"1\",a=\"2\",b=\"3\"} 1",
            "m {a=\"1\"} 1", "m{a=\"1\" } 1", "m{a=\"x\\\"y\"} 1", "m{a=\"é\"} 1", "m{\"a.b\"=\"1\"} 1",
            "{\"m.x\",a=\"1\"} 1", "m:sub_total{a=\"1\"} 1", "m{a=\"1\"} 1\r", "m{a=\"1\"} 1 2 3",
            "m{a=\"1\"}1", "m{a=\"1\",a=\"2\"} 1", "m{b=\"1\",a=\"2\",b=\"3\"} 1", "m{a=\"1\"} x",
            "m{a=\"1\"} 1 1.5", "m{a=\"1\"} 1 99999999999999999999", "m{a=1} 1", "m{a=\"1\"b=\"2\"} 1",
            "m{a=\"1\"", "m{0a=\"1\"} 1", "m{a=\"1\"} ", "m{a=\"1\"}", "m{a=\"" + String(repeating: "v", count: 40) + "\"} 7",
            "m{device=\"sd0\",instance=\"host-0.example.com:9100\",job=\"node\",mode=\"m0\",le=\"0.005\"} 3",
            // Escapes, which the fast path takes too: each kind, at a value's start and end, one
            // past a word, and the broken ones (a newline after the backslash, an escaped quote).
            "m{a=\"x\\\\\"} 1", "m{a=\"\\\\\"} 1", "m{a=\"x\\ny\"} 1", "m{a=\"\\\\n\"} 1", "m{a=\"\\\"\",b=\"2\"} 1",
            "m{a=\"\\t\\u00e9\"} 1", "m{a=\"C:\\\\data\\\\17\",b=\"é\\\\\"} 1", "m{a=\"x\\\"} 1", "m{a=\"x\\",
            "m{a=\"12345678\\\"12345678\\\\\"} 1", "m{a=\"x\\\ny\"} 1",
        ]
        for line in lines {
            expectSameBothWays(line + "\n")
            expectSameBothWays(line)  // the last line without its newline
            expectSameBothWays("# HELP m h\n" + line + "\nm{z=\"9\"} 9\n")
        }
    }

    /// Consecutive lines share prefixes: whatever the previous line held, the next line's own bytes
    /// decide (a shared name with a changed label, a shared label with a new error after it…).
    @Test func linesSharingPrefixesWithThePreviousLineGiveTheSameSamples() {
        let lines = [
            "m{a=\"1\",b=\"2\"} 1", "m{a=\"1\",b=\"3\"} 2", "m{a=\"1\",b=\"3\",c=\"4\"} 3", "m{a=\"1\"} 4",
            "m{a=\"1\",} 5", "m{a=\"1\",a=\"2\"} 6", "m{a=\"1\",b=\"2\",a=\"3\"} 7", "m 8", "m{a=\"1\"} 9 10",
            "m_sum{a=\"1\"} 1", "m_sum{a=\"10\"} 1", "m_sum{a=\"1\"}  2", "m_sum{a=\"1\",b=\"\"} 3",
            "m_sum{a=\"1\",b=\"\\\\\"} 3", "m_sum{a=\"1\",b=\"é\"} 3", "m_sum{a=\"1\",b=\"2\"x} 3",
            "m_bucket{z=\"1\",le=\"0.1\"} 1", "m_bucket{z=\"1\",le=\"0.2\"} 2", "m_bucket{z=\"1\",le=\"+Inf\"} 3",
            "m_bucket{z=\"1\",le=\"+Inf\",le=\"1\"} 3", "m_bucket{z=\"1\",__name__=\"x\"} 3",
            "m{b=\"1\",a=\"2\"} 1", "m{b=\"1\",a=\"2\",b=\"3\"} 2", "m{b=\"1\",a=\"2\",c=\"3\"} 3",
            // Labels shared under another metric name: a bucket's labels but a new `le` (not
            // the previous name's swapped set), escapes, a repeated name after shared ones.
            "m_count{z=\"1\",le=\"0.5\"} 4", "n{z=\"1\",le=\"+Inf\"} 5", "n{b=\"1\",a=\"2\",a=\"3\"} 6",
            "m{a=\"1\",b=\"x\\\\y\"} 7", "n{a=\"1\",b=\"x\\\\y\",c=\"\\n\"} 8",
        ]
        // Every ordered pair and a long run of them all.
        for a in lines {
            for b in lines {
                expectSameBothWays(a + "\n" + b + "\n")
                expectSameBothWays(a + "\n# TYPE m counter\n" + b + "\n")
            }
        }
        let body = lines.joined(separator: "\n") + "\n"
        let valid = lines.filter {
            if case .parsed = outcome($0 + "\n", fastPath: false) { return true } else { return false }
        }
        #expect(valid.count > 10)
        expectSameBothWays(body)
        expectSameBothWays(valid.joined(separator: "\n") + "\n")
    }

    /// Label sets are put in order on the body's bytes; names sorting before `__name__` (capitals,
    /// `_A`), right after it and an explicit `__name__` label end up as Labels would sort them.
    @Test func labelSetsAreSortedAsLabelsSortThem() throws {
        let cases: [(String, [String: String])] = [
            ("m{b=\"1\",a=\"2\"} 1", ["a": "2", "b": "1"]),
            ("m{Z=\"1\",a=\"2\"} 1", ["Z": "1", "a": "2"]),
            ("m{a=\"1\",Z=\"2\",_A=\"3\",__a=\"4\",_b=\"5\"} 1", ["Z": "2", "_A": "3", "__a": "4", "_b": "5", "a": "1"]),
            ("m{__name__=\"x\",a=\"1\"} 1", ["a": "1"]),
            ("m{a=\"1\",__name__=\"x\"} 1", ["a": "1"]),
            ("m{le=\"1\",job=\"j\",a=\"\",instance=\"i\"} 1", ["le": "1", "job": "j", "instance": "i"]),
            ("m{\"b.c\"=\"1\",a=\"2\"} 1", ["b.c": "1", "a": "2"]),
        ]
        for (line, labels) in cases {
            for fastPath in [true, false] {
                let samples = try Exposition.parse(Array((line + "\n").utf8), format: .text, limits: .default, fastPath: fastPath).samples
                var expected = labels
                if expected["__name__"] == nil { expected["__name__"] = line.hasPrefix("m{__name__") || line.contains(",__name__") ? "x" : "m" }
                #expect(samples.map(\.labels) == [Labels(expected)], "\(line)")
            }
        }
    }

    @Test func limitsAreCheckedTheSameWay() {
        let body = "m{a=\"12345\",bb=\"1\"} 1\nm{a=\"12345\",bb=\"2\",c=\"3\"} 1\nmetric_name{a=\"1\"} 2\n"
        for limits in [
            ExpositionLimits(maxMetricNameLength: 5), ExpositionLimits(maxLabelNameLength: 1),
            ExpositionLimits(maxLabelValueLength: 4), ExpositionLimits(maxLabelsPerSeries: 1),
            ExpositionLimits(maxSamples: 2), ExpositionLimits(maxLabelsPerSeries: 2), ExpositionLimits(maxLabelValueLength: 0),
        ] {
            expectSameBothWays(body, limits: limits)
            let fast = outcome(body, limits: limits, fastPath: true)
            guard case .failed(let error) = fast else { Issue.record("\(limits) did not fail"); continue }
            #expect(error.kind == .limit, "\(error)")
        }
    }

    /// Random bodies of mostly well-formed lines built from parts that sit on the fast path's
    /// edges (shared prefixes, label order, blanks, escapes, UTF-8, values, timestamps, line ends),
    /// now and then with a stray piece put in; seeded so a failure repeats.
    @Test func randomBodiesGiveTheSameOutcomeBothWays() {
        var rng = SplitMix(seed: 12)
        func pick(_ choices: [String]) -> String { choices[Int(rng.next() % UInt64(choices.count))] }
        func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }
        let names = ["m", "m_bucket", "m_sum", "n:x", "Mx", "_m"]
        let labels = [
            "a=\"1\"", "a=\"12\"", "b=\"x y\"", "le=\"0.5\"", "le=\"+Inf\"", "a=\"\"", "c=\"q\\\"q\"", "c=\"é\"",
            "d=\"host-1.example.com:9100\"", "Z=\"1\"", "__name__=\"o\"", "\"q.n\"=\"1\"", "a=\"2\"",
        ]
        let values = ["1", "-2.5e3", "0", "12345678901234567890", "1.2345678901234567", "NaN", "+Inf", "0x1p3", "1e", "x"]
        let strays = [" ", "\t", ",", "=", "\"", "\\", "{", "}", "\u{7f}", "\n", "\r", "#"]
        var parsed = 0
        for _ in 0..<3000 {
            var body = ""
            for _ in 0..<Int(1 + rng.next() % 6) {
                if chance(10) { body += pick(["# HELP m h\n", "# TYPE m counter\n", "\n"]) }
                var line = pick(names)
                if chance(80) {
                    var set: [String] = []
                    for _ in 0..<Int(rng.next() % 5) { set.append(pick(labels)) }
                    line += "{" + set.joined(separator: chance(90) ? "," : ", ") + (chance(10) ? ",}" : "}")
                }
                line += (chance(90) ? " " : pick(["  ", "\t", ""])) + pick(values)
                if chance(15) { line += " " + pick(["1700000000000", "-5", "1.5", "99999999999999999999"]) }
                if chance(5) {
                    let at = line.index(line.startIndex, offsetBy: Int(rng.next() % UInt64(line.count + 1)))
                    line.insert(contentsOf: pick(strays), at: at)
                }
                body += line + pick(["\n", "\n", "\n", "\n", "\n", "\r\n", " \n"])
            }
            if chance(10) { body.removeLast() }
            expectSameBothWays(body)
            if case .parsed(let samples) = outcome(body, fastPath: true), !samples.isEmpty { parsed += 1 }
        }
        #expect(parsed >= 300, "only \(parsed) random bodies with samples")
        // Valid lines that share prefixes, in random order and repetition.
        let lines = [
            "m{a=\"1\",b=\"2\"} 1", "m{a=\"1\",b=\"3\"} 2", "m{a=\"1\"} 3", "m 4", "m{a=\"1\",b=\"2\",le=\"1\"} 5",
            "m{a=\"1\",b=\"2\",le=\"2\"} 6", "m{b=\"2\",a=\"1\"} 7", "m{b=\"2\",a=\"1\",c=\"3\"} 7",
            "m_sum{a=\"1\"} 8 1700000000000", "m{a=\"1\",b=\"x\\\\y\"} 9", "m{a=\"1\",b=\"\"} 10", "m{a=\"1\",} 11",
        ]
        for _ in 0..<500 {
            var body = ""
            for _ in 0..<Int(rng.next() % 12) { body += pick(lines) + "\n" }
            expectSameBothWays(body)
        }
    }

    /// A small deterministic generator (SplitMix64).
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func theBenchmarkBodyAndTheNodeExporterCaptureGiveTheSameSamples() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Benchmarks/Fixtures/node_exporter.prom")
        let captured = try String(contentsOf: fixture, encoding: .utf8)
        expectSameBothWays(captured)
        var generated = ""
        for family in 0..<6 {
            for s in 0..<12 {
                let labels = "device=\"sd\(s)\",instance=\"host-\(s % 3).example.com:9100\",job=\"node\",mode=\"m\(s % 5)\""
                for le in ["0.005", "0.5", "+Inf"] { generated += "f\(family)_bucket{\(labels),le=\"\(le)\"} \(s)\n" }
                generated += "f\(family)_sum{\(labels)} \(Double(s) / 7)\n"
                generated += "f\(family)_info{\(labels),path=\"C:\\\\d\\\\\(s)\",version=\"1.\(s)\"} 1 \(1_700_000_000_000 + s)\n"
            }
        }
        expectSameBothWays(generated)
        let samples = try Exposition.parse(generated, format: .text).samples
        #expect(samples.count == 6 * 12 * 5)
        #expect(samples[0].labels == Labels([
            "__name__": "f0_bucket", "device": "sd0", "instance": "host-0.example.com:9100", "job": "node", "mode": "m0",
            "le": "0.005",
        ]))
    }
}
