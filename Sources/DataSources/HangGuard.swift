import Foundation
import MetricsCore
import Synchronization

/// Makes a hung server cost one timeout per refresh, not one per query (issue 13, finding 1).
///
/// A request that times out while the server answered nothing else since it was sent marks the
/// server as not answering. From then on requests fail at once with that timeout, except one probe
/// per `retryAfter` (the refresh interval): when any request gets an answer again (even an HTTP
/// error), the mark goes. A single slow query on an otherwise answering server trips nothing,
/// because answers to other requests arrived while it waited.
final class HangGuard: Sendable {
    enum Admission: Equatable {
        case send(probe: Bool)
        case refuse(QueryFailure)
    }

    private struct State {
        var lastAnswer: ContinuousClock.Instant?
        var hung: QueryFailure?
        var nextProbe: ContinuousClock.Instant?
        var probeInFlight = false
    }

    private let state = Mutex(State())
    private let retryAfter: Duration

    init(retryAfter: TimeInterval) {
        self.retryAfter = .milliseconds(Int64(max(0.1, retryAfter) * 1000))
    }

    /// Whether a request may go out now.
    func admit(now: ContinuousClock.Instant = .now) -> Admission {
        state.withLock { s in
            guard let failure = s.hung else { return .send(probe: false) }
            if !s.probeInFlight, let next = s.nextProbe, now >= next {
                s.probeInFlight = true
                return .send(probe: true)
            }
            return .refuse(failure)
        }
    }

    /// Records how a request sent at `sentAt` ended: `failure` nil or not a timeout means the server answered.
    func finished(sentAt: ContinuousClock.Instant, probe: Bool, failure: QueryFailure?,
                  now: ContinuousClock.Instant = .now) {
        state.withLock { s in
            if probe { s.probeInFlight = false }
            switch failure?.kind {
            case .timeout?:
                break
            case .network?, .unavailable?:
                return   // refused or cancelled: says nothing about a hang, and costs no time
            default:
                // Any answer at all (data, an HTTP or API error): the server is alive.
                s.lastAnswer = now
                s.hung = nil
                s.nextProbe = nil
                return
            }
            guard let failure else { return }
            if let last = s.lastAnswer, last > sentAt { return }   // others got answers meanwhile: just slow
            if s.hung == nil { s.hung = failure }
            s.nextProbe = now + retryAfter
        }
    }

    var isHung: Bool { state.withLock { $0.hung != nil } }
}
