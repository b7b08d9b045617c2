import App
import ArgumentParser
import DemoService
import Foundation

/// `lookout demo`: a simulated service on loopback, and the dashboard scraping it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve a simulated service on loopback and open the dashboard on it.",
        discussion: "Press `s` in the dashboard to switch scenario. With --serve-only, only serve and print the URL.")

    @OptionGroup var demo: DemoOptionGroup

    @Option(name: .long, help: ArgumentHelp("Address to serve on (default: 127.0.0.1 on a free port).",
                                            valueName: "host:port"))
    var listen: String?

    @Flag(name: .customLong("serve-only"), help: "Only serve /metrics; print its URL and run until stopped.")
    var serveOnly = false

    @Option(name: .long, help: ArgumentHelp("Scrape interval (default: the layout's, else 5s).", valueName: "duration"))
    var interval: DurationArgument?

    @Option(name: .customLong("incident-after"),
            help: ArgumentHelp("Incident scenario: delay from choosing it (at start or with s) to the degradation (default 60s).",
                               valueName: "duration"))
    var incidentAfter: DurationArgument?

    @Option(name: .customLong("incident-duration"),
            help: ArgumentHelp("Incident scenario: how long the degradation lasts before recovery (default 4m).",
                               valueName: "duration"))
    var incidentDuration: DurationArgument?

    @OptionGroup var layouts: LayoutOptionGroup
    @OptionGroup var display: DisplayOptionGroup
    @OptionGroup var recording: RecordOptionGroup

    /// The incident's timeline from the flags; also used when `s` switches to `incident` later.
    var incidentTiming: IncidentTiming {
        let defaults = IncidentTiming()
        return IncidentTiming(startOffset: incidentAfter.map { Double($0.milliseconds) / 1000 } ?? defaults.startOffset,
                              duration: incidentDuration.map { Double($0.milliseconds) / 1000 } ?? defaults.duration)
    }

    /// On the main actor: the dashboard's loop and the serve-only wait block their thread, which must
    /// not be a cooperative one.
    @MainActor func run() async throws {
        var address = DemoListenAddress.loopbackAnyPort
        if let listen {
            do { address = try DemoListenAddress(parsing: listen) } catch {
                throw ValidationError("\(error)")
            }
        }
        if serveOnly {
            try await serve(address)
            return
        }
        let logger = LogSetup.bootstrap()
        // The demo is self-contained: no config file, its own source.
        let inputs = try Inputs.resolve(configPath: nil, useConfig: false, layoutOptions: layouts, interval: interval)
        let session = try RecordingSession.open(recording, intervalMs: inputs.intervalMs, layouts: inputs.layouts,
                                                source: "demo")
        let (server, url) = try await demo.startServer(listen: address, incident: incidentTiming)
        let status = try await stopping(server) {
            let built = try SourceWiring.demo(url: url, intervalMs: inputs.intervalMs, recorder: session?.writer)
            return try await DashboardLauncher.run(inputs: inputs, built: built, display: display,
                                                   demo: DemoServerControl(server: server), logger: logger,
                                                   recording: session)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Serves until SIGINT or SIGTERM, for tests, benchmarks and a real Prometheus.
    @MainActor private func serve(_ address: DemoListenAddress) async throws {
        let (server, url) = try await demo.startServer(listen: address, incident: incidentTiming)
        // Unbuffered: a test or a script reads the URL while the server keeps running.
        let text = """
            serving \(server.scenario.rawValue) scenario at \(url.absoluteString)
            prometheus.yml:
              - job_name: \(DemoOptionGroup.job)
                static_configs: [{ targets: ['\(url.host ?? "127.0.0.1"):\(url.port ?? 0)'] }]

            """
        FileHandle.standardOutput.write(Data(text.utf8))
        let signals = StopSignals()
        for await _ in signals.stopped { break }
        await server.stop()
    }
}
