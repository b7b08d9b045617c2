import Synchronization
import Foundation

/// Runs scripts/fault-server.py for one test and kills it (by pid) when released.
final class FaultServer: @unchecked Sendable {
    enum StartError: Error { case spawn(Int32), noPort(String) }

    let pid: pid_t
    private let stopped = Mutex(false)
    let port: Int
    /// A port nobody listens on (bound, then closed), for "connection refused".
    let closedPort: Int

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Starts the server off the cooperative thread pool: waiting for Python to print its port
    /// blocks, and many tests starting servers at once must not starve the pool.
    static func start(arguments: [String] = []) async throws -> FaultServer {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try FaultServer(arguments: arguments) })
            }
        }
    }

    /// posix_spawn with a pipe for stdout (Foundation's Process was seen hanging in waitUntilExit
    /// and is never released when we reap the child ourselves).
    private init(arguments: [String]) throws {
        let script = Self.repoRoot.appendingPathComponent("scripts/fault-server.py").path
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw StartError.spawn(errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArgs = (["python3", script] + arguments).map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawnp(&child, "python3", &actions, nil, &cArgs, environ)
        close(fds[1])
        guard rc == 0 else { close(fds[0]); throw StartError.spawn(rc) }
        pid = child
        // The first line is "PORT p CLOSED q".
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 200, read(fds[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        close(fds[0])
        let text = String(decoding: line, as: UTF8.self)
        let words = text.split(separator: " ")
        guard words.count >= 4, let p = Int(words[1]), let c = Int(words[3]) else {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
            throw StartError.noPort(text)
        }
        port = p
        closedPort = c
    }

    deinit { stop() }

    /// Kills and reaps the server once (a second kill could hit a recycled pid).
    func stop() {
        let first = stopped.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first, pid > 0, kill(pid, SIGKILL) == 0 else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    func url(_ path: String, scheme: String = "http") -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    /// A control request (heal/break/count) through a client separate from the ones under test.
    func control(_ path: String) async -> String {
        let client = HTTPClientHolder.shared
        switch await client.get(.init(url: url(path), totalTimeout: 5)) {
        case .success(let r): return String(decoding: r.body, as: UTF8.self)
        case .failure(let e): return "error: \(e)"
        }
    }
}

import HTTPClient

/// One client shared by the control calls of all tests (the clients under test are separate).
enum HTTPClientHolder {
    static let shared = HTTPClient()
}

/// Runs a program to completion and returns its exit status. Uses posix_spawn and waitpid:
/// Foundation's Process.waitUntilExit was seen never returning on Linux, leaving a zombie.
func runAndWait(_ argv: [String]) throws -> Int32 {
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, &cArgs, environ)
    guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}
