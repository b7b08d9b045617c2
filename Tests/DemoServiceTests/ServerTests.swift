@testable import DemoService
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite struct ServerTests {
    @Test func servesMetricsAndIndexOverLoopback() async throws {
        let server = DemoServer(scenario: .normal, seed: 41)
        let url = try await server.start()
        do {
            #expect(url.host == "127.0.0.1")
            #expect(url.port != nil && url.port != 0)
            #expect(url.path == "/metrics")
            try await Task.sleep(for: .milliseconds(1_200))
            let first = try await httpGet(url)
            #expect(first.status == 200)
            #expect(first.contentType == DemoServer.metricsContentType)
            let samples = try #require(parseExposition(first.body))
            let requests = samples.filter { $0.name == "http_requests_total" }.map(\.value).reduce(0, +)
            #expect(requests > 1_000, "about 2,500 requests a second since start: \(requests)")

            try await Task.sleep(for: .milliseconds(600))
            let second = try #require(parseExposition(try await httpGet(url).body))
            let later = second.filter { $0.name == "http_requests_total" }.map(\.value).reduce(0, +)
            #expect(later > requests, "lazily advanced to the new wall-clock time")

            let index = try await httpGet(try #require(URL(string: "/", relativeTo: url)))
            #expect(index.status == 200 && index.body.contains("/metrics") && index.body.contains("/api/auth/login"))

            server.setScenario(.dbSlow)
            #expect(server.scenario == .dbSlow)
            await #expect(throws: DemoServerError.self) { try await server.start() }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        await server.stop()  // idempotent
        await #expect(throws: (any Error).self) { _ = try await httpGet(url) }
    }

    @Test func busyPortIsReportedNotCrashed() async throws {
        let first = DemoServer(seed: 1)
        let url = try await first.start()
        let port = try #require(url.port.flatMap { UInt16(exactly: $0) })
        let second = DemoServer(seed: 2, listen: DemoListenAddress(host: "127.0.0.1", port: port))
        await #expect(throws: DemoServerError.self) { try await second.start() }
        await second.stop()
        await first.stop()
    }

    @Test func listenAddressesParse() throws {
        #expect(try DemoListenAddress(parsing: "127.0.0.1:9464") == DemoListenAddress(host: "127.0.0.1", port: 9464))
        #expect(try DemoListenAddress(parsing: ":0") == .loopbackAnyPort)
        #expect(try DemoListenAddress(parsing: "9000") == DemoListenAddress(host: "127.0.0.1", port: 9000))
        #expect(try DemoListenAddress(parsing: "[::1]:8080") == DemoListenAddress(host: "::1", port: 8080))
        for bad in ["", "127.0.0.1:99999", "localhost:80", "1.2.3.4:x", "[::1]8080", String(repeating: "1", count: 200)] {
            #expect(throws: DemoListenAddressError.self, "\(bad)") { try DemoListenAddress(parsing: bad) }
        }
        #expect(DemoListenAddress(host: "::1", port: 80).description == "[::1]:80")
    }

    @Test func unparseableHostIsATypedError() async {
        let server = DemoServer(listen: DemoListenAddress(host: "not-an-ip", port: 0))
        await #expect(throws: DemoServerError.self) { try await server.start() }
    }
}
