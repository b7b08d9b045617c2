import Synchronization

/// A self-pipe that other threads poke to wake the event loop out of its kernel wait.
/// Closing is guarded so that a late wake never writes to a descriptor number reused elsewhere.
public final class WakePipe: Sendable {
    private struct Ends {
        var read: Int32
        var write: Int32
        var open: Bool
    }

    private let ends: Mutex<Ends>

    init?() {
        guard let (r, w) = Platform.makeWakePipe() else { return nil }
        ends = Mutex(Ends(read: r, write: w, open: true))
    }

    var readDescriptor: Int32 { ends.withLock { $0.read } }

    /// Wakes the loop; safe from any thread, a no-op after close.
    public func wake() {
        ends.withLock { e in
            if e.open { Platform.poke(e.write) }
        }
    }

    func drain() {
        ends.withLock { e in
            if e.open { Platform.drain(e.read) }
        }
    }

    func close() {
        ends.withLock { e in
            guard e.open else { return }
            e.open = false
            Platform.closeDescriptor(e.read)
            Platform.closeDescriptor(e.write)
        }
    }
}
