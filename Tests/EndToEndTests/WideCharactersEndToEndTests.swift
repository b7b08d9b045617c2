import Foundation
import Testing
import TestSupport

/// Wide characters and combining marks from a layout reach the real terminal readable and aligned:
/// CJK takes two columns, a panel's frame closes in the same column on its title row as below it.
@Suite(.serialized, .enabled(if: TmuxHarness.available), .timeLimit(.minutes(2)))
struct WideCharactersEndToEndTests {
    @Test func cjkEmojiAndCombiningMarksAreDrawnAligned() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-wide-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let shipped = TmuxHarness.repoRoot.appendingPathComponent("layouts/slo.json")
        var layout = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: shipped)) as? [String: Any])
        layout["title"] = "東京 Cafe\u{301} 🔥 SLO"
        var panels = try #require(layout["panels"] as? [[String: Any]])
        panels[0]["title"] = "可用性 Availability"
        layout["panels"] = panels
        let file = dir.appendingPathComponent("wide.json")
        try JSONSerialization.data(withJSONObject: layout).write(to: file)
        let tmux = try TmuxHarness(width: 100, height: 30, command: "cd '\(TmuxHarness.repoRoot.path)' && "
            + "LANG=C.UTF-8 TERM=tmux-256color '\(TmuxHarness.binary)' demo --interval 1s --layout '\(file.path)'; sleep 30")
        defer { tmux.close() }
        let screen = try tmux.waitFor("the wide titles") { $0.contains("可用性 Availability") }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.first)
        #expect(header.contains("東京 Cafe\u{301} 🔥 SLO"))
        let titleRow = try #require(lines.firstIndex { $0.contains("可用性") })
        // The first panel's top-right corner and the border below it sit in the same column.
        #expect(columns(before: "┓", in: lines[titleRow]) == columns(before: "┃", in: lines[titleRow + 1], skip: 1))
        #expect(columns(before: "┓", in: lines[titleRow]) == 24)
    }

    /// Terminal columns before the first `mark` (after `skip` earlier ones): CJK, fullwidth and
    /// emoji count two, combining marks none.
    private func columns(before mark: Character, in line: String, skip: Int = 0) -> Int? {
        var seen = 0
        var used = 0
        for c in line {
            if c == mark {
                if seen == skip { return used }
                seen += 1
            }
            let v = c.unicodeScalars.first!.value
            used += (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v) || (0x1F300...0x1FAFF).contains(v) ? 2 : 1
        }
        return nil
    }
}
