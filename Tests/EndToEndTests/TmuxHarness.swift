import Foundation
import TestSupport

/// Drives a program in a detached tmux session on a private tmux server (its own socket), so that
/// tests never touch the user's sessions and always clean up (`close()` kills the server).
final class TmuxHarness {
    static let tmuxPath: String? = Tools.find("tmux")

    /// The repository root, from this file's place in it.
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let binary = repoRoot.appendingPathComponent(".build/debug/lookout").path

    /// Without tmux the suites skip (with a line; under CI=true they run and fail). A missing or stale
    /// binary is never a skip: `init` and `runLookout` throw.
    static var available: Bool { Tools.gate(tmuxPath != nil, "tmux", for: "end-to-end tests in tmux") }

    let socket = "lookout-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    let session = "e2e"
    private var closed = false

    /// Starts `command` (a shell command line) in a `width`×`height` window.
    init(width: Int, height: Int, command: String) throws {
        _ = try BuiltBinary.require(repoRoot: Self.repoRoot)
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command])
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        _ = try? tmux(["kill-server"])
    }

    /// The screen as text; with `escapes`, with the SGR sequences of colours and attributes.
    func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))
    }

    /// tmux's view of the pane, in its format language: `#{cursor_flag} #{alternate_on}` → `1 0`.
    func display(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", session, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// From now on, appends every byte the program writes to the pane, raw (before tmux interprets
    /// it), to the file at `path` (tmux `pipe-pane`).
    func pipeOutput(to path: String) throws {
        try tmux(["pipe-pane", "-O", "-t", session, "cat >> '\(path)'"])
    }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }
    func sendLiteral(_ text: String) throws { try tmux(["send-keys", "-t", session, "-l", text]) }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen until `condition` holds; returns the screen, or throws with the last one.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 30, escapes: Bool = false,
                 _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try capture(escapes: escapes)
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw HarnessError(message: "timed out waiting for \(what); screen:\n\(last)")
    }

    /// Runs one tmux command; only the output of `capture-pane` and `display-message` is kept.
    @discardableResult
    private func tmux(_ args: [String]) throws -> String {
        guard let path = Self.tmuxPath else { throw HarnessError(message: "tmux not found") }
        let r = try Spawn.run(path, ["-L", socket, "-f", "/dev/null"] + args, environment: nil,
                              captureOutput: ["capture-pane", "display-message"].contains(args.first))
        return r.output
    }
}


struct HarnessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Runs the built binary directly (no terminal) and returns its output and status.
func runLookout(_ args: [String], environment: [String: String]) throws -> (output: String, status: Int32) {
    _ = try BuiltBinary.require(repoRoot: TmuxHarness.repoRoot)
    // Through sh, to start in the repository (where ./layouts and ./rules are found).
    let quoted = ([TmuxHarness.binary] + args).map { "'\($0)'" }.joined(separator: " ")
    return try Spawn.run(try Tools.path("sh"), ["-c", "cd '\(TmuxHarness.repoRoot.path)' && exec \(quoted)"],
                         environment: environment, captureOutput: true)
}

enum ScreenText {
    static let escape = "\u{1B}["

    /// Block sparkline characters or braille dots.
    static func hasGraphics(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x2581...0x2588).contains($0.value) || (0x2801...0x28FF).contains($0.value) }
    }

    /// A number with a unit, as panels print them (`412 ms`, `2.41 s`, `0.80 %`).
    static func hasNumbers(_ s: String) -> Bool {
        s.range(of: #"[0-9](\.[0-9]+)? ?(ms|s|%|req/s)"#, options: .regularExpression) != nil
    }

    /// SGR colour sequences: 30–37, 40–47, 38;5;n, 48;5;n (alone or after other parameters).
    static func hasColour(_ s: String) -> Bool {
        s.range(of: #"\x1B\[[0-9;]*(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)m"#, options: .regularExpression) != nil
    }
}
