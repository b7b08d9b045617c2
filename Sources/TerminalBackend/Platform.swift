// Every libc call the terminal backend makes lives here, so that the rest of the module
// reads as plain Swift and the platform surface is easy to audit.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw

enum Platform {
    /// Applies the user's locale from the environment. Swift and Foundation never do this,
    /// and without it ncursesw draws nothing for wide characters.
    static func adoptEnvironmentLocale() {
        _ = setlocale(LC_ALL, "")
    }

    /// The character set of the current locale (`UTF-8`, `ANSI_X3.4-1968`...).
    static func localeCodeset() -> String {
        guard let p = lk_codeset() else { return "" }
        return String(cString: p)
    }

    /// The name of the LC_CTYPE locale in effect (`C.UTF-8`, `C`...).
    static func ctypeLocaleName() -> String {
        guard let p = setlocale(LC_CTYPE, nil) else { return "" }
        return String(cString: p)
    }

    static func environment(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        return String(cString: p)
    }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Rows and columns of the terminal on `fd`, if the kernel knows them.
    static func windowSize(fd: Int32) -> (rows: Int, columns: Int)? {
        var ws = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 else { return nil }
        return (Int(ws.ws_row), Int(ws.ws_col))
    }

    /// A non-blocking pipe: (read end, write end).
    static func makeWakePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    /// Writes one byte; a full pipe already means "wake up", so errors are ignored.
    static func poke(_ fd: Int32) {
        var b: UInt8 = 1
        _ = write(fd, &b, 1)
    }

    /// Writes all of `bytes`, through interrupted and partial writes. A descriptor someone made
    /// non-blocking is waited for, a second at most each time; false when not everything went out.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    guard poll(&p, 1, 1000) > 0 else { return false }
                } else {
                    return false
                }
            }
            return true
        }
    }

    /// Empties a non-blocking pipe.
    static func drain(_ fd: Int32) {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(fd, &scratch, scratch.count) > 0 {}
    }

    static func closeDescriptor(_ fd: Int32) { _ = close(fd) }

    /// Sleeps in the kernel until one of `fds` is readable or `timeoutMs` passes (-1: forever).
    /// Returns the descriptors with data, and those whose other end is gone (hang-up, error).
    static func waitReadable(_ fds: [Int32], timeoutMs: Int32) -> (readable: Set<Int32>, hungUp: Set<Int32>) {
        var pfds = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let n = poll(&pfds, nfds_t(pfds.count), timeoutMs)
        guard n > 0 else { return ([], []) }
        var readable: Set<Int32> = []
        var hungUp: Set<Int32> = []
        for p in pfds {
            if p.revents & Int16(POLLIN) != 0 { readable.insert(p.fd) }
            if p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { hungUp.insert(p.fd) }
        }
        return (readable, hungUp)
    }

    static func pause(milliseconds: Int32) {
        _ = poll(nil, 0, milliseconds)
    }

    /// Ignores a signal's default action so that a dispatch source can take it instead.
    static func ignoreSignal(_ sig: Int32) { _ = signal(sig, SIG_IGN) }
    static func defaultSignal(_ sig: Int32) { _ = signal(sig, SIG_DFL) }

    static var standardInput: Int32 { STDIN_FILENO }
    static var standardOutput: Int32 { STDOUT_FILENO }
}

