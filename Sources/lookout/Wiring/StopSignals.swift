import Dispatch
import Foundation
import Synchronization

/// SIGINT, SIGTERM and SIGHUP ask a command without a screen (`record`, `demo --serve-only`) to stop
/// cleanly: the signals are ignored and watched instead, so the command closes its files and
/// servers itself. Poll `requested`, or await `stopped` (which holds no thread).
final class StopSignals {
    private final class Flag: Sendable {
        let raised = Mutex(false)
    }

    private let flag = Flag()
    private var sources: [any DispatchSourceSignal] = []
    /// Yields once per signal.
    let stopped: AsyncStream<Void>

    init() {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        stopped = stream
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            let flag = self.flag
            s.setEventHandler { @Sendable in
                flag.raised.withLock { $0 = true }
                continuation.yield()
            }
            s.resume()
            sources.append(s)
        }
    }

    deinit { sources.forEach { $0.cancel() } }

    var requested: Bool { flag.raised.withLock { $0 } }
}
