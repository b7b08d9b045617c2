#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives the terminal back when the process dies of a fault or a Swift runtime trap (SIGSEGV, SIGBUS,
/// SIGILL, SIGTRAP, SIGABRT), which no `defer` or `deinit` survives: the handler writes the restore
/// sequence (mouse reporting off, attributes reset, cursor shown, alternate screen left), puts back the
/// terminal modes saved before curses changed them, then re-raises the signal with the handler that
/// was there before (the Swift runtime's backtracer, or the default action), so the crash still
/// reports and dumps as it would have.
///
/// Async-signal-safety: the handler only calls write(2), tcsetattr(3) (a single ioctl), sigaction(2)
/// and raise(3), on memory prepared by `install` before any handler can run; it allocates nothing
/// and takes no lock.
enum CrashRestore {
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT]

    /// What the handler reads: allocated once and never freed (a handler may run at any time until exit).
    struct State {
        var input: Int32 = -1
        var output: Int32 = -1
        var haveModes = false
        var modes = termios()
        var sequence: (UnsafeMutablePointer<UInt8>, Int) = (UnsafeMutablePointer<UInt8>.allocate(capacity: 1), 0)
        var previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 32)
        var installed = false
    }

    // A signal handler can capture nothing, so its data must be reachable from a global. This is the
    // one piece of process-wide state in the module; only `install`/`uninstall` (on the event loop's
    // thread) write it, and they do so while the handlers are not installed.
    nonisolated(unsafe) private static let state: UnsafeMutablePointer<State> = {
        let p = UnsafeMutablePointer<State>.allocate(capacity: 1)
        p.initialize(to: State())
        return p
    }()

    /// Mouse reporting off (all modes curses may have enabled), SGR reset, cursor shown, alternate
    /// screen left (after the reset, so the main screen is not painted with the last colours).
    static let restoreSequence: [UInt8] = Array(
        "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l\u{1B}[?1015l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n".utf8)

    /// Saves the modes of `input` (call before curses changes them) and installs the handlers, which
    /// will write the restore sequence to `output`.
    static func install(input: Int32, output: Int32) {
        let s = state
        guard !s.pointee.installed else { return }
        s.pointee.input = input
        s.pointee.output = output
        s.pointee.haveModes = tcgetattr(input, &s.pointee.modes) == 0
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: restoreSequence.count)
        bytes.initialize(from: restoreSequence, count: restoreSequence.count)
        s.pointee.sequence.0.deallocate()
        s.pointee.sequence = (bytes, restoreSequence.count)
        for sig in signals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = crashHandler
            #else
            action.__sigaction_u.__sa_handler = crashHandler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, s.pointee.previous + Int(sig))
        }
        s.pointee.installed = true
    }

    /// Puts the previous handlers back (the terminal was restored the normal way).
    static func uninstall() {
        let s = state
        guard s.pointee.installed else { return }
        for sig in signals { sigaction(sig, s.pointee.previous + Int(sig), nil) }
        s.pointee.installed = false
    }

    /// The handler's work, also callable from a test without a crash.
    static func restoreTerminal() {
        let s = state
        var left = s.pointee.sequence.1
        var p = UnsafeRawPointer(s.pointee.sequence.0)
        while left > 0 {
            let n = write(s.pointee.output, p, left)
            if n > 0 {
                left -= n
                p += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        if s.pointee.haveModes { _ = tcsetattr(s.pointee.input, TCSANOW, &s.pointee.modes) }
    }

    fileprivate static func handle(_ sig: Int32) {
        restoreTerminal()
        // Back to what was there before, then deliver again: on return from this handler the signal
        // (blocked while it runs) reaches the previous handler, or the default action kills the process.
        // A fault re-executes the faulting instruction and raises it anew either way.
        sigaction(sig, state.pointee.previous + Int(sig), nil)
        raise(sig)
    }
}

private func crashHandler(_ sig: Int32) {
    CrashRestore.handle(sig)
}
