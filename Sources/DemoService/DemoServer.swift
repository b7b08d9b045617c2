import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// Serves the simulated Perfect21 service's metrics over HTTP on loopback, for `lookout demo`.
///
/// The simulation is advanced lazily: nothing runs between requests (zero idle CPU); each
/// `/metrics` request first catches the simulation up to the wall-clock time elapsed since
/// `init`, then renders it.
public final class DemoServer: Sendable {
    public static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    public let listen: DemoListenAddress
    public let seed: UInt64
    private let service: LiveSimulation
    private let running = LockedBox<RunningServer?>(nil)

    /// - Parameters:
    ///   - scenario: the scenario at start-up.
    ///   - seed: makes every random draw reproducible.
    ///   - listen: host and port; port 0 picks a free port. Loopback by default.
    ///   - incident: when the incident starts after choosing `incident` (default after 60 s, for 240 s).
    public init(scenario: DemoScenario = .normal, seed: UInt64 = 1,
                listen: DemoListenAddress = .loopbackAnyPort, incident: IncidentTiming = IncidentTiming()) {
        self.listen = listen
        self.seed = seed
        self.service = LiveSimulation(simulation: ServiceSimulation(scenario: scenario, seed: seed, incident: incident),
                                      incident: incident)
    }

    /// The scenario in force.
    public var scenario: DemoScenario { service.scenario }

    /// Switches scenario now (effects ramp in over ten seconds). Choosing `incident` (again)
    /// restarts its timeline: degradation after `incident.startOffset` seconds.
    public func setScenario(_ scenario: DemoScenario, incident: IncidentTiming? = nil) {
        service.setScenario(scenario, incident: incident)
    }

    /// True while the incident scenario's degradation is under way (for a status line).
    public var incidentActive: Bool { service.incidentActive }

    /// The exposition text as `/metrics` would serve it now (for in-process use and tests).
    public func metricsText() -> String {
        String(decoding: service.renderMetrics(), as: UTF8.self)
    }

    /// The `/metrics` URL once started.
    public var metricsURL: URL? { running.value?.url }

    /// Binds and starts serving; returns the `/metrics` URL actually bound (with the real port
    /// when 0 was asked for).
    @discardableResult
    public func start() async throws -> URL {
        let address: any SocketAddress
        do {
            if listen.isIPv6 {
                address = try sockaddr_in6.inet6(ip6: listen.host, port: listen.port)
            } else {
                address = try sockaddr_in.inet(ip4: listen.host, port: listen.port)
            }
        } catch {
            throw DemoServerError.invalidHost(listen)
        }
        let server = HTTPServer(address: address, timeout: 15, logger: .disabled)
        await installRoutes(on: server)
        guard running.claimIfEmpty(RunningServer(server: server, task: nil, url: nil)) else {
            throw DemoServerError.alreadyStarted
        }
        let failure = LockedBox<String?>(nil)
        let task = Task {
            do { try await server.run() } catch { failure.set(String(describing: error)) }
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while await !server.isListening {
            if let reason = failure.value {
                running.set(nil)
                throw DemoServerError.listenFailed(listen, reason: reason)
            }
            guard ContinuousClock.now < deadline else {
                task.cancel()
                running.set(nil)
                throw DemoServerError.notListeningInTime(listen)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        let port: UInt16
        switch await server.listeningAddress {
        case .ip4(_, let bound)?, .ip6(_, let bound)?: port = bound
        default: port = listen.port
        }
        let hostPart = listen.isIPv6 ? "[\(listen.host)]" : listen.host
        guard let url = URL(string: "http://\(hostPart):\(port)/metrics") else {
            throw DemoServerError.invalidHost(listen)
        }
        running.set(RunningServer(server: server, task: task, url: url))
        return url
    }

    /// Stops listening and closes open connections. Safe to call more than once.
    public func stop() async {
        guard let current = running.take() else { return }
        // Open connections are completed first; the accept loop is then cancelled at once rather
        // than given time to notice its socket closed (it never does: that wait cost every quit 200 ms).
        await current.server.stop(timeout: 0)
        current.task?.cancel()
    }

    private func installRoutes(on server: HTTPServer) async {
        let service = self.service
        await server.appendRoute("GET /metrics") { _ in
            HTTPResponse(statusCode: .ok, headers: [.contentType: Self.metricsContentType],
                         body: Data(service.renderMetrics()))
        }
        await server.appendRoute("GET /") { _ in
            HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                         body: Data(Self.indexPage(scenario: service.scenario).utf8))
        }
    }

    static func indexPage(scenario: DemoScenario) -> String {
        var lines = [
            "Lookout demo: a simulated Perfect21 service",
            "",
            "GET /metrics   Prometheus text exposition (scrape this)",
            "GET /          this page",
            "",
            "Scenario now: \(scenario.rawValue) (\(scenario.summary))",
            "",
            "Simulated API endpoints (P50 / P95 / P99 at baseline):",
        ]
        for endpoint in ServiceProfile.endpoints {
            let l = endpoint.latency
            lines.append("  \(endpoint.method) \(endpoint.handler)  \(Int(l.median * 1000)) / \(Int(l.p95 * 1000)) / \(Int(l.p99 * 1000)) ms")
        }
        lines.append("")
        lines.append("Scenarios: " + DemoScenario.allCases.map(\.rawValue).joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }
}

private struct RunningServer: Sendable {
    let server: HTTPServer
    let task: Task<Void, Never>?
    let url: URL?
}

/// The simulation and its exposition behind a lock, advanced to wall-clock time on demand.
final class LiveSimulation: Sendable {
    // The simulation is a value type mutated on every scrape, and scrapes and scenario switches can
    // arrive from any thread; the exposition's buffers are reused under the same lock.
    private struct State: ~Copyable {
        var simulation: ServiceSimulation
        var incident: IncidentTiming
        let exposition = MetricsExposition()
    }

    private let state: Mutex<State>
    private let startedAt = ContinuousClock.now

    init(simulation: ServiceSimulation, incident: IncidentTiming) {
        state = Mutex(State(simulation: simulation, incident: incident))
    }

    private var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - startedAt
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    var scenario: DemoScenario { state.withLock { $0.simulation.scenario } }

    var incidentActive: Bool {
        let now = elapsedSeconds
        return state.withLock {
            $0.simulation.advance(to: now)
            return $0.simulation.incidentActive
        }
    }

    func setScenario(_ scenario: DemoScenario, incident newTiming: IncidentTiming?) {
        let now = elapsedSeconds
        state.withLock {
            $0.simulation.advance(to: now)
            if let newTiming { $0.incident = newTiming }
            $0.simulation.setScenario(scenario, incident: $0.incident)
        }
    }

    func renderMetrics() -> [UInt8] {
        let now = elapsedSeconds
        return state.withLock {
            $0.simulation.advance(to: now)
            return $0.exposition.render($0.simulation)
        }
    }
}

/// A value behind a lock, for the little mutable state the `Sendable` server class holds.
final class LockedBox<Value: Sendable>: Sendable {
    private let stored: Mutex<Value>

    init(_ value: Value) { stored = Mutex(value) }

    var value: Value { stored.withLock { $0 } }
    func set(_ value: Value) { stored.withLock { $0 = value } }
}

extension LockedBox {
    /// Stores `value` only if nothing is stored yet; true when it did.
    func claimIfEmpty<Wrapped: Sendable>(_ value: Wrapped) -> Bool where Value == Wrapped? {
        stored.withLock { current in
            guard current == nil else { return false }
            current = value
            return true
        }
    }

    /// Returns the stored value and empties the box.
    func take<Wrapped: Sendable>() -> Wrapped? where Value == Wrapped? {
        stored.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
