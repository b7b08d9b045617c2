import Foundation
@testable import Layouts

/// Paths of the test fixtures and of the shipped layouts, found from this source file.
enum Paths {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repoRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String { testsFolder.appendingPathComponent("Fixtures/\(name)").path }
    static func shipped(_ name: String) -> String { repoRoot.appendingPathComponent("layouts/\(name)").path }

    /// Real Grafana dashboards kept outside the project (skipped when absent).
    static let nodeExporterFull = "/work/shared/dashboards/node-exporter-full.json"
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
