import Foundation
import Testing
@testable import Render

/// Renders a panel into a fresh buffer of `width`×`height` and returns it.
func draw(_ panel: PanelData, width: Int, height: Int, selected: Bool = false, zoomed: Bool = false,
          caps: TerminalCaps = .full) -> Buffer {
    var buffer = Buffer(width: width, height: height)
    renderPanel(panel, in: buffer.area, into: &buffer, selected: selected, zoomed: zoomed, caps: caps)
    return buffer
}

/// Points one minute apart starting at `start` ms.
func series(_ name: String, _ values: [Double], start: Int64 = 1_700_000_000_000, step: Int64 = 60_000) -> SeriesData {
    SeriesData(name: name, points: values.enumerated().map { DataPoint(t: start + Int64($0.offset) * step, v: $0.element) })
}

/// Every character in the buffer, for "no control character got in" checks.
func allScalars(_ buffer: Buffer) -> [Unicode.Scalar] {
    buffer.cells.flatMap { Array($0.character.unicodeScalars) }
}

/// Compares `lines` with Tests/RenderTests/Snapshots/<name>.txt; re-records it when RECORD_SNAPSHOTS=1.
func assertSnapshot(_ lines: [String], named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent(name + ".txt")
    let text = lines.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    let expected = try? String(contentsOf: file, encoding: .utf8)
    #expect(expected != nil, "missing snapshot \(name).txt: run with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
    guard let expected else { return }
    #expect(text == expected, "snapshot \(name) differs:\n\(text)", sourceLocation: sourceLocation)
}
