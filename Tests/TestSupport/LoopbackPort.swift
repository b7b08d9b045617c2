import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for daemons that tests start. A port picked by binding 0 and releasing it can be
/// taken by someone else before the daemon binds it; `start` turns that lost race into a retry on a
/// fresh port (the daemon exits on EADDRINUSE, or never answers), never a flaky failure.
public enum LoopbackPort {
    /// A port the system chose for 127.0.0.1 just now (bound to 0, read back, released).
    public static func pick() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SpawnError(message: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw SpawnError(message: "bind(127.0.0.1:0) failed: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` right now.
    public static func answers(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Starts a daemon with `launch(port)` on a fresh port until it listens there. A daemon that
    /// exits before it answers (its port was taken meanwhile: EADDRINUSE) is tried again on another
    /// port, up to `attempts` times; one that neither exits nor answers within `timeout` is stopped
    /// and reported. Returns the running daemon's pid and its port.
    public static func start(attempts: Int = 4, timeout: Double = 15,
                             _ launch: (UInt16) throws -> pid_t) throws -> (pid: pid_t, port: UInt16) {
        var lastError = "no attempt made"
        for _ in 0..<max(1, attempts) {
            let port = try pick()
            let pid = try launch(port)
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                guard Spawn.isRunning(pid) else { break }
                if answers(port) {
                    // Someone else may own the port: ours then dies of EADDRINUSE within moments.
                    Thread.sleep(forTimeInterval: 0.1)
                    if Spawn.isRunning(pid) { return (pid, port) }
                    break
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            if Spawn.isRunning(pid) {
                Spawn.stop(pid)
                throw SpawnError(message: "daemon on 127.0.0.1:\(port) did not answer within \(timeout) s")
            }
            lastError = "daemon exited before answering on 127.0.0.1:\(port)"
        }
        throw SpawnError(message: "\(lastError) (\(attempts) attempts, each on a fresh port)")
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
