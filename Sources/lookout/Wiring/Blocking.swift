import Dispatch
import Synchronization

/// Runs async work from the synchronous command entry points. The main thread waits on a
/// semaphore (it is not one of Swift's cooperative threads, so waiting there starves nothing).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
        done.signal()
    }
    done.wait()
    return try box.get()
}

private final class ResultBox<T: Sendable>: Sendable {
    private let value = Mutex<Result<T, any Error>?>(nil)

    func set(_ r: Result<T, any Error>) { value.withLock { $0 = r } }

    func get() throws -> T {
        guard let r = value.withLock({ $0 }) else { throw CLIError("internal: task ended without a result") }
        return try r.get()
    }
}

/// An error for the user: printed as `lookout: message`, exit status 1 unless given.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let status: Int32

    init(_ message: String, status: Int32 = 1) {
        self.message = message
        self.status = status
    }

    var description: String { message }
}
