import MetricsCore
import Logging
import Render
import TerminalBackend

/// Opening the real terminal and the text output of snapshots: the two ends of the screen code.
public enum LiveDashboard {
    /// Opens the terminal, runs the dashboard until quit and restores the terminal.
    public static func run(state: AppState, source: any QuerySource, settings: SessionSettings,
                           colorMode: ColorMode, alerts: AlertFeed? = nil, demo: DemoControl? = nil,
                           logger: Logger = Logger(label: "lookout"), clock: WallClock = .system,
                           replay: ReplayControl? = nil) throws(TerminalError) -> Int32 {
        let facts = EnvironmentFacts.detect()
        let terminal = try Terminal(options: Terminal.Options(colorMode: colorMode), facts: facts)
        let session = DashboardSession(state: state, source: source, settings: settings, alerts: alerts,
                                       demo: demo, clock: clock, logger: logger, replay: replay)
        return session.run(on: terminal)
    }
}

/// What a snapshot may use, decided from the locale and `--color` like the live screen.
public struct SnapshotStyle: Sendable {
    public var caps: TerminalCaps
    public var depth: ColorDepth

    /// Reads the locale (UTF-8 or ASCII drawing) and decides the colours for standard output.
    public static func detect(colorMode: ColorMode) -> SnapshotStyle {
        let facts = EnvironmentFacts.detect()
        let depth = TerminalPolicy.streamColorDepth(mode: colorMode, noColor: facts.noColor,
                                                    isTerminal: facts.stdoutIsTerminal, term: facts.term)
        return SnapshotStyle(caps: TerminalCaps(unicode: facts.isUTF8, colors: depth.rawValue), depth: depth)
    }

    public func text(_ buffer: Buffer) -> String { ANSIEncoder.encode(buffer, depth: depth) }
}
