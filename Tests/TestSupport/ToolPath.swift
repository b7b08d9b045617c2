import Foundation

extension Tools {
    /// The executable `name` on PATH, for a test that has passed its gate: missing here is an error
    /// that names the tool (a failure), never a silent skip.
    public static func path(_ name: String) throws -> String {
        guard let found = find(name) else { throw MissingTool(what: name, test: "a test past its gate") }
        return found
    }

    /// The test runner's own PATH, for children started with a cleared environment (`env -i`): the
    /// tools they need are where this machine keeps them, not in directories written into the tests.
    public static var searchPath: String { ProcessInfo.processInfo.environment["PATH"] ?? "" }
}
