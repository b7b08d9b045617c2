import Synchronization

/// "The first scrape has landed", awaited by commands that draw or answer once: they resume the
/// moment it is marked (polling for it cost up to 50 ms of start-up), or when the wait runs out.
final class FirstSignal: Sendable {
    private struct State {
        var seen = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Waits cancelled before they were registered (the timeout won the race).
        var abandoned: Set<Int> = []
        var nextID = 0
    }

    private let state = Mutex(State())

    func mark() {
        let waiters = state.withLock { s in
            s.seen = true
            defer { s.waiters = [:] }
            return s.waiters.values
        }
        for w in waiters { w.resume() }
    }

    var seen: Bool { state.withLock { $0.seen } }

    /// Returns once marked, or after `timeoutMs` (a dead target still gets a frame that says why).
    func wait(timeoutMs: Int64) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.marked() }
            group.addTask { try? await Task.sleep(nanoseconds: UInt64(max(0, timeoutMs)) * 1_000_000) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Suspends until marked; cancelling it ends the wait at once.
    private func marked() async {
        let id = state.withLock { s in
            defer { s.nextID += 1 }
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.seen || s.abandoned.remove(id) != nil { return true }
                    s.waiters[id] = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s in
                if let w = s.waiters.removeValue(forKey: id) { return Optional(w) }
                s.abandoned.insert(id)
                return nil
            }
            waiter?.resume()
        }
    }
}
