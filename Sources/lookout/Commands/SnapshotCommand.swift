import App
import DataSources
import ArgumentParser
import DemoService
import Foundation
import MetricsCore
import Render
import TerminalBackend

/// `lookout snapshot`: one frame of the dashboard on standard output, no curses.
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print one frame of the dashboard as text (for scripts, incident notes and tests).",
        discussion: """
            The source is --prometheus, --scrape, or --demo (a simulated service started in-process).
            With a scraped source Lookout waits for the first scrape, then --after (default: two intervals,
            so rates have two samples); with --prometheus the history comes from the server (default --after 0s).
            """)

    @OptionGroup var source: SourceOptionGroup
    @OptionGroup var layouts: LayoutOptionGroup

    @Flag(name: .long, help: "Snapshot the built-in demo service (implied by --scenario).")
    var demo = false

    @OptionGroup var demoOptions: DemoOptionGroup

    @Option(name: .long, help: ArgumentHelp("Width x height in cells.", valueName: "WxH"))
    var size = TerminalSize(width: 120, height: 40)

    @Option(name: .long, help: ArgumentHelp("Colour escapes: auto (a terminal without NO_COLOR), always or never.",
                                            valueName: "when"))
    var color: ColorMode = .auto

    @Option(name: .long, help: ArgumentHelp(
        "Output format: ansi (colour escapes), text (plain), html or svg (self-contained documents). "
            + "Without it, --color decides between ansi and text.", valueName: "format"))
    var format: FrameFormat?

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file instead of standard output.",
                                                                  valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Collect data this long before drawing.", valueName: "duration"))
    var after: DurationArgument?

    @Option(name: .long, help: ArgumentHelp("Draw from a recording (lookout --record) instead of a live source.",
                                            valueName: "file"))
    var replay: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --replay: the moment to draw, a clock time (03:42, 03:42:10) or an offset from the start (+90s); "
            + "default: the end.", valueName: "time"))
    var at: String?

    var usesDemo: Bool { demo || demoOptions.scenario != nil }

    func validate() throws {
        if usesDemo && source.hasExplicitSource {
            throw ValidationError("--demo cannot be combined with --prometheus or --scrape")
        }
        if replay != nil && (usesDemo || source.hasExplicitSource) {
            throw ValidationError("--replay draws from the recording: no --demo, --prometheus or --scrape")
        }
        if at != nil && replay == nil { throw ValidationError("--at needs --replay") }
    }

    func run() async throws {
        _ = LogSetup.bootstrap()
        if let replay { return try await write(replayFrame(replay)) }
        let inputs = try Inputs.resolve(configPath: source.config, useConfig: !usesDemo, layoutOptions: layouts,
                                        interval: source.interval)
        let intervalMs = inputs.intervalMs
        let (built, server) = try await SourceWiring.demoOrConfigured(
            usesDemo: usesDemo, demo: demoOptions, source: source, config: inputs.config, intervalMs: intervalMs)
        let scraped = !(built.source is PrometheusSource)
        let afterMs = after?.milliseconds ?? (scraped ? 2 * intervalMs : 0)
        let style = SnapshotStyle.detect(colorMode: color)
        let caps = format?.caps(localeIsUTF8: style.caps.unicode) ?? style.caps
        let state = AppState(layouts: inputs.layouts, rangeMs: inputs.rangeMs)
        let request = Snapshot.Request(
            state: state, settings: SessionSettings(intervalMs: intervalMs, insecure: built.insecure, demo: usesDemo),
            width: size.width, height: size.height, caps: caps, afterMs: afterMs)
        let buffer = try await stopping(server) {
            let feed = try await RulesWiring.feed(paths: inputs.rulePaths, built: built)
            return await SnapshotCollector.collect(request, source: built.source, feed: feed, waitForData: scraped)
        }
        try write(format?.encode(buffer) ?? style.text(buffer))
    }

    /// One frame of a recording at `--at`, the rules stepped there from its start.
    private func replayFrame(_ path: String) async throws -> String {
        let replay = try ReplayInputs.open(path, layouts: layouts, interval: source.interval)
        let at = try at.map { try ReplayTime.resolve($0, in: replay.recording) } ?? replay.recording.lastMs
        let style = SnapshotStyle.detect(colorMode: color)
        let request = Snapshot.Request(
            state: AppState(layouts: replay.inputs.layouts, rangeMs: replay.inputs.rangeMs),
            settings: SessionSettings(intervalMs: replay.inputs.intervalMs),
            width: size.width, height: size.height, caps: format?.caps(localeIsUTF8: style.caps.unicode) ?? style.caps,
            afterMs: 0)
        let rules = await replay.rules()
        await ReplayInputs.stepRules(rules?.manager, from: replay.recording.firstMs, to: at)
        let buffer = await Snapshot.frame(request, source: replay.source, alerts: rules?.feed, now: at, clock: .fixed(at))
        return format?.encode(buffer) ?? style.text(buffer)
    }

    private func write(_ text: String) throws {
        if let output {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output)) } catch {
                throw ValidationError("cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            print(text, terminator: "")
        }
    }
}

/// Runs the source (and rules) for the requested time, then draws.
enum SnapshotCollector {
    static func collect(_ request: Snapshot.Request, source: any QuerySource, feed: RulesFeed?,
                        waitForData: Bool) async -> Render.Buffer {
        let firstData = FirstSignal()
        source.setDataHandler { firstData.mark() }
        source.start()
        // Embedded mode has nothing older than this: long ranges are drawn over the history that exists.
        var request = request
        if request.historyStart == nil, !source.targets().isEmpty { request.historyStart = WallClock.system.now() }
        if waitForData {
            // The first scrape, bounded so that a dead target still gives a frame (showing why).
            await firstData.wait(timeoutMs: request.settings.intervalMs + 10_000)
        }
        if request.afterMs > 0 {
            feed?.start(clock: .system)
            try? await Task.sleep(nanoseconds: UInt64(request.afterMs) * 1_000_000)
            // An evaluation still running would make `evaluateOnce` below evaluate nothing.
            await feed?.stopAndWait()
        }
        let now = WallClock.system.now()
        let buffer: Render.Buffer
        if waitForData {
            // Embedded: the recording rules write series the panels show, so they go first.
            await feed?.evaluateOnce(at: now)
            buffer = await Snapshot.frame(request, source: source, alerts: feed, now: now, clock: .system)
        } else {
            // Server mode: the rules (one query after another) only give Lookout's own alerts; they
            // run beside the panels' queries instead of before them.
            buffer = await Snapshot.frame(request, source: source, alerts: feed, now: now, clock: .system,
                                          alertsReady: { await feed?.evaluateOnce(at: now) })
        }
        source.stop()
        return buffer
    }
}
