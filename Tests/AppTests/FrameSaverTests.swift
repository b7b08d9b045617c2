import App
import Foundation
import Render
import Testing

/// `S` saves the screen: the key, the effect, and the file it writes.
@Suite struct FrameSaverTests {
    static func frame() -> Buffer {
        var b = Buffer(width: 6, height: 1)
        b.setString(0, 0, "<ok>", style: Style(fg: .green))
        return b
    }

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-saver-\(getpid())-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func capitalSSavesLowercaseSSwitchesScenario() {
        #expect(KeyMap.command(for: .character("S")) == .saveFrame)
        #expect(KeyMap.command(for: .character("s")) == .nextScenario)
        var state = AppState(layouts: [], rangeMs: 900_000)
        #expect(Reducer.reduce(&state, .saveFrame, context: ReduceContext()) == [.saveFrame])
        #expect(KeyMap.helpEntries(demo: false).contains { $0.key == "S" })
    }

    @Test func savesHTMLUnderXDGStateHomeNamedByUTCTime() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["XDG_STATE_HOME": dir, "HOME": "/nonexistent"]
        let t: Int64 = 1_700_000_000_000   // 2023-11-14T22:13:20Z
        let first = FrameSaver.save(Self.frame(), at: t, environment: env)
        let second = FrameSaver.save(Self.frame(), at: t, environment: env)
        #expect(first == "snapshot saved: \(dir)/lookout/snapshots/lookout-2023-11-14T22-13-20Z.html")
        #expect(second == "snapshot saved: \(dir)/lookout/snapshots/lookout-2023-11-14T22-13-20Z-2.html")
        let written = try String(contentsOfFile: "\(dir)/lookout/snapshots/lookout-2023-11-14T22-13-20Z.html",
                                 encoding: .utf8)
        #expect(written == HTMLExporter.document(Self.frame()))
    }

    @Test func fallsBackToHomeAndSaysWhyWhenItCannot() throws {
        #expect(FrameSaver.folder(environment: ["HOME": "/home/op"]) == "/home/op/.local/state/lookout/snapshots")
        #expect(FrameSaver.folder(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"])
                == "/h/.local/state/lookout/snapshots")
        #expect(FrameSaver.save(Self.frame(), at: 0, environment: [:]) == "snapshot not saved: set HOME or XDG_STATE_HOME")
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A file where the folder should be.
        FileManager.default.createFile(atPath: dir + "/lookout", contents: Data())
        let message = FrameSaver.save(Self.frame(), at: 0, environment: ["XDG_STATE_HOME": dir])
        #expect(message.hasPrefix("snapshot not saved: cannot create \(dir)/lookout/snapshots: "), "\(message)")
    }
}
