import Foundation
import MetricsCore
import Testing
@testable import DataSources

/// The recording's text: exact OpenMetrics lines, `# EOF` always last, the size bound, no overwrite.
@Suite struct RecordingWriterTests {
    static func sample(_ labels: [String: String], _ v: Double, _ t: Int64) -> InstantSample {
        InstantSample(labels: Labels(labels), sample: Sample(t: t, v: v))
    }

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-rec-\(getpid())-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func linesAreOpenMetricsWithSecondsAndEscapes() {
        var out: [UInt8] = []
        #expect(OpenMetricsLine.append(Self.sample(["__name__": "up", "job": "a"], 1, 1_700_000_000_000), to: &out))
        #expect(OpenMetricsLine.append(Self.sample(["__name__": "x_total", "v": "a\"b\\c\nd"], 0.25, 1_700_000_000_123),
                                       to: &out))
        #expect(OpenMetricsLine.append(Self.sample(["__name__": "g"], .nan, 5), to: &out))
        #expect(OpenMetricsLine.append(Self.sample(["__name__": "g"], -.infinity, 1_050), to: &out))
        #expect(!OpenMetricsLine.append(Self.sample(["__name__": "bad name"], 1, 0), to: &out))
        #expect(!OpenMetricsLine.append(Self.sample(["__name__": "ok", "bad-label": "x"], 1, 0), to: &out))
        #expect(String(decoding: out, as: UTF8.self) == """
            up{job="a"} 1.0 1700000000
            x_total{v="a\\"b\\\\c\\nd"} 0.25 1700000000.123
            g NaN 0.005
            g -Inf 1.050

            """)
    }

    @Test func jsonLinesEscapeControlsAndSortKeys() {
        #expect(JSONLine.encode(["t": .number(5), "a": .string("x\"\u{1B}\n"), "l": .strings(["p", "q"]),
                                 "o": .object(["b": "2", "a": "1"])])
                == #"{"a":"x\"\u001b\n","l":["p","q"],"o":{"a":"1","b":"2"},"t":5}"#)
    }

    @Test func everyChunkEndsInEOFAndStaleMarkersAreLeftOut() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/r.om"
        let writer = try RecordingWriter(path: path, maxBytes: 1 << 20)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "# EOF\n")
        #expect(writer.append([Self.sample(["__name__": "a"], 1, 1000), Self.sample(["__name__": "b"], StaleNaN.value, 1000)]))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a 1.0 1\n# EOF\n")
        #expect(writer.append([Self.sample(["__name__": "a"], 2, 2000)]))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a 1.0 1\na 2.0 2\n# EOF\n")
        #expect(writer.counts.samples == 2 && writer.counts.skipped == 0)
        writer.close()
        let events = try String(contentsOfFile: RecordingWriter.eventsPath(for: path), encoding: .utf8)
        #expect(events.hasPrefix(#"{"event":"stop","samples":2,"t":"#), "\(events)")
    }

    @Test func stopsAtTheSizeBoundWithAValidFile() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/r.om"
        // "# EOF\n" (6) + "a 1.0 1\n" (8) = 14 fits in 20; a second line would make 22.
        let writer = try RecordingWriter(path: path, maxBytes: 20)
        #expect(writer.append([Self.sample(["__name__": "a"], 1, 1000)]))
        #expect(!writer.append([Self.sample(["__name__": "a"], 2, 2000)]))
        #expect(writer.limitReached)
        #expect(writer.limitMessage == "recording stopped at its size limit (20 bytes): \(path) ends there")
        #expect(!writer.append([Self.sample(["__name__": "a"], 3, 3000)]))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a 1.0 1\n# EOF\n")
        writer.close()
        let events = try String(contentsOfFile: RecordingWriter.eventsPath(for: path), encoding: .utf8)
        #expect(events.hasPrefix(#"{"event":"limit","max_bytes":20,"t":"#), "\(events)")
    }

    @Test func neverOverwritesAFile() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/r.om"
        FileManager.default.createFile(atPath: path, contents: Data("keep".utf8))
        #expect(throws: RecordingError.self) { try RecordingWriter(path: path, maxBytes: 100) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep")
        do {
            _ = try RecordingWriter(path: path, maxBytes: 100)
        } catch {
            #expect(error.description == "\(path): exists; a recording never overwrites a file, choose another name")
        }
    }
}
