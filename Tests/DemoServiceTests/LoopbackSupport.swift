import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

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

    private init(pid: Int32) { self.pid = pid }

    /// Started on a fresh loopback port, again on another one when that port was taken meanwhile
    /// (the program exits on EADDRINUSE): no bind-then-release race. Returns the process and its port.
    static func listening(executable: String, arguments: (UInt16) -> [String], log: URL) throws -> (TestProcess, UInt16) {
        let (pid, port) = try LoopbackPort.start { port in
            try TestProcess(executable: executable, arguments: arguments(port), log: log).pid
        }
        return (TestProcess(pid: pid), port)
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
