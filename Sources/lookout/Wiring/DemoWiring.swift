import App
import ArgumentParser
import DemoService
import Foundation

extension DemoScenario: ExpressibleByArgument {}

/// `s` in demo mode switches the simulated service's scenario.
final class DemoServerControl: DemoControl {
    let server: DemoServer

    init(server: DemoServer) { self.server = server }

    var scenarioNames: [String] { DemoScenario.allCases.map(\.rawValue) }
    var currentScenario: String { server.scenario.rawValue }

    func setScenario(named name: String) {
        if let s = DemoScenario(rawValue: name) { server.setScenario(s) }
    }
}

/// Options shared by `demo` and `snapshot --demo`.
struct DemoOptionGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Scenario: normal, incident, cache-degradation or db-slow.",
                                            valueName: "scenario"))
    var scenario: DemoScenario?

    @Option(name: .long, help: ArgumentHelp("Seed of the simulation's random draws (reproducible runs).",
                                            valueName: "n"))
    var seed: UInt64 = 1

    /// The demo's job label, as the design's `up{job='perfect21-api'}` expects.
    static let job = "perfect21-api"

    /// Starts the simulated service on loopback and returns it with its `/metrics` URL.
    func startServer(listen: DemoListenAddress = .loopbackAnyPort,
                     incident: IncidentTiming = IncidentTiming()) async throws -> (DemoServer, URL) {
        let server = DemoServer(scenario: scenario ?? .normal, seed: seed, listen: listen, incident: incident)
        do {
            let url = try await server.start()
            return (server, url)
        } catch {
            throw CLIError("cannot start the demo service: \(error)")
        }
    }
}

/// Runs `body`, then stops `server` (if any) whether or not `body` threw: a `defer` cannot await.
nonisolated(nonsending) func stopping<T>(_ server: DemoServer?, after body: () async throws -> T) async throws -> T {
    do {
        let value = try await body()
        await server?.stop()
        return value
    } catch {
        await server?.stop()
        throw error
    }
}
