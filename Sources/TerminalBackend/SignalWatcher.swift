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
    }

    let pending = Mutex(Pending())
}

/// Turns SIGINT, SIGTERM, SIGHUP and SIGWINCH into flags plus a wake-up of the event loop,
/// using dispatch signal sources instead of signal handlers (no async-signal-safety traps).
/// Owned and used by the event loop's thread.
final class SignalWatcher {
    private let inbox = SignalInbox()
    private let sources: [DispatchSourceSignal]
    private static let watched: [(Int32, TerminationSignal?)] = [
        (SIGINT, .interrupt), (SIGTERM, .terminate), (SIGHUP, .hangup), (SIGWINCH, nil),
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
                    if let meaning {
                        // The first termination signal wins; later ones change nothing.
                        if p.termination == nil { p.termination = meaning }
                    } else {
                        p.resized = true
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
    func take() -> (termination: TerminationSignal?, resized: Bool) {
        inbox.pending.withLock { p in
            let taken = (p.termination, p.resized)
            p.resized = false
            return taken
        }
    }

    /// Stops watching and gives the signals their default actions back.
    func cancel() {
        for s in sources { s.cancel() }
        for (number, _) in Self.watched { Platform.defaultSignal(number) }
    }
}
