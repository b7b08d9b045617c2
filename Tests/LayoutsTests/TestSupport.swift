import Foundation
import TestSupport
@testable import Layouts

/// Paths of the test fixtures and of the shipped layouts, found from this source file.
enum Paths {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repoRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String { testsFolder.appendingPathComponent("Fixtures/\(name)").path }
    static func shipped(_ name: String) -> String { repoRoot.appendingPathComponent("layouts/\(name)").path }

    /// Real Grafana dashboards kept outside the project, in `../shared/dashboards` beside the package.
    static let sharedDashboards = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/dashboards").path
    static let nodeExporterFull = sharedDashboards + "/node-exporter-full.json"

    /// The shared dashboard `name`; nil (the test is skipped, with a line saying so) when ../shared is
    /// missing, and a failure under CI=true.
    static func shared(_ name: String, for test: String) throws -> String? {
        let path = sharedDashboards + "/" + name
        if FileManager.default.fileExists(atPath: path) { return path }
        _ = try Tools.missing("../shared/dashboards/\(name)", for: test)
        return nil
    }
}

/// A scratch folder removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "lookout-layouts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        return file
    }
}

/// Decodes text expected to be valid, or returns the error's printed form.
func decodeError(_ text: String, file: String = "x.json") -> String? {
    do {
        _ = try LayoutLoader.decode(text, file: file)
        return nil
    } catch {
        return error.description
    }
}
