import Foundation
import Testing
@testable import Layouts

/// Damaged files must give diagnostics, never a crash.
@Suite struct RobustnessTests {
    @Test func everyTruncationOfALayoutIsHandled() throws {
        // Without the final newline, so that no prefix is the whole object.
        let text = try String(contentsOfFile: Paths.shipped("executive.json"), encoding: .utf8)
        let bytes = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        let checker = LayoutChecker()
        var errors = 0
        for end in stride(from: 0, to: bytes.count, by: 7) {
            let diagnostics = checker.check(bytes: Array(bytes[..<end]), file: "t.json")
            if LayoutChecker.hasErrors(diagnostics) { errors += 1 }
        }
        // Every strict prefix of a JSON object is invalid JSON.
        #expect(errors == (bytes.count + 6) / 7)
    }

    @Test func byteFlipsAreHandled() throws {
        var bytes = Array(try String(contentsOfFile: Paths.fixture("grafana-all-panels.json"), encoding: .utf8).utf8)
        let checker = LayoutChecker()
        // A deterministic walk of single-byte corruptions, including invalid UTF-8 and control bytes.
        let replacements: [UInt8] = [0x00, 0x22, 0x5C, 0x7B, 0x5D, 0xFF, 0xC3, 0x0A, 0x24, 0x30]
        var seen = 0
        for (n, position) in stride(from: 1, to: bytes.count, by: 29).enumerated() {
            let saved = bytes[position]
            bytes[position] = replacements[n % replacements.count]
            seen += checker.check(bytes: bytes, file: "t.json").isEmpty ? 0 : 1
            bytes[position] = saved
        }
        #expect(seen > 0)
    }
}
