import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A free TCP port on 127.0.0.1, found by binding port 0 and reading what the system chose.
/// (Another process could take it before use; on a test machine that race is rare.)
func freeLoopbackPort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw LoopbackError.socket("socket()") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw LoopbackError.socket("bind()") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw LoopbackError.socket("getsockname()") }
    return UInt16(bigEndian: address.sin_port)
}

enum LoopbackError: Error {
    case socket(String)
    case http(URL, String)
    case timeout(String)
}

/// GET a URL; returns body and Content-Type.
func httpGet(_ url: URL) async throws -> (body: String, contentType: String?, status: Int) {
    var request = URLRequest(url: url)
    request.timeoutInterval = 5
    let (data, response) = try await URLSession.shared.data(for: request)
    guard let http = response as? HTTPURLResponse else { throw LoopbackError.http(url, "not HTTP") }
    return (String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type"), http.statusCode)
}

/// A process started by a test (through TestSupport's Spawn, not Foundation's Process), its output in
/// `log`, stopped by its pid when the owner calls `stop()`.
final class TestProcess {
    let pid: Int32

    init(executable: String, arguments: [String], log: URL) throws {
        // sh execs the program with its output in the log: the pid is the program's.
        guard let sh = Tools.find("sh") else { throw MissingTool(what: "sh", test: "TestProcess") }
        pid = try Spawn.start(sh, ["-c", "exec \"$0\" \"$@\" >'\(log.path)' 2>&1", executable] + arguments)
    }

    func stop() { Spawn.stop(pid, grace: 5) }
}

/// Minimal Prometheus HTTP API client for instant queries returning one scalar-like value.
struct PrometheusQueryClient {
    let base: URL

    /// The value of the first sample of an instant query, nil when the result is empty.
    func value(of query: String) async throws -> Double? {
        guard var components = URLComponents(url: base.appendingPathComponent("api/v1/query"),
                                             resolvingAgainstBaseURL: false) else {
            throw LoopbackError.http(base, "bad base URL")
        }
        components.queryItems = [URLQueryItem(name: "query", value: query)]
        // URLComponents leaves "+" alone, which a server decodes as a space.
        let encoded = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        components.percentEncodedQuery = encoded
        guard let url = components.url else { throw LoopbackError.http(base, "bad query \(query)") }
        let (body, _, status) = try await httpGet(url)
        guard status == 200,
              let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any],
              let result = data["result"] as? [[String: Any]] else {
            throw LoopbackError.http(url, "HTTP \(status): \(body.prefix(300))")
        }
        guard let first = result.first, let pair = first["value"] as? [Any], pair.count == 2,
              let text = pair[1] as? String else { return nil }
        return Double(text)
    }

    /// Polls `query` until `accept` holds for its value or the deadline passes; returns the last value.
    func waitFor(_ query: String, seconds: Double, accept: (Double) -> Bool) async throws -> Double? {
        let deadline = Date().addingTimeInterval(seconds)
        var last: Double?
        while Date() < deadline {
            last = try? await value(of: query)
            if let last, accept(last) { return last }
            try await Task.sleep(for: .milliseconds(250))
        }
        return last
    }
}
