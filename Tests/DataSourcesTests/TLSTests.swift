import Foundation
import HTTPClient
import Testing
import TestSupport

/// HTTPS against the fault server with a throwaway self-signed certificate.
@Suite("TLS verification", .enabled(if: Tools.gate(Tools.find("openssl") != nil, "openssl", for: "TLS verification")))
final class TLSTests: Sendable {
    let dir: String
    let server: FaultServer

    init() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-tls-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        self.dir = dir
        let status = try runAndWait([
            try Tools.path("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", dir + "/key.pem",
            "-out", dir + "/cert.pem", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        guard status == 0 else { throw POSIXError(.EIO) }
        server = try await FaultServer.start(arguments: ["--tls", dir + "/cert.pem", dir + "/key.pem"])
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func verificationIsOnByDefaultAndCAFileOrInsecureWork() async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let url = server.url("/ok/metrics", scheme: "https")
        guard case .failure(let e) = await client.get(HTTPRequest(url: url)) else {
            Issue.record("a self-signed certificate was accepted by default"); return
        }
        #expect(e.kind == .tls)
        let withCA = try await client.get(HTTPRequest(url: url, tls: TLSOptions(caFile: dir + "/cert.pem"))).get()
        #expect(withCA.status == 200)
        let insecure = try await client.get(HTTPRequest(url: url, tls: TLSOptions(insecure: true))).get()
        #expect(insecure.status == 200)
    }
}
