import App
import ArgumentParser
import Foundation
import HTTPClient
import TerminalBackend

/// `lookout`: the root. With no subcommand it opens the dashboard (`DashboardCommand`), so that
/// `lookout --prometheus URL` works; subcommands have their own options without clashes.
struct Lookout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookout",
        abstract: "A terminal dashboard for on-call engineers: live PromQL panels, alerts and a health score.",
        discussion: """
            `lookout [options]` opens the dashboard (see `lookout dashboard --help` for its options).
            Try `lookout demo` to see it on a simulated service.
            """,
        version: "lookout \(LookoutVersion.string)",
        subcommands: [DashboardCommand.self, DemoCommand.self, SnapshotCommand.self, CheckCommand.self,
                      QueryCommand.self, TestCommand.self, RecordCommand.self, ReplayCommand.self],
        defaultSubcommand: DashboardCommand.self)
}

/// Opens the dashboard on a source.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the dashboard (the default command).",
        discussion: """
            Keys: q quit, ? help, Tab next layout, 1-9 layout, p pause, r refresh, +/- range,
            arrows select, Enter zoom, Esc back, t targets, a alerts, S save the screen (HTML).
            """)

    @OptionGroup var source: SourceOptionGroup
    @OptionGroup var layouts: LayoutOptionGroup
    @OptionGroup var display: DisplayOptionGroup
    @OptionGroup var recording: RecordOptionGroup

    /// On the main actor: the dashboard's loop blocks its thread, which must not be a cooperative one.
    @MainActor func run() async throws {
        let logger = LogSetup.bootstrap()
        let inputs = try Inputs.resolve(configPath: source.config, useConfig: true, layoutOptions: layouts,
                                        interval: source.interval)
        if recording.record != nil, source.prometheus != nil || inputs.config?.prometheus != nil {
            throw CLIError("--record needs embedded mode (--scrape): a Prometheus server keeps its own data", status: 64)
        }
        let session = try RecordingSession.open(recording, intervalMs: inputs.intervalMs, layouts: inputs.layouts,
                                                source: "scrape")
        let built = try SourceWiring.make(source, config: inputs.config, intervalMs: inputs.intervalMs,
                                          recorder: session?.writer)
        let status = try await DashboardLauncher.run(inputs: inputs, built: built, display: display, demo: nil,
                                               logger: logger, recording: session)
        if status != 0 { throw ExitCode(status) }
    }
}

/// How the screen looks.
struct DisplayOptionGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Colours: auto (honours NO_COLOR), always or never.", valueName: "when"))
    var color: ColorMode = .auto

    @Flag(name: .long, help: "Ring the terminal bell once when an alert starts firing.")
    var bell = false
}
