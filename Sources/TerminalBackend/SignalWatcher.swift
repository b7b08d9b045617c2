import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the signal sources recorded, shared between the signal queue and the event loop.
private final class SignalInbox: Sendable {
    struct Pending {
        var termination: TerminationSignal?
        var resized = false
        var resumed = false
    }

    let pending = Mutex(Pending())
}

/// Turns SIGINT, SIGTERM, SIGHUP, SIGWINCH and SIGCONT into flags plus a wake-up of the event loop,
/// using dispatch signal sources instead of signal handlers (no async-signal-safety traps).
/// Owned and used by the event loop's thread.
final class SignalWatcher {
    private let inbox = SignalInbox()
    private let sources: [DispatchSourceSignal]
    private enum Meaning { case terminate(TerminationSignal), resize, resume }
    /// SIGCONT: back from a suspension (Ctrl-Z, `fg`), after which curses redraws a screen it never
    /// drew (`FrameEncoder` writes the frames), so the next frame repaints everything.
    private static let watched: [(Int32, Meaning)] = [
        (SIGINT, .terminate(.interrupt)), (SIGTERM, .terminate(.terminate)), (SIGHUP, .terminate(.hangup)),
        (SIGWINCH, .resize), (SIGCONT, .resume),
    ]

    /// `wake` is called on the watcher's queue after a signal was recorded.
    init(wake: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "lookout.signals")
        var made: [DispatchSourceSignal] = []
        for (number, meaning) in Self.watched {
            // The default action must not run; the dispatch source still sees the signal.
            Platform.ignoreSignal(number)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [inbox] in
                inbox.pending.withLock { p in
                    switch meaning {
                    // The first termination signal wins; later ones change nothing.
                    case .terminate(let signal): if p.termination == nil { p.termination = signal }
                    case .resize: p.resized = true
                    case .resume: p.resumed = true
                    }
                }
                wake()
            }
            source.resume()
            made.append(source)
        }
        sources = made
    }

    /// Takes what arrived since the last call.
    func take() -> (termination: TerminationSignal?, resized: Bool, resumed: Bool) {
        inbox.pending.withLock { p in
            let taken = (p.termination, p.resized, p.resumed)
            p.resized = false
            p.resumed = false
            return taken
        }
    }

    /// Stops watching and gives the signals their default actions back.
    func cancel() {
        for s in sources { s.cancel() }
        for (number, _) in Self.watched { Platform.defaultSignal(number) }
    }
}
