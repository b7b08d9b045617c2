import DataSources
import Exposition
import Foundation
import MetricsCore
import Testing

/// Label name length, label value length and label count are bounded per target: one over the bound
/// fails that target's scrape with the bound and the place named; exactly at the bound is accepted.
@Suite("Label bounds per target")
struct LabelBoundTests {
    static let limits = ExpositionLimits.default

    /// Scrapes each body from a file:// target of its own; returns each target's health and error.
    func scrape(_ bodies: [String]) async throws -> [(TargetStatus.Health, String?)] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-bounds-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var targets: [ScrapeTarget] = []
        for (i, body) in bodies.enumerated() {
            let file = dir.appendingPathComponent("t\(i).prom")
            try Data(body.utf8).write(to: file)
            targets.append(ScrapeTarget(job: "t\(i)", url: "file://\(file.path)"))
        }
        let source = EmbeddedSource(targets: targets, store: StoreScrapeStorage(), options: SourceOptions(mode: .scrape([])), auth: nil)
        defer { source.stop() }
        await source.scrapeAll()
        return source.targets().map { ($0.health, $0.lastError) }
    }

    @Test func defaultsAreTheDocumentedOnes() {
        #expect(Self.limits.maxLabelNameLength == 1024)
        #expect(Self.limits.maxLabelValueLength == 16 * 1024)
        #expect(Self.limits.maxLabelsPerSeries == 128)
    }

    @Test func labelNameLength() async throws {
        let n = Self.limits.maxLabelNameLength
        let results = try await scrape([
            "m{\(String(repeating: "a", count: n))=\"v\"} 1\n",
            "m{\(String(repeating: "a", count: n + 1))=\"v\"} 1\n",
        ])
        #expect(results[0].0 == .up && results[0].1 == nil)
        #expect(results[1].0 == .down)
        #expect(results[1].1 == "parse error at line 1:3: label name longer than 1024 bytes")
    }

    @Test func labelValueLength() async throws {
        let n = Self.limits.maxLabelValueLength
        let results = try await scrape([
            "m{a=\"\(String(repeating: "v", count: n))\"} 1\n",
            "# HELP m fine\nm{a=\"\(String(repeating: "v", count: n + 1))\"} 1\n",
        ])
        #expect(results[0].0 == .up && results[0].1 == nil)
        #expect(results[1].0 == .down)
        #expect(results[1].1 == "parse error at line 2:6: label value longer than 16384 bytes")
    }

    @Test func labelCount() async throws {
        func series(_ count: Int) -> String {
            "m{" + (0..<count).map { "l\($0)=\"x\"" }.joined(separator: ",") + "} 1\n"
        }
        let n = Self.limits.maxLabelsPerSeries
        // The error points at the first label over the bound.
        let column = ("m{" + (0..<n).map { "l\($0)=\"x\"," }.joined()).utf8.count + 1
        let results = try await scrape([series(n), series(n + 1)])
        #expect(results[0].0 == .up && results[0].1 == nil)
        #expect(results[1].0 == .down)
        #expect(results[1].1 == "parse error at line 1:\(column): more than 128 labels on one series")
    }
}
