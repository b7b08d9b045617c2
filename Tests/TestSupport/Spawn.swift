import Foundation

/// Child processes for tests, with posix_spawn and waitpid rather than Foundation's Process, whose
/// waitUntilExit hung inside swift-testing tasks here (leaving zombies and tests that time out).
public enum Spawn {
    /// Runs a command to its end; stdout is read to its end when `captureOutput`, else discarded;
    /// stderr too, into the same text, with `includeStderr`.
    /// Only capture the output of commands that leave no daemon holding the pipe open.
    public static func run(_ path: String, _ args: [String], environment: [String: String]? = nil,
                           captureOutput: Bool, includeStderr: Bool = false) throws -> (output: String, status: Int32) {
        var fds: [Int32] = [-1, -1]
        if captureOutput { guard pipe(&fds) == 0 else { throw SpawnError(message: "pipe failed") } }
        let pid: pid_t
        do {
            pid = try spawn(path, args, environment: environment, stdout: captureOutput ? fds : nil,
                            stderrToStdout: includeStderr && captureOutput)
        } catch {
            if captureOutput { close(fds[0]); close(fds[1]) }
            throw error
        }
        var output = [UInt8]()
        if captureOutput {
            close(fds[1])
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &chunk, chunk.count)
                if n > 0 { output += chunk[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
            }
            close(fds[0])
        }
        return (String(decoding: output, as: UTF8.self), wait(pid))
    }

    /// Starts a background process (output discarded) and returns its pid; stop it with `stop`.
    public static func start(_ path: String, _ args: [String], environment: [String: String]? = nil) throws -> pid_t {
        try spawn(path, args, environment: environment, stdout: nil)
    }

    /// SIGTERM, then SIGKILL after `grace` seconds, and reaps the process.
    public static func stop(_ pid: pid_t, grace: TimeInterval = 0.5) {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        var status: Int32 = 0
        while Date() < deadline {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno != EINTR) { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(pid, SIGKILL)
        _ = wait(pid)
    }

    /// Whether the process is still running (not yet reaped).
    public static func isRunning(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    private static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private static func spawn(_ path: String, _ args: [String], environment: [String: String]?,
                              stdout pipeFDs: [Int32]?, stderrToStdout: Bool = false) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let fds = pipeFDs {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if stderrToStdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        let argv = ([path] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = envStrings.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        // A clean signal state: the calling thread is one of the test runner's pool threads, whose
        // mask blocks most signals, and a blocked mask is inherited by everything spawned (a daemon
        // that then ignores SIGTERM, a dashboard that never sees SIGWINCH the normal way).
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
        guard rc == 0 else { throw SpawnError(message: "cannot start \(path): error \(rc)") }
        return pid
    }
}

public struct SpawnError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
