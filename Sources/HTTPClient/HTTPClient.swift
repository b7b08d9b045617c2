import CCurl
import Foundation
import Synchronization

/// An HTTP client over the libcurl multi interface: one worker thread drives every transfer,
/// callers await results and are never blocked. Safe to share; `shutdown()` (or deinit) stops it
/// without waiting: the worker fails what is in flight and frees libcurl on its own way out, so
/// quitting never waits for a slow server or a libcurl timer.
public final class HTTPClient: Sendable {
    private let worker: CurlWorker

    public init(userAgent: String = "lookout/\(LookoutVersion.string)") {
        worker = CurlWorker(userAgent: userAgent)
        worker.start()
    }

    deinit { worker.shutdown() }

    /// Fetches `request.url`. Non-2xx answers are `.httpStatus` errors that carry the body.
    /// Cancelling the calling task aborts the transfer.
    ///
    /// With `notBefore`, the transfer starts no earlier than then: the worker thread waits for it
    /// in its own poll, so a periodic scrape needs no timer of its own (a sleeping task costs a
    /// timer thread's wake-up to fire and another to re-arm, then a task's to hand the request
    /// over). Its timeouts and `duration` count from the start.
    public func get(_ request: HTTPRequest, notBefore: ContinuousClock.Instant? = nil) async -> Result<HTTPResponse, HTTPError> {
        let id = worker.nextID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                worker.submit(Transfer(id: id, request: request, notBefore: notBefore, continuation: continuation))
            }
        } onCancel: {
            worker.cancel(id)
        }
    }

    /// Fails every transfer in flight with `.shutdown` and stops the worker thread. Idempotent.
    public func shutdown() { worker.shutdown() }

    /// Transfers currently queued or running (for tests and the status view).
    public var inFlight: Int { worker.inFlight }
}

/// `CURLM*` is a raw pointer; libcurl allows `curl_multi_wakeup` from any thread, everything
/// else happens on the worker thread only.
private struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

final class CurlWorker: Sendable {
    private struct Inbox {
        var pending: [Transfer] = []
        var cancelled: Set<UInt64> = []
        var stopping = false
        var stopped = false
        var nextID: UInt64 = 1
        var inFlight = 0
    }

    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    private let multi: MultiHandle
    private let userAgent: String
    /// Every `curl_multi_wakeup` happens while holding this and only while `stopping` is false, so
    /// none can race the worker's `curl_multi_cleanup`, which follows `stopping`.
    private let inbox = Mutex(Inbox())

    init(userAgent: String) {
        _ = Self.globalInit
        // curl_multi_init only fails on out-of-memory; there is nothing sensible to continue with.
        guard let m = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        multi = MultiHandle(raw: m)
        self.userAgent = userAgent
    }

    /// The thread keeps the worker (and so the multi handle) alive until it has cleaned up.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "lookout-http"
        thread.start()
    }

    func nextID() -> UInt64 {
        inbox.withLock { box in
            defer { box.nextID += 1 }
            return box.nextID
        }
    }

    var inFlight: Int { inbox.withLock { $0.inFlight } }

    func submit(_ t: Transfer) {
        let accepted = inbox.withLock { box -> Bool in
            guard !box.stopping else { return false }
            box.pending.append(t)
            box.inFlight += 1
            curl_multi_wakeup(multi.raw)
            return true
        }
        if !accepted { t.finish(.failure(HTTPError(kind: .shutdown, url: t.redactedURL))) }
    }

    func cancel(_ id: UInt64) {
        inbox.withLock { box in
            guard !box.stopping else { return }
            box.cancelled.insert(id)
            curl_multi_wakeup(multi.raw)
        }
    }

    /// Asks the worker to stop and returns at once: in-flight transfers fail with `.shutdown`
    /// (promptly, on the worker thread), and the worker frees libcurl's handles as it exits.
    func shutdown() {
        inbox.withLock { box in
            guard !box.stopping else { return }
            box.stopping = true
            curl_multi_wakeup(multi.raw)
        }
    }

    // MARK: worker thread

    private func run() {
        var active: [Int: Transfer] = [:]   // keyed by the easy handle's address
        var waiting: [Transfer] = []        // not to start before their `notBefore`
        while true {
            let (incoming, cancels, stopping) = inbox.withLock { box in
                defer { box.pending = []; box.cancelled = [] }
                return (box.pending, box.cancelled, box.stopping)
            }
            if stopping {
                for t in incoming + waiting + Array(active.values) {
                    if let e = t.easy { curl_multi_remove_handle(multi.raw, e) }
                    complete(t, .failure(HTTPError(kind: .shutdown, url: t.redactedURL)))
                }
                // Easy handles first (their transfers' deinit), then the multi handle: nobody wakes
                // it any more (see `inbox`).
                active.removeAll()
                waiting.removeAll()
                curl_multi_cleanup(multi.raw)
                break
            }
            let now = ContinuousClock.now
            for t in incoming {
                if let at = t.notBefore, at > now { waiting.append(t) } else { begin(t, &active) }
            }
            // Transfers due at one instant (every target of a scrape cycle) start a batch a
            // millisecond: a burst of hundreds of connections at once overflows a small listen
            // backlog on a host serving many targets.
            var started = 0
            waiting.removeAll { t in
                if cancels.contains(t.id) {
                    complete(t, .failure(HTTPError(kind: .cancelled, url: t.redactedURL)))
                    return true
                }
                guard let at = t.notBefore, at <= now, started < Self.startsPerBatch else { return false }
                begin(t, &active)
                started += 1
                return true
            }
            for (key, t) in active where cancels.contains(t.id) {
                if let e = t.easy { curl_multi_remove_handle(multi.raw, e) }
                active[key] = nil
                complete(t, .failure(HTTPError(kind: .cancelled, url: t.redactedURL)))
            }
            var running: Int32 = 0
            curl_multi_perform(multi.raw, &running)
            collectFinished(&active)
            // curl_multi_poll also wakes for libcurl's own timers, so a long timeout costs nothing.
            var timeout: Int32 = active.isEmpty ? 30_000 : 1_000
            if let soonest = waiting.lazy.compactMap(\.notBefore).min() {
                timeout = min(timeout, max(Self.milliseconds(until: soonest), started == Self.startsPerBatch ? 1 : 0))
            }
            curl_multi_poll(multi.raw, nil, 0, timeout, nil)
        }
    }

    /// Transfers started from `waiting` in one pass of the loop (see `run`).
    static let startsPerBatch = 16

    private func begin(_ t: Transfer, _ active: inout [Int: Transfer]) {
        if let error = t.makeHandle(userAgent: userAgent) {
            complete(t, .failure(error))
        } else if let e = t.easy {
            curl_multi_add_handle(multi.raw, e)
            active[Int(bitPattern: e)] = t
        }
    }

    /// Whole milliseconds from now until `instant`, rounded up (a poll that returned early would
    /// find the transfer not yet due and wait again), 0 when it has passed.
    static func milliseconds(until instant: ContinuousClock.Instant) -> Int32 {
        let left = ContinuousClock.now.duration(to: instant).components
        guard left.seconds >= 0, left.seconds < 86_400 else { return left.seconds < 0 ? 0 : 86_400_000 }
        let ms = left.seconds * 1000 + (left.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(max(0, ms))
    }

    private func collectFinished(_ active: inout [Int: Transfer]) {
        var left: Int32 = 0
        while let msg = curl_multi_info_read(multi.raw, &left) {
            guard msg.pointee.msg == CURLMSG_DONE, let e = msg.pointee.easy_handle else { continue }
            let code = msg.pointee.data.result
            curl_multi_remove_handle(multi.raw, e)
            guard let t = active.removeValue(forKey: Int(bitPattern: e)) else { continue }
            complete(t, CurlResultMapper.result(of: t, code: code))
        }
    }

    private func complete(_ t: Transfer, _ result: Result<HTTPResponse, HTTPError>) {
        inbox.withLock { $0.inFlight -= 1 }
        t.finish(result)
    }
}
