import HTTPClient
import MetricsCore

extension QueryFailure {
    /// The panel-sized reason for a failed transfer, located at the redacted URL.
    public init(_ error: HTTPError) {
        let kind: QueryFailure.Kind
        switch error.kind {
        case .timeout: kind = .timeout
        case .httpStatus: kind = .http
        case .tooLarge: kind = .tooLarge
        case .truncated: kind = .badResponse
        case .shutdown, .cancelled: kind = .unavailable
        default: kind = .network
        }
        // libcurl's text only adds something for the vaguer kinds; "timeout after 2s" says it all.
        let detail = kind == .network && error.kind != .connectionRefused && !error.detail.isEmpty
            ? ": \(error.detail)" : ""
        self.init(kind: kind, message: error.summary + detail, location: error.url)
    }
}

/// Runs identical requests once: callers asking for a key already in flight share its result.
final class Coalescer<Value: Sendable>: Sendable {
    private let inFlight = Mutex<[String: Task<Value, Never>]>([:])

    func run(_ key: String, _ operation: @escaping @Sendable () async -> Value) async -> Value {
        let task = inFlight.withLock { map -> Task<Value, Never> in
            if let running = map[key] { return running }
            // The task removes itself under the same lock that inserted it, so it cannot finish
            // before it is registered.
            let task = Task { [self] in
                let value = await operation()
                self.inFlight.withLock { _ = $0.removeValue(forKey: key) }
                return value
            }
            map[key] = task
            return task
        }
        return await task.value
    }

    var count: Int { inFlight.withLock { $0.count } }
}

import Synchronization
