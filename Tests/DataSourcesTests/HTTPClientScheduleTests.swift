import Foundation
import HTTPClient
import Testing

/// Transfers asked to start later (`notBefore`): the worker thread holds them until then, counts
/// their timeouts and duration from the start, and still cancels or fails them at once.
@Suite("HTTP client: transfers that start later")
final class HTTPClientScheduleTests: Sendable {
    let server: FaultServer
    let client = HTTPClient()

    init() async throws { server = try await FaultServer.start() }
    deinit {
        client.shutdown()
        server.stop()
    }

    func fetch(_ path: String, after ms: Int, timeout: TimeInterval = 2) async -> Result<HTTPResponse, HTTPError> {
        let request = HTTPRequest(url: server.url(path), connectTimeout: 1, totalTimeout: timeout)
        return await client.get(request, notBefore: ContinuousClock.now.advanced(by: .milliseconds(ms)))
    }

    @Test func aTransferStartsNoEarlierThanAsked() async throws {
        let asked = ContinuousClock.now
        let r = try await fetch("/ok/metrics", after: 300).get()
        let waited = asked.duration(to: .now)
        #expect(r.status == 200)
        #expect(waited >= .milliseconds(300), "answered after \(waited)")
        #expect(waited < .seconds(3), "answered after \(waited)")
        // From the start, not from the request: a local answer takes milliseconds.
        #expect(r.duration < 0.25, "duration \(r.duration) s")
    }

    @Test func transfersStartInTheirOwnOrderBesideOneRunningNow() async throws {
        let asked = ContinuousClock.now
        async let late = fetch("/ok/metrics", after: 400)
        async let early = fetch("/ok/metrics", after: 150)
        let now = try await client.get(HTTPRequest(url: server.url("/ok/metrics"), connectTimeout: 1, totalTimeout: 2)).get()
        #expect(now.status == 200)
        #expect(asked.duration(to: .now) < .milliseconds(150), "the immediate transfer waited for the later ones")
        _ = try await early.get()
        let afterEarly = asked.duration(to: .now)
        _ = try await late.get()
        let afterLate = asked.duration(to: .now)
        #expect(afterEarly >= .milliseconds(150) && afterEarly < .milliseconds(400), "early one after \(afterEarly)")
        #expect(afterLate >= .milliseconds(400), "late one after \(afterLate)")
    }

    @Test func cancellingAWaitingTransferEndsItAtOnce() async throws {
        let task = Task { await self.fetch("/ok/metrics", after: 10_000) }
        try await Task.sleep(for: .milliseconds(100))
        let cancelled = ContinuousClock.now
        task.cancel()
        guard case .failure(let e) = await task.value else { Issue.record("a cancelled wait succeeded"); return }
        #expect(e.kind == .cancelled)
        #expect(cancelled.duration(to: .now) < .seconds(1))
        #expect(client.inFlight == 0)
    }

    @Test func shutdownFailsWaitingTransfersAtOnce() async throws {
        let task = Task { await self.fetch("/ok/metrics", after: 10_000) }
        try await Task.sleep(for: .milliseconds(100))
        let stopped = ContinuousClock.now
        client.shutdown()
        guard case .failure(let e) = await task.value else { Issue.record("a wait outlived shutdown"); return }
        #expect(e.kind == .shutdown)
        #expect(stopped.duration(to: .now) < .seconds(1))
    }

    @Test func theTimeoutCountsFromTheStart() async throws {
        // /slow answers after 1 s: 600 ms of waiting must not count against the 1.5 s timeout.
        let r = await fetch("/slow/metrics", after: 600, timeout: 1.5)
        if case .failure(let e) = r { Issue.record("failed: \(e)") }
    }
}
