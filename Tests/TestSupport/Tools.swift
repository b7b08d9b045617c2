import Foundation

/// Real tools the tests compare against (promtool, prometheus, python3 modules, tmux...).
/// Outside CI a missing tool skips the test that needs it, with one line saying so; under `CI=true`
/// a missing tool is a failure (`MissingTool` is thrown), never a silent pass.
public enum Tools {
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The executable `name` found on PATH; nil (after recording the skip) when missing outside CI.
    public static func require(_ name: String, for test: String) throws -> String? {
        if let path = find(name) { return path }
        return try missing(name, for: test)
    }

    /// Records a skip for a precondition other than an executable (a python module, ../shared...).
    /// Returns nil outside CI so that callers can write `guard ... else { return }`; throws under CI.
    public static func missing(_ what: String, for test: String) throws -> String? {
        if isCI { throw MissingTool(what: what, test: test) }
        let line = "SKIPPED \(test): \(what) is not available (under CI=true this fails)\n"
        FileHandle.standardError.write(Data(line.utf8))
        appendToSkipLog(line)
        return nil
    }

    /// For `.enabled(if:)` traits: true when `available`, and under CI=true always (the test then runs
    /// and fails on what is missing); otherwise false, with the skip line.
    public static func gate(_ available: Bool, _ what: String, for test: String) -> Bool {
        if available || isCI { return true }
        _ = try? missing(what, for: test)
        return false
    }

    public static func find(_ name: String) -> String? { findAll(name).first }

    /// Every `name` on PATH, in order: the first python3 may lack a module that a later one has.
    public static func findAll(_ name: String) -> [String] {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return dirs.map { $0 + "/" + name }.filter { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The first python3 on PATH that can `import module`.
    public static func python(with module: String) -> String? {
        findAll("python3").first { path in
            (try? Spawn.run(path, ["-c", "import " + module], captureOutput: false).status) == 0
        }
    }

    /// `.build/skipped-tests.txt` under the package root: scripts/test.sh prints it as one line.
    private static func appendToSkipLog(_ line: String) {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        let log = dir.appendingPathComponent(".build/skipped-tests.txt")
        guard let handle = FileHandle(forWritingAtPath: log.path) else {
            try? Data(line.utf8).write(to: log)
            return
        }
        handle.seekToEndOfFile()
        handle.write(Data(line.utf8))
        try? handle.close()
    }
}

public struct MissingTool: Error, CustomStringConvertible {
    public let what: String
    public let test: String
    public init(what: String, test: String) {
        self.what = what
        self.test = test
    }
    public var description: String { "\(test) needs \(what), which is not available (CI=true: missing tools fail)" }
}
