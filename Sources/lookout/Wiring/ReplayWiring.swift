import App
import ArgumentParser
import DataSources
import Foundation
import MetricsCore
import Render
import Rules

/// Opening a recording for `replay` and `snapshot --replay`: the samples, the layouts it was
/// recorded with (unless --layout names others), the rules on top.
struct ReplayInputs {
    var recording: Recording
    var source: RecordingReplaySource
    var inputs: Inputs

    static func open(_ path: String, layouts: LayoutOptionGroup, interval: DurationArgument?,
                     tickMs: Int64 = 1000) throws -> ReplayInputs {
        let recording: Recording
        do { recording = try Recording.read(path: path) } catch { throw CLIError("cannot replay: \(error)", status: 66) }
        var layoutOptions = layouts
        if layoutOptions.layout.isEmpty {
            layoutOptions.layout = recording.layouts.filter { FileManager.default.fileExists(atPath: $0) }
        }
        let recordedInterval = recording.intervalMs.map { DurationArgument(milliseconds: $0) }
        let inputs = try Inputs.resolve(configPath: nil, useConfig: false, layoutOptions: layoutOptions,
                                        interval: interval ?? recordedInterval)
        return ReplayInputs(recording: recording, source: RecordingReplaySource(recording, tickMs: tickMs),
                            inputs: inputs)
    }

    /// The rules (`--rules`, else the standard folders) as a feed, with its manager for stepping.
    func rules() async -> (feed: RulesFeed, manager: RuleManager)? {
        let files = inputs.rulePaths.isEmpty ? RulesWiring.defaultRuleFiles() : inputs.rulePaths
        guard !files.isEmpty else { return nil }
        let source = self.source
        let manager = RuleManager(query: { expr, t in await source.instantQuery(expr, at: t) },
                                  appender: recording.store)
        let feed = RulesFeed(manager: manager)
        await feed.load(paths: files)
        return (feed, manager)
    }

    /// Evaluates the rules from the start of the recording to `time` as the live feed did: each group
    /// at its own interval's slots, ticked every second, so that alert states and their `for:` come
    /// out at the same moments as while recording.
    static func stepRules(_ manager: RuleManager?, from start: Timestamp, to time: Timestamp) async {
        guard let manager else { return }
        var t = start
        while t < time {
            _ = await manager.evaluateDue(now: t)
            t += 1000
        }
        _ = await manager.evaluateDue(now: time)
    }
}

/// `--at`: a clock time (`03:42`, `03:42:10`, local) during the recording, or an offset from its
/// start (`+90s`, `+1h2m`).
enum ReplayTime {
    static func resolve(_ text: String, in recording: Recording,
                        timeZone: TimeZone = .current) throws -> Timestamp {
        if text.hasPrefix("+") {
            guard let d = DurationArgument(argument: String(text.dropFirst())) else {
                throw ValidationError("--at \(text): not an offset like +90s or +5m")
            }
            return min(recording.lastMs, recording.firstMs + d.milliseconds)
        }
        let parts = text.split(separator: ":").map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }),
              let h = parts[0], let m = parts[1], (0..<24).contains(h), (0..<60).contains(m),
              (0..<60).contains(parts.count == 3 ? parts[2]! : 0) else {
            throw ValidationError("--at \(text): not a time like 03:42, 03:42:10 or +90s")
        }
        let s = parts.count == 3 ? parts[2]! : 0
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let startDay = calendar.startOfDay(for: Date(timeIntervalSince1970: Double(recording.firstMs) / 1000))
        // The first such clock time from the recording's first day on that falls inside it.
        for day in 0..<400 {
            guard let date = calendar.date(byAdding: DateComponents(day: day, hour: h, minute: m, second: s), to: startDay)
            else { break }
            let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
            if ms > recording.lastMs { break }
            if ms >= recording.firstMs { return ms }
        }
        throw ValidationError("--at \(text): the recording runs from \(clock(recording.firstMs, timeZone)) "
                              + "to \(clock(recording.lastMs, timeZone))")
    }

    static func clock(_ ms: Timestamp, _ timeZone: TimeZone) -> String {
        let f = DateFormatter()
        f.timeZone = timeZone
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
