import Foundation
import Testing
@testable import Layouts

@Suite struct LocatorTests {
    @Test func standardFoldersInOrder() {
        let folders = LayoutLocator.standardFolders(currentDirectory: "/work/proj",
                                                    environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/u"],
                                                    executablePath: "/opt/lookout/bin/lookout")
        #expect(folders == ["/work/proj/layouts", "/cfg/lookout/layouts", "/opt/lookout/share/lookout/layouts"])
        let noXDG = LayoutLocator.standardFolders(currentDirectory: "/w", environment: ["HOME": "/home/u"], executablePath: nil)
        #expect(noXDG == ["/w/layouts", "/home/u/.config/lookout/layouts"])
    }

    @Test func namesAreFoundInFolderOrder() throws {
        let root = try TemporaryFolder()
        let local = try root.write("local/technical.json", "{}")
        try root.write("config/technical.json", "{}")
        let configOnly = try root.write("config/mine.json", "{}")
        let shared = try root.write("share/slo.json", "{}")
        let locator = LayoutLocator(folders: [root.path + "/local", root.path + "/config", root.path + "/share"])
        #expect(try locator.resolve("technical") == local)
        #expect(try locator.resolve("mine") == configOnly)
        #expect(try locator.resolve("slo") == shared)
        #expect(try locator.resolve(shared) == shared)
        #expect(throws: LayoutError.self) { try locator.resolve("nothing") }
        #expect(throws: LayoutError.self) { try locator.resolve(root.path + "/missing.json") }
    }

    @Test func defaultIsEveryLayoutOfTheFirstFolderWithAnyExecutiveFirst() throws {
        let root = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: root.path + "/empty", withIntermediateDirectories: true)
        try root.write("config/notes.txt", "not a layout")
        for name in ["slo", "executive", "technical", "api", "schema"] { try root.write("second/\(name).json", "{}") }
        try root.write("third/other.json", "{}")
        let locator = LayoutLocator(folders: [root.path + "/missing", root.path + "/empty", root.path + "/config",
                                              root.path + "/second", root.path + "/third"])
        #expect(try locator.resolveAll([]) == ["executive", "api", "slo", "technical"].map { root.path + "/second/\($0).json" })
        #expect(try locator.resolveAll(["other"]) == [root.path + "/third/other.json"])
        #expect(throws: LayoutError.self) { try LayoutLocator(folders: [root.path + "/empty"]).resolveAll([]) }
    }

    @Test func shippedLayoutsAreFoundByTheirNames() throws {
        let locator = LayoutLocator(folders: [Paths.repoRoot.appendingPathComponent("layouts").path])
        #expect(locator.defaultLayouts().map { ($0 as NSString).lastPathComponent }
            == ["executive.json", "slo.json", "technical.json"])
    }
}

@Suite struct WatcherTests {
    static let good = #"{"title": "v1", "panels": []}"#

    @Test func reportsChangesAndErrorsOnce() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("a.json", Self.good)
        var watcher = LayoutWatcher(paths: [file])
        #expect(watcher.poll().isEmpty)

        try folder.write("a.json", #"{"title": "version 2", "panels": []}"#)
        let changes = watcher.poll()
        #expect(changes.count == 1)
        #expect(try changes.first?.result.get().title == "version 2")
        #expect(watcher.poll().isEmpty)

        // A broken edit is an error to show; the caller keeps its dashboard.
        try folder.write("a.json", #"{"title": "v3", "panels": [}"#)
        let broken = watcher.poll()
        guard case .failure(let error)? = broken.first?.result else {
            Issue.record("expected a failure, got \(broken)")
            return
        }
        #expect(error.description == "\(file):1:28: error: expected a value, found '}'")
        #expect(watcher.poll().isEmpty)

        try FileManager.default.removeItem(atPath: file)
        #expect(watcher.poll().count == 1)
        try folder.write("a.json", Self.good)
        #expect(try watcher.poll().first?.result.get().title == "v1")
    }

    @Test func atomicRenameIsNoticed() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("a.json", Self.good)
        var watcher = LayoutWatcher(paths: [file])
        // Same size, written elsewhere and renamed over the file, as editors save.
        let other = try folder.write("tmp.json", #"{"title": "v2", "panels": []}"#)
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.moveItem(atPath: other, toPath: file)
        #expect(try watcher.poll().first?.result.get().title == "v2")
    }
}
