import App
import ArgumentParser
import DataSources
import Foundation
import Rules

/// `lookout replay FILE`: the dashboard on a recording, in embedded mode with no network. Time
/// starts at the beginning of the recording and runs at `--speed`; `>` / `<` change it, `p` pauses,
/// the time travel keys work on the recorded history. The rules re-evaluate as time passes, so the
/// alerts fire at the moments they fired while recording.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Open the dashboard on a recording (lookout --record), with no network.",
        discussion: "Keys: > faster, < slower (1x, 10x, 60x, max), p pause; the header shows REPLAY and the "
            + "recorded time. The layouts are the recorded ones unless --layout names others.")

    @Argument(help: ArgumentHelp("The recording (FILE; FILE.events.jsonl beside it is read too).", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("Start speed: 1, 10, 60 or max (default 1).", valueName: "speed"))
    var speed: ReplaySpeed = .one

    @Option(name: .long, help: ArgumentHelp("Start at a clock time (03:42) or offset (+5m) instead of the beginning.",
                                            valueName: "time"))
    var from: String?

    @OptionGroup var layouts: LayoutOptionGroup
    @OptionGroup var display: DisplayOptionGroup

    /// On the main actor: the dashboard's loop blocks its thread, which must not be a cooperative one.
    @MainActor func run() async throws {
        let logger = LogSetup.bootstrap()
        let opened = try ReplayInputs.open(file, layouts: layouts, interval: nil)
        let recording = opened.recording
        let start = try from.map { try ReplayTime.resolve($0, in: recording) } ?? recording.firstMs
        let clock = ReplayClock(startMs: start, endMs: recording.lastMs, speed: speed.factor)
        // The same samples, with the clock in the header; told of "new data" four times a second.
        let source = RecordingReplaySource(recording, tickMs: 250, clock: clock)
        var replay = opened
        replay.source = source
        let rules = await replay.rules()
        let stepper = Task.detached { await Self.followClock(clock, rules: rules?.manager, from: recording.firstMs) }
        defer { stepper.cancel() }
        let state = AppState(layouts: replay.inputs.layouts, rangeMs: replay.inputs.rangeMs)
        let settings = SessionSettings(intervalMs: replay.inputs.intervalMs)
        let status: Int32
        do {
            status = try LiveDashboard.run(state: state, source: source, settings: settings, colorMode: display.color,
                                           alerts: rules?.feed, demo: nil, logger: logger,
                                           clock: WallClock { clock.now() }, replay: clock)
        } catch {
            throw CLIError("\(error)")
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Evaluates the rules second by recorded second up to the clock, whatever its speed.
    static func followClock(_ clock: ReplayClock, rules: RuleManager?, from start: Int64) async {
        guard let rules else { return }
        var t = start
        while !Task.isCancelled {
            let target = clock.now()
            while t <= target && !Task.isCancelled {
                _ = await rules.evaluateDue(now: t)
                t += 1000
            }
            // And at the clock's own time: the seconds above keep the phase of the first sample, while
            // scrapes after the first are stamped on whole seconds, so the last slot (a recording
            // often ends on one) would otherwise never be reached. Due slots only: cheap when none is.
            _ = await rules.evaluateDue(now: target)
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
    }
}

enum ReplaySpeed: String, ExpressibleByArgument, CaseIterable {
    case one = "1", ten = "10", sixty = "60", max

    var factor: Double {
        switch self {
        case .one: return 1
        case .ten: return 10
        case .sixty: return 60
        case .max: return ReplayClock.speeds.last!
        }
    }
}

extension ReplayClock: ReplayControl {
    public func changeSpeed(by steps: Int) { step(steps) }
}
