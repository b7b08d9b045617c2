import Foundation
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

/// Runs identical requests once: callers asking for a key already in flight share its result,
/// and for `ttl` seconds after it finished later callers get it too (several panels asking the
/// same thing one after another within one refresh). Bounded to `capacity` remembered results.
final class Coalescer<Value: Sendable>: Sendable {
    private struct State {
        var inFlight: [String: Task<Value, Never>] = [:]
        var recent: [String: (value: Value, expires: ContinuousClock.Instant)] = [:]
    }

    private let state = Mutex(State())
    private let ttl: Duration
    private let capacity: Int

    init(ttl: TimeInterval = 0, capacity: Int = 256) {
        self.ttl = .milliseconds(Int64(max(0, ttl) * 1000))
        self.capacity = capacity
    }

    func run(_ key: String, _ operation: @escaping @Sendable () async -> Value) async -> Value {
        let now = ContinuousClock.now
        let (cached, task) = state.withLock { s -> (Value?, Task<Value, Never>?) in
            if let hit = s.recent[key] {
                if hit.expires > now { return (hit.value, nil) }
                s.recent[key] = nil
            }
            if let running = s.inFlight[key] { return (nil, running) }
            // The task removes itself under the same lock that inserted it, so it cannot finish
            // before it is registered.
            let task = Task { [self] in
                let value = await operation()
                remember(key, value)
                return value
            }
            s.inFlight[key] = task
            return (nil, task)
        }
        if let cached { return cached }
        return await task!.value
    }

    private func remember(_ key: String, _ value: Value) {
        let expires = ContinuousClock.now + ttl
        state.withLock { s in
            s.inFlight[key] = nil
            guard ttl > .zero else { return }
            if s.recent.count >= capacity {
                let now = ContinuousClock.now
                s.recent = s.recent.filter { $0.value.expires > now }
                if s.recent.count >= capacity { s.recent.removeAll(keepingCapacity: true) }
            }
            s.recent[key] = (value, expires)
        }
    }

    var inFlightCount: Int { state.withLock { $0.inFlight.count } }
}

import Synchronization
