import Foundation

/// Drives a program in a detached tmux session on a private tmux server (its own socket), so that
/// tests never touch the user's sessions and always clean up (`close()` kills the server).
final class TmuxHarness {
    static let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The repository root, from this file's place in it.
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let binary = repoRoot.appendingPathComponent(".build/debug/lookout").path

    static var available: Bool { tmuxPath != nil && FileManager.default.isExecutableFile(atPath: binary) }

    let socket = "lookout-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    let session = "e2e"
    private var closed = false

    /// Starts `command` (a shell command line) in a `width`×`height` window.
    init(width: Int, height: Int, command: String) throws {
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

    /// Runs one tmux command; only `capture-pane` output is kept.
    @discardableResult
    private func tmux(_ args: [String]) throws -> String {
        guard let path = Self.tmuxPath else { throw HarnessError(message: "tmux not found") }
        let r = try Spawn.run(path, ["-L", socket, "-f", "/dev/null"] + args, environment: nil,
                              captureOutput: args.first == "capture-pane")
        return r.output
    }
}

/// posix_spawn and waitpid, without Foundation's Process (whose waitUntilExit hung inside
/// swift-testing tasks here, leaving zombies), with stdout read to its end when asked. Only
/// `capture-pane` is read: the server that `new-session` forks would keep a pipe open forever.
enum Spawn {
    static func run(_ path: String, _ args: [String], environment: [String: String]?, captureOutput: Bool)
        throws -> (output: String, status: Int32) {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var fds: [Int32] = [-1, -1]
        if captureOutput {
            guard pipe(&fds) == 0 else { throw HarnessError(message: "pipe failed") }
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = envStrings.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        // A clean signal state: the calling thread is one of the test runner's pool threads, whose
        // mask blocks most signals, and a blocked mask is inherited by everything spawned (a tmux
        // server that then cannot be killed, a dashboard that never sees SIGWINCH the normal way).
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
        if captureOutput { close(fds[1]) }
        guard rc == 0 else {
            if captureOutput { close(fds[0]) }
            throw HarnessError(message: "cannot start \(path): error \(rc)")
        }
        var output = [UInt8]()
        if captureOutput {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &chunk, chunk.count)
                if n > 0 { output += chunk[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
            }
            close(fds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (String(decoding: output, as: UTF8.self), exitStatus)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Runs the built binary directly (no terminal) and returns its output and status.
func runLookout(_ args: [String], environment: [String: String]) throws -> (output: String, status: Int32) {
    // Through sh, to start in the repository (where ./layouts and ./rules are found).
    let quoted = ([TmuxHarness.binary] + args).map { "'\($0)'" }.joined(separator: " ")
    return try Spawn.run("/bin/sh", ["-c", "cd '\(TmuxHarness.repoRoot.path)' && exec \(quoted)"],
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
