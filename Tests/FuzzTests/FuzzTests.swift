import Foundation
import Testing
import TestSupport

/// The fuzz targets, briefly in the suite (every target must survive a few hundred mutated inputs,
/// none slow), and for as long as asked with `scripts/fuzz.sh SECONDS` (LOOKOUT_FUZZ_SECONDS).
@Suite(.serialized) struct FuzzRunTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test func everyTargetSurvivesMutatedInputs() throws {
        let seconds = Double(Self.environment["LOOKOUT_FUZZ_SECONDS"] ?? "") ?? 0.5
        let seed = UInt64(Self.environment["LOOKOUT_FUZZ_SEED"] ?? "") ?? 13
        let crashFolder = Self.environment["LOOKOUT_FUZZ_DIR"].map { URL(fileURLWithPath: $0) }
        var fuzzer = Fuzzer(rng: SplitMix(state: seed), crashFolder: crashFolder)
        var lines: [String] = []
        for target in FuzzTargets.all {
            if target.name.hasPrefix("exposition") || target.name == "promql" || target.name == "layout" {
                if target.seeds.count < 3 { _ = try Tools.missing("../shared seeds for \(target.name)", for: "fuzz") }
            }
            let report = fuzzer.fuzz(target, seconds: seconds)
            lines.append(report.description)
            #expect(report.executions > 0)
            #expect(report.slowInputs.isEmpty, "\(target.name): inputs slower than \(Fuzzer.slowSeconds) s: \(report.slowInputs.prefix(2).map { String(decoding: $0.prefix(200), as: UTF8.self) })")
            if let folder = crashFolder, let slow = report.slowInputs.first {
                try? Data(slow).write(to: folder.appendingPathComponent("slow-\(target.name)"))
            }
        }
        let summary = "fuzz (seed \(seed), \(seconds) s per target):\n  " + lines.joined(separator: "\n  ") + "\n"
        print(summary, terminator: "")
        if let folder = crashFolder { try? Data(summary.utf8).write(to: folder.appendingPathComponent("stats.txt")) }
    }
}
