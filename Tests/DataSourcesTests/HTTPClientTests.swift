import Foundation
import HTTPClient
import Testing

@Suite("HTTP client against the fault server")
final class HTTPClientFaultTests: Sendable {
    let server: FaultServer
    let client = HTTPClient()

    init() async throws { server = try await FaultServer.start() }
    deinit {
        client.shutdown()
        server.stop()
    }

    func fetch(_ path: String, timeout: TimeInterval = 2, maxBody: Int = HTTPRequest.defaultMaxBodyBytes) async
        -> Result<HTTPResponse, HTTPError>
    {
        await client.get(HTTPRequest(url: server.url(path), connectTimeout: 1, totalTimeout: timeout, maxBodyBytes: maxBody))
    }

    func expectError(_ r: Result<HTTPResponse, HTTPError>, sourceLocation: SourceLocation = #_sourceLocation)
        -> HTTPError?
    {
        if case .failure(let e) = r { return e }
        Issue.record("expected a failure, got success", sourceLocation: sourceLocation)
        return nil
    }

    @Test func okBodyHeadersAndUserAgent() async throws {
        let r = try await fetch("/ok/metrics").get()
        #expect(r.status == 200)
        #expect(String(decoding: r.body, as: UTF8.self).contains("demo_temperature_celsius 21.5"))
        #expect(r.contentType?.hasPrefix("text/plain") == true)
    }

    @Test func headerNamesAreLowerCasedAndValuesTrimmed() async throws {
        let r = try await fetch("/odd-headers/metrics").get()
        #expect(r.contentType == "text/plain; version=0.0.4")
        #expect(r.headers["x-empty"] == "")
        #expect(r.headers["x-colon"] == "a:b")
        #expect(r.headers["content-length"] == String(r.body.count))
        #expect(String(decoding: r.body, as: UTF8.self).contains("demo_temperature_celsius 21.5"))
    }

    @Test func sendsUserAgentEncodingsAndExtraHeaders() async throws {
        let r = try await client.get(HTTPRequest(url: server.url("/headers/x"), headers: [("X-Probe", "1")])).get()
        let echoed = String(decoding: r.body, as: UTF8.self)
        #expect(echoed.contains("user-agent: lookout/\(LookoutVersion.string)\n"))
        #expect(echoed.contains("accept-encoding: ") && echoed.contains("gzip"))
        #expect(echoed.contains("x-probe: 1\n"))
        #expect(!echoed.contains("authorization"))
    }

    @Test func gzipIsDecoded() async throws {
        let r = try await fetch("/gzip/metrics").get()
        #expect(String(decoding: r.body, as: UTF8.self).hasPrefix("# HELP demo_requests_total"))
    }

    @Test func aBodyWithItsLengthIsMadeAtItsSize() async throws {
        let r = try await fetch("/sized/metrics?bytes=3000001").get()
        #expect(r.body.count == 3_000_001)
        #expect(r.body.capacity - r.body.count <= r.body.count / 64, "capacity \(r.body.capacity)")
    }

    @Test func connectionRefused() async throws {
        let e = try #require(expectError(await client.get(.init(url: "http://127.0.0.1:\(server.closedPort)/metrics"))))
        #expect(e.kind == .connectionRefused)
        #expect(e.description.contains("connection refused"))
    }

    @Test func hangTimesOutWithinTheLimit() async throws {
        let start = Date()
        let e = try #require(expectError(await fetch("/hang/metrics", timeout: 0.5)))
        #expect(e.kind == .timeout(seconds: 0.5, phase: "total"))
        #expect(e.summary == "timeout after 0.5s")
        // Generous slack for a loaded test machine; the point is that it is not the 10 s default.
        #expect(Date().timeIntervalSince(start) < 8)
    }

    @Test func slowDripTimesOut() async throws {
        let e = try #require(expectError(await fetch("/drip/metrics", timeout: 0.6)))
        #expect(e.kind == .timeout(seconds: 0.6, phase: "total"))
    }

    @Test(arguments: [404, 500, 503])
    func httpStatusErrors(code: Int) async throws {
        let e = try #require(expectError(await fetch("/\(code)/metrics")))
        #expect(e.kind == .httpStatus(code))
        #expect(e.summary.hasPrefix("HTTP \(code)"))
        #expect(e.body?.isEmpty == false)
    }

    @Test func truncatedBody() async throws {
        let e = try #require(expectError(await fetch("/truncated/metrics")))
        #expect(e.kind == .truncated)
    }

    @Test func bodyOverTheLimitIsAbortedEarly() async throws {
        let chunked = try #require(expectError(await fetch("/huge/metrics", maxBody: 1 << 20)))
        #expect(chunked.kind == .tooLarge(limit: 1 << 20))
        #expect(chunked.summary == "body over 1 MiB")
        let announced = try #require(expectError(await fetch("/huge-cl/metrics", maxBody: 1 << 20)))
        #expect(announced.kind == .tooLarge(limit: 1 << 20))
    }

    @Test func redirectLoopIsLimited() async throws {
        let e = try #require(expectError(await fetch("/redirect-loop/metrics")))
        #expect(e.kind == .tooManyRedirects)
    }

    @Test func bearerTokenIsSentAndNeverShown() async throws {
        let denied = try #require(expectError(await fetch("/auth/metrics")))
        #expect(denied.kind == .httpStatus(401))
        let ok = await client.get(.init(url: server.url("/auth/metrics"), auth: .bearer(token: "s3cret")))
        #expect((try? ok.get().status) == 200)
        #expect(!HTTPAuth.bearer(token: "s3cret").description.contains("s3cret"))
    }

    @Test func userInfoIsRedactedInErrors() async throws {
        let url = "http://bob:hunter2@127.0.0.1:\(server.port)/404/metrics"
        let e = try #require(expectError(await client.get(.init(url: url))))
        #expect(!e.description.contains("hunter2"))
        #expect(e.url == "http://***@127.0.0.1:\(server.port)/404/metrics")
    }

    @Test func healingRecovers() async throws {
        _ = try #require(expectError(await fetch("/503/metrics")))
        _ = await server.control("/heal")
        let r = try await fetch("/503/metrics").get()
        #expect(r.status == 200)
    }

    @Test func manyConcurrentTransfersDoNotSerialise() async throws {
        let start = Date()
        let results = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    if case .failure(let e) = await self.fetch("/slow/metrics") { return e.description }
                    return nil
                }
            }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(results.count == 20)
        #expect(results.compactMap { $0 } == [])
        // Twenty 1 s answers in series would take 20 s.
        #expect(Date().timeIntervalSince(start) < 15)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let task = Task { await self.fetch("/hang/metrics", timeout: 10) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let e = try #require(expectError(await task.value))
        #expect(e.kind == .cancelled)
        #expect(client.inFlight == 0)
    }

    @Test func shutdownFailsTransfersInFlight() async throws {
        let task = Task { await self.fetch("/hang/metrics", timeout: 10) }
        try await Task.sleep(for: .milliseconds(100))
        client.shutdown()
        let e = try #require(expectError(await task.value))
        #expect(e.kind == .shutdown)
        let after = try #require(expectError(await fetch("/ok/metrics")))
        #expect(after.kind == .shutdown)
    }
}

@Suite("HTTP client without a server")
struct HTTPClientLocalTests {
    @Test func fileURLsWork() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-\(UUID()).prom").path
        try Data("x_total 3\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let client = HTTPClient()
        let r = try await client.get(.init(url: "file://\(path)")).get()
        #expect(String(decoding: r.body, as: UTF8.self) == "x_total 3\n")
        let missing = await client.get(.init(url: "file://\(path).missing"))
        guard case .failure(let e) = missing else { Issue.record("missing file read"); return }
        #expect(e.kind == .fileNotFound)
    }

    /// A body of known length is made at its size once: read as it doubled, a 3 MB file left a
    /// 4 MiB buffer, kept with the spare for the next scrape's comparison (and copied to drop it).
    @Test func aFileBodyIsMadeAtItsSize() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-\(UUID()).prom").path
        try Data(repeating: UInt8(ascii: "\n"), count: 3_000_001).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try await HTTPClient().get(.init(url: "file://\(path)")).get()
        #expect(r.body.count == 3_000_001)
        #expect(r.body.capacity - r.body.count <= r.body.count / 64, "capacity \(r.body.capacity)")
    }

    @Test func dnsFailureIsNamed() async throws {
        let r = await HTTPClient().get(.init(url: "http://no-such-host.invalid/metrics", totalTimeout: 5))
        guard case .failure(let e) = r else { Issue.record("expected failure"); return }
        #expect(e.kind == .dns)
    }

    @Test func unsupportedSchemeIsInvalidURL() async throws {
        let r = await HTTPClient().get(.init(url: "gopher://127.0.0.1/x"))
        guard case .failure(let e) = r else { Issue.record("expected failure"); return }
        #expect(e.kind == .invalidURL)
    }

    @Test(arguments: [
        ("http://user:pass@host:9090/api", "http://***@host:9090/api"),
        ("https://host/metrics?token=abc&x=1", "https://host/metrics?token=***&x=1"),
        ("http://host/a@b", "http://host/a@b"),
        ("host:9100/metrics", "host:9100/metrics"),
        ("http://a:b@c@host/", "http://***@host/"),
        ("file:///tmp/x.prom", "file:///tmp/x.prom"),
        ("http://host/?api_key=k#frag", "http://host/?api_key=***#frag"),
    ])
    func redaction(input: String, expected: String) {
        #expect(redactURL(input) == expected)
    }
}
