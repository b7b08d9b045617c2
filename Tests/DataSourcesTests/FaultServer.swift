import Foundation

/// Runs scripts/fault-server.py for one test and kills it (by pid) when released.
final class FaultServer: @unchecked Sendable {
    enum StartError: Error { case noPort(String) }

    let process = Process()
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

    private init(arguments: [String]) throws {
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.repoRoot.appendingPathComponent("scripts/fault-server.py").path] + arguments
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is "PORT p CLOSED q".
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard words.count >= 4, let p = Int(words[1]), let c = Int(words[3]) else {
            process.terminate()
            throw StartError.noPort(String(decoding: line, as: UTF8.self))
        }
        port = p
        closedPort = c
    }

    deinit { stop() }

    func stop() {
        // waitpid rather than Process.waitUntilExit, which was seen hanging on Linux.
        let pid = process.processIdentifier
        guard pid > 0, kill(pid, SIGKILL) == 0 else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    func url(_ path: String, scheme: String = "http") -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    /// Synchronous control request (heal/break/count) with plain Foundation-free curl-less I/O.
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
