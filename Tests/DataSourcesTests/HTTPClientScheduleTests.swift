import Foundation
import HTTPClient
import Testing

/// Transfers asked to start later (`notBefore`): the worker thread holds them until then, counts
/// their timeouts and duration from the start, and still cancels or fails them at once. Against the
/// same fault server and client as the rest of the suite.
extension HTTPClientFaultTests {
    func fetch(_ path: String, after ms: Int, timeout: TimeInterval = 2) async -> Result<HTTPResponse, HTTPError> {
        let request = HTTPRequest(url: server.url(path), connectTimeout: 1, totalTimeout: timeout)
        return await client.get(request, notBefore: ContinuousClock.now.advanced(by: .milliseconds(ms)))
    }

    // Bounds are lower bounds, or upper bounds far from the times asked: the whole suite runs in
    // parallel on two cores, where a task may wait seconds for a thread.
    @Test func aTransferStartsNoEarlierThanAsked() async throws {
        let asked = ContinuousClock.now
        let r = try await fetch("/ok/metrics", after: 300).get()
        let waited = asked.duration(to: .now)
        #expect(r.status == 200)
        #expect(waited >= .milliseconds(300), "answered after \(waited)")
        // Its duration counts from the start, not from the request 300 ms earlier.
        let waitedSeconds = Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18
        #expect(r.duration <= waitedSeconds - 0.25, "duration \(r.duration) s of \(waited)")
    }

    @Test func eachWaitingTransferStartsAtItsOwnTime() async throws {
        let asked = ContinuousClock.now
        async let late = fetch("/ok/metrics", after: 8_000)
        async let early = fetch("/ok/metrics", after: 300)
        // Neither holds back a transfer asked for now, nor the early one the other.
        let now = try await client.get(HTTPRequest(url: server.url("/ok/metrics"), connectTimeout: 1, totalTimeout: 2)).get()
        #expect(now.status == 200)
        let afterNow = asked.duration(to: .now)
        _ = try await early.get()
        let afterEarly = asked.duration(to: .now)
        _ = try await late.get()
        let afterLate = asked.duration(to: .now)
        #expect(afterNow < .seconds(8), "the immediate transfer took \(afterNow)")
        #expect(afterEarly >= .milliseconds(300) && afterEarly < .seconds(8), "the early one took \(afterEarly)")
        #expect(afterLate >= .seconds(8), "the late one took \(afterLate)")
    }

    @Test func manyTransfersDueAtOneInstantAllStartSoon() async throws {
        // They start a batch at a time (a burst overflows small listen backlogs): none may be left
        // behind until the worker's next long wait.
        let asked = ContinuousClock.now
        let failures = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    if case .failure(let e) = await self.fetch("/ok/metrics", after: 200) { return e.description }
                    return nil
                }
            }
            return await group.reduce(into: [String]()) { if let f = $1 { $0.append(f) } }
        }
        let took = asked.duration(to: .now)
        #expect(failures == [])
        #expect(took >= .milliseconds(200) && took < .seconds(15), "40 transfers due at 200 ms took \(took)")
        #expect(client.inFlight == 0)
    }

    @Test func cancellingAWaitingTransferEndsItAtOnce() async throws {
        let task = Task { await self.fetch("/ok/metrics", after: 30_000) }
        try await Task.sleep(for: .milliseconds(100))
        let cancelled = ContinuousClock.now
        task.cancel()
        guard case .failure(let e) = await task.value else { Issue.record("a cancelled wait succeeded"); return }
        #expect(e.kind == .cancelled)
        #expect(cancelled.duration(to: .now) < .seconds(10))
        #expect(client.inFlight == 0)
    }

    @Test func shutdownFailsWaitingTransfersAtOnce() async throws {
        let task = Task { await self.fetch("/ok/metrics", after: 30_000) }
        try await Task.sleep(for: .milliseconds(100))
        let stopped = ContinuousClock.now
        client.shutdown()
        guard case .failure(let e) = await task.value else { Issue.record("a wait outlived shutdown"); return }
        #expect(e.kind == .shutdown)
        #expect(stopped.duration(to: .now) < .seconds(10))
    }

    @Test func theTimeoutCountsFromTheStart() async throws {
        // /slow answers after 1 s: 3 s of waiting must not count against the 2 s timeout.
        let r = await fetch("/slow/metrics", after: 3_000, timeout: 2)
        if case .failure(let e) = r { Issue.record("failed: \(e)") }
    }
}
