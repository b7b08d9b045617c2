import Foundation
import Testing
import TestSupport
@testable import PromQL

/// Runs the upstream promqltest scripts of ../shared/conformance/promql and our own scripts.
@Suite struct ConformanceTests {
    /// Features this engine does not implement; non-core cases needing one are counted as skipped.
    static let unsupported: [String: String] = [
        "start_timestamps": "start timestamps (@st) are not stored",
    ]

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var conformanceDir: URL {
        if let env = ProcessInfo.processInfo.environment["LOOKOUT_CONFORMANCE_DIR"] {
            return URL(fileURLWithPath: env)
        }
        // The main checkout sits beside `shared`; a worktree under `wt/` sits one level deeper.
        let candidates = [
            repoRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance"),
            repoRoot.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/conformance"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }

    static var hasConformance: Bool {
        FileManager.default.fileExists(atPath: conformanceDir.appendingPathComponent("promql-cases.tsv").path)
    }

    /// Passed cases of the upstream corpus: the run fails below this. Raise it when the count rises.
    static let passFloor = 1272

    /// False (with a skip line) when ../shared/conformance is missing; under CI=true that throws.
    static func requireConformance(_ test: String) throws -> Bool {
        if hasConformance { return true }
        _ = try Tools.missing("the PromQL conformance corpus (\(conformanceDir.path))", for: test)
        return false
    }

    struct CaseInfo {
        var core: Bool
        var nativeHistogram: Bool
        var reasons: [String]
        var expr: String
    }

    static func loadIndex() throws -> [String: CaseInfo] {
        let text = try String(contentsOf: conformanceDir.appendingPathComponent("promql-cases.tsv"), encoding: .utf8)
        var out: [String: CaseInfo] = [:]
        for row in text.split(separator: "\n").dropFirst() {
            let f = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 9 else { continue }
            let reasons = f[8] == "-" ? [] : f[8].split(whereSeparator: { $0 == ";" || $0 == "," }).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            out["\(f[0]):\(f[1])"] = CaseInfo(
                core: f[4] == "yes", nativeHistogram: f[6] == "yes", reasons: reasons, expr: f.count > 10 ? f[10] : "")
        }
        return out
    }

    /// On the test storage and on the product's store (range selects there are views of its
    /// decoded chunks): both must pass the same corpus.
    @Test(arguments: ScriptRunner.Storage.allCases)
    func upstreamScripts(on storage: ScriptRunner.Storage) throws {
        guard try Self.requireConformance("ConformanceTests.upstreamScripts") else { return }
        let index = try Self.loadIndex()
        let dir = Self.conformanceDir.appendingPathComponent("promql")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".test") }.sorted()
        var passed = 0, failed = 0, skipped = 0
        var coreFailures: [String] = []
        var coreRun = 0
        var otherFailures: [String] = []
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            var skippedHere = 0
            let outcomes = try ScriptRunner.run(text, on: storage) { line in
                guard let info = index["\(file):\(line)"] else { return true }
                if info.nativeHistogram
                    || info.reasons.contains(where: { Self.unsupported[$0] != nil }) {
                    skippedHere += 1
                    return false
                }
                return true
            }
            skipped += skippedHere
            for o in outcomes {
                if index["\(file):\(o.line)"]?.core == true { coreRun += 1 }
                if let why = o.failure {
                    failed += 1
                    let entry = "\(file):\(o.line) \(o.expr) -- \(why)"
                    if index["\(file):\(o.line)"]?.core == true { coreFailures.append(entry) } else { otherFailures.append(entry) }
                } else {
                    passed += 1
                }
            }
        }
        if ProcessInfo.processInfo.environment["LOOKOUT_CONFORMANCE_VERBOSE"] != nil {
            for f in coreFailures { print("CORE FAIL \(f)") }
            for f in otherFailures { print("FAIL \(f)") }
        }
        print("promql conformance (\(storage)): \(passed) passed, \(failed) failed, \(skipped) skipped")
        // Every core case of the index must have been found and run, not just the ones that parsed.
        #expect(coreRun == index.values.filter(\.core).count)
        #expect(coreFailures.isEmpty, "core failures:\n\(coreFailures.prefix(30).joined(separator: "\n"))")
        #expect(passed >= Self.passFloor, "conformance fell below its floor")
    }

    /// Printing is stable: every corpus expression that parses prints to text that parses back to
    /// the same printed form (what rules and lints rely on).
    @Test func printerRoundTrip() throws {
        guard try Self.requireConformance("ConformanceTests.printerRoundTrip") else { return }
        var checked = 0
        for info in try Self.loadIndex().values {
            guard let e = try? PromQLParser.parse(info.expr) else { continue }
            let printed = "\(e)"
            do {
                let again = try PromQLParser.parse(printed)
                #expect("\(again)" == printed, "\(info.expr)")
                #expect(again.type == e.type, "\(info.expr)")
            } catch {
                Issue.record("\(info.expr) printed as \(printed), which does not parse: \(error)")
            }
            checked += 1
        }
        #expect(checked > 2000)
    }

    @Test(arguments: ScriptRunner.Storage.allCases)
    func ownScripts(on storage: ScriptRunner.Storage) throws {
        let dir = Self.repoRoot.appendingPathComponent("Tests/PromQLTests/Scripts")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".test") }.sorted()
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            let outcomes = try ScriptRunner.run(text, on: storage)
            #expect(!outcomes.isEmpty, "\(file) has no eval cases")
            for o in outcomes where o.failure != nil {
                Issue.record("\(file):\(o.line) \(o.expr): \(o.failure ?? "")")
            }
        }
    }
}
