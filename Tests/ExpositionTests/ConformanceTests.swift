import Foundation
import Testing
import TestSupport
@testable import Exposition

/// The shared conformance data: `LOOKOUT_CONFORMANCE_DIR`, or `shared/conformance` beside the repo (or above it).
enum ConformanceData {
    static let root: URL? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["LOOKOUT_CONFORMANCE_DIR"], fm.fileExists(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        // Tests/ExpositionTests/ConformanceTests.swift → repo root → ../shared/conformance
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        // Worktrees sit one level deeper than the main checkout, so look further up too.
        var dir = repo.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("shared/conformance")
            if fm.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    static var exposition: URL? { root?.appendingPathComponent("exposition") }
    static var available: Bool { exposition != nil }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
}

@Suite struct ConformanceTests {
    struct Case {
        let name: String
        let shouldParse: Bool
        let body: [UInt8]
    }

    static func openMetricsCases() throws -> [Case] {
        guard let dir = ConformanceData.exposition?.appendingPathComponent("openmetrics-parsers") else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return try names.compactMap { name in
            let caseDir = dir.appendingPathComponent(name)
            guard let json = try? Data(contentsOf: caseDir.appendingPathComponent("test.json")),
                  let obj = try JSONSerialization.jsonObject(with: json) as? [String: Any],
                  let shouldParse = obj["shouldParse"] as? Bool
            else { return nil }
            let file = obj["file"] as? String ?? "metrics"
            return Case(name: name, shouldParse: shouldParse, body: try ConformanceData.bytes(caseDir.appendingPathComponent(file)))
        }
    }

    @Test(.enabled(if: Tools.gate(ConformanceData.available, "../shared/conformance", for: "Exposition conformance")))
    func openMetricsParserSuite() throws {
        let cases = try Self.openMetricsCases()
        #expect(cases.count == 211)
        var passed = 0
        var failures: [String] = []
        let strict = ExpositionOptions(strictOpenMetrics: true)
        for c in cases {
            var outcome: String
            do {
                _ = try Exposition.parse(c.body, format: .openMetrics, options: strict)
                outcome = "parsed"
            } catch {
                outcome = "rejected (\(error))"
            }
            if ProcessInfo.processInfo.environment["LOOKOUT_VERBOSE"] != nil { print("  \(c.name): \(outcome)") }
            if outcome.hasPrefix("parsed") == c.shouldParse {
                passed += 1
            } else {
                failures.append("\(c.name): expected \(c.shouldParse ? "parse" : "reject"), \(outcome)")
            }
        }
        let good = cases.filter(\.shouldParse).count
        print("openmetrics conformance: \(passed) of \(cases.count) verdicts agree (\(good) must parse, \(cases.count - good) must be rejected)")
        for f in failures { print("  mismatch: \(f)") }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test(.enabled(if: Tools.gate(ConformanceData.available, "../shared/conformance", for: "Exposition conformance")))
    func openMetricsRejectionsCarryPositions() throws {
        for c in try Self.openMetricsCases() where !c.shouldParse {
            do {
                _ = try Exposition.parse(c.body, format: .openMetrics, options: ExpositionOptions(strictOpenMetrics: true))
            } catch {
                #expect(error.line >= 1 && error.column >= 1, "\(c.name)")
                #expect(!error.reason.isEmpty)
            }
        }
    }

    static func prometheusFixtures() throws -> [(String, [UInt8], ExpositionFormat)] {
        guard let dir = ConformanceData.exposition else { return [] }
        var out: [(String, [UInt8], ExpositionFormat)] = []
        for sub in ["prometheus-textparse", "prometheus-promtool"] {
            let d = dir.appendingPathComponent(sub)
            for name in try FileManager.default.contentsOfDirectory(atPath: d.path).sorted() {
                let isOpenMetrics = name.contains(".om.") || name.hasPrefix("dump-openmetrics")
                out.append(("\(sub)/\(name)", try ConformanceData.bytes(d.appendingPathComponent(name)),
                            isOpenMetrics ? .openMetrics : .text))
            }
        }
        return out
    }

    @Test(.enabled(if: Tools.gate(ConformanceData.available, "../shared/conformance", for: "Exposition conformance")))
    func prometheusFixturesParse() throws {
        let fixtures = try Self.prometheusFixtures()
        #expect(fixtures.count == 7)
        for (name, body, format) in fixtures {
            let scrape = try Exposition.parse(body, format: format)
            #expect(scrape.samples.count > 0, "\(name)")
            print("fixture \(name): \(scrape.samples.count) samples, \(scrape.metadata.count) families")
        }
    }

    @Test(.enabled(if: Tools.gate(ConformanceData.available, "../shared/conformance", for: "Exposition conformance")))
    func textFixtureCountsMatchLineCounts() throws {
        // Every non-comment, non-blank line of a text fixture is one sample.
        for (name, body, format) in try Self.prometheusFixtures() where format == .text {
            let lines = String(decoding: body, as: UTF8.self).split(separator: "\n")
            let expected = lines.filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
            let scrape = try Exposition.parse(body, format: .text)
            #expect(scrape.samples.count == expected, "\(name)")
        }
    }
}
