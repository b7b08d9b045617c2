import App
import ArgumentParser
import DataSources
import Foundation
import MetricsCore

/// `lookout record FILE --from URL...`: scrape and record without a screen, for a set time or until
/// stopped (SIGINT, SIGTERM). The rules run too, so the recording has the alert transitions.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Scrape targets and record every sample without a screen (for a postmortem or promtool).",
        discussion: "FILE gets OpenMetrics text with timestamps (promtool tsdb create-blocks-from openmetrics FILE DIR "
            + "backfills a Prometheus from it); FILE.events.jsonl gets the layouts in use and alert transitions. "
            + "Every scrape is fsync'd, so a crash loses at most the scrape in flight. See docs/usage.md.")

    @Argument(help: ArgumentHelp("The recording to create (an existing file is never overwritten).", valueName: "file"))
    var file: String

    @Option(name: .customLong("from"), help: ArgumentHelp("A /metrics endpoint to scrape (repeatable, like --scrape).",
                                                          valueName: "[job=]url"))
    var from: [String] = []

    @Option(name: .long, help: ArgumentHelp("Stop after this long (default: until interrupted).", valueName: "duration"))
    var duration: DurationArgument?

    @Option(name: .customLong("max-size"), help: ArgumentHelp("Stop when the file would pass this size (K, M, G; default 1G).",
                                                              valueName: "size"))
    var maxSize = ByteSize(bytes: 1 << 30)

    @OptionGroup var source: SourceOptionGroup
    @OptionGroup var layouts: LayoutOptionGroup

    func validate() throws {
        if source.prometheus != nil && !(from.isEmpty && source.scrape.isEmpty) {
            throw ValidationError("use either --prometheus or --from/--scrape, not both")
        }
        if source.prometheus != nil && duration != nil {
            throw ValidationError("with --prometheus the layouts' series are fetched once over --range; no --duration")
        }
    }

    func run() async throws {
        _ = LogSetup.bootstrap()
        var sourceOptions = source
        sourceOptions.scrape += from
        let inputs = try Inputs.resolve(configPath: source.config, useConfig: true, layoutOptions: layouts,
                                        interval: source.interval)
        let session = try RecordingSession.open(path: file, maxBytes: maxSize.bytes, intervalMs: inputs.intervalMs,
                                                layouts: inputs.layouts, source: "record")
        let built: BuiltSource
        do {
            built = try SourceWiring.make(sourceOptions, config: inputs.config, intervalMs: inputs.intervalMs,
                                          recorder: session.writer)
        } catch {
            session.stop()
            unlink(file)
            unlink(RecordingWriter.eventsPath(for: file))
            throw error
        }
        if let server = built.source as? PrometheusSource {
            defer { session.stop() }
            return try await Self.fetchOnce(server, session: session, inputs: inputs, file: file)
        }
        let feed = try await RulesWiring.feed(paths: inputs.rulePaths, built: built)
        built.source.start()
        feed?.start(clock: .system)
        session.watch(feed, intervalMs: inputs.intervalMs)
        let end = duration.map { Date().addingTimeInterval(Double($0.milliseconds) / 1000) }
        Self.say("recording to \(file) every \(DurationArgument(milliseconds: inputs.intervalMs))"
                 + (duration.map { " for \($0)" } ?? " until interrupted") + "\n")
        let stop = StopSignals()
        while !stop.requested && !session.writer.limitReached && end.map({ Date() < $0 }) ?? true {
            try? await Task.sleep(nanoseconds: 200_000_000)
        }
        if let message = session.writer.limitMessage { Self.say("lookout: \(message)\n") }
        feed?.stop()
        built.source.stop()
        session.noteAlerts(feed?.currentAlerts() ?? [])
        let counts = session.writer.counts
        session.stop()
        Self.say("recorded \(counts.samples) samples to \(file)"
                 + (counts.skipped > 0 ? " (\(counts.skipped) left out: names the text format cannot carry)" : "")
                 + "; events in \(RecordingWriter.eventsPath(for: file))\n")
        if session.writer.limitReached { throw ExitCode(2) }
    }

    static func say(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    /// Server mode: the raw series behind the layouts' panels, fetched once over the range
    /// (`/api/v1/query_range`), written in the same format.
    static func fetchOnce(_ server: PrometheusSource, session: RecordingSession, inputs: Inputs, file: String) async throws {
        let state = AppState(layouts: inputs.layouts, rangeMs: inputs.rangeMs)
        let selectors = RecordingSelectors.of(state, intervalMs: inputs.intervalMs)
        let end = WallClock.system.now()
        // Prometheus answers at most 11,000 points a series.
        let step = max(inputs.intervalMs, inputs.rangeMs / 10_000 + 1)
        var failures: [String] = []
        // Selectors overlap (`x` and `x{code=~"5.."}`): each series is written once, in time order.
        var written = Set<Labels>()
        for selector in selectors {
            let outcome = await server.rangeQuery(selector, start: end - inputs.rangeMs, end: end, step: step)
            switch outcome.result {
            case .success(.matrix(let series)):
                for s in series where written.insert(s.labels).inserted {
                    session.writer.append(s.samples.map { InstantSample(labels: s.labels, sample: $0) })
                }
            case .success: break
            case .failure(let failure): failures.append("\(selector): \(failure.message)")
            }
        }
        let counts = session.writer.counts
        say("fetched \(selectors.count) selectors over \(DurationArgument(milliseconds: inputs.rangeMs)) at "
            + "\(DurationArgument(milliseconds: step)): \(counts.samples) samples to \(file)\n")
        for f in failures.prefix(10) { say("lookout: \(f)\n") }
        if let message = session.writer.limitMessage { say("lookout: \(message)\n") }
        if !failures.isEmpty || session.writer.limitReached { throw ExitCode(2) }
    }
}
