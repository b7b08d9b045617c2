import App
import ArgumentParser
import DataSources
import Foundation
import HTTPClient
import MetricsCore
import Rules
import Synchronization

/// `--record FILE` and its size bound, for the dashboard, `demo` and `record`.
struct RecordOptionGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Record every scraped sample (OpenMetrics with timestamps, for promtool), alert transitions and the "
            + "layouts in use (FILE.events.jsonl). Embedded mode only; never overwrites a file.", valueName: "file"))
    var record: String?

    @Option(name: .customLong("record-max-size"), help: ArgumentHelp(
        "Stop recording when the file would pass this size (K, M, G suffixes; default 1G).", valueName: "size"))
    var recordMaxSize: ByteSize = ByteSize(bytes: 1 << 30)
}

/// `512M`, `1G`, `64K`, `1000` (binary multiples).
struct ByteSize: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let bytes: Int64

    init(bytes: Int64) { self.bytes = bytes }

    init?(argument: String) {
        var text = argument.uppercased().trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("B") { text.removeLast() }
        if text.hasSuffix("I") { text.removeLast() }
        var shift: Int64 = 0
        switch text.last {
        case "K": shift = 10
        case "M": shift = 20
        case "G": shift = 30
        default: break
        }
        if shift > 0 { text.removeLast() }
        guard let n = Int64(text), n > 0, n < (Int64(1) << (62 - shift)) else { return nil }
        bytes = n << shift
    }

    var description: String { "\(bytes)" }
}

/// A recording in progress: the writer, and a watcher that writes alert transitions to the sidecar.
final class RecordingSession: Sendable {
    let writer: RecordingWriter
    private let watcher = Mutex<Task<Void, Never>?>(nil)
    private let known = Mutex<[String: String]>([:])

    private init(writer: RecordingWriter) { self.writer = writer }

    /// Opens `--record`'s file (nil without the flag) and writes the start event.
    static func open(_ options: RecordOptionGroup, intervalMs: Int64, layouts: [LayoutEntry],
                     source: String) throws -> RecordingSession? {
        guard let path = options.record else { return nil }
        return try open(path: path, maxBytes: options.recordMaxSize.bytes, intervalMs: intervalMs, layouts: layouts,
                        source: source)
    }

    static func open(path: String, maxBytes: Int64, intervalMs: Int64, layouts: [LayoutEntry],
                     source: String) throws -> RecordingSession {
        let writer: RecordingWriter
        do {
            writer = try RecordingWriter(path: path, maxBytes: maxBytes)
        } catch {
            throw CLIError("cannot record: \(error)", status: 73)
        }
        writer.event([
            "event": .string("start"), "t": .number(WallClock.system.now()), "interval_ms": .number(intervalMs),
            "layouts": .strings(layouts.map { $0.path ?? $0.name }),
            "titles": .strings(layouts.map(\.dashboard.title)), "source": .string(source),
            "version": .string(LookoutVersion.string),
        ])
        return RecordingSession(writer: writer)
    }

    /// Writes alert transitions as the rules see them, checked every interval.
    func watch(_ feed: AlertFeed?, intervalMs: Int64) {
        guard let feed else { return }
        let task = Task.detached { [self] in
            while !Task.isCancelled {
                noteAlerts(feed.currentAlerts())
                try? await Task.sleep(nanoseconds: UInt64(max(200, intervalMs / 2)) * 1_000_000)
            }
        }
        watcher.withLock { $0 = task }
    }

    /// Compares with the states seen before; a change (or an alert gone) is one event.
    func noteAlerts(_ alerts: [AlertInstance]) {
        let now = WallClock.system.now()
        var current: [String: (String, AlertInstance)] = [:]
        for a in alerts where a.origin == .lookout {
            current[a.name + a.labels.description] = (a.resolvedState, a)
        }
        let changes = known.withLock { seen -> [(String, AlertInstance?, String)] in
            var out: [(String, AlertInstance?, String)] = []
            for (key, (state, alert)) in current where seen[key] != state {
                out.append((key, alert, state))
                seen[key] = state
            }
            for key in seen.keys where current[key] == nil && seen[key] != "gone" {
                out.append((key, nil, "gone"))
                seen[key] = "gone"
            }
            return out
        }
        for (key, alert, state) in changes.sorted(by: { $0.0 < $1.0 }) {
            var labels: [String: String] = [:]
            for l in alert?.labels ?? Labels() { labels[l.name] = l.value }
            // The rules' own time of the transition (an evaluation slot), else when it was seen.
            let at: Date? = switch state {
            case "pending": alert?.activeAt
            case "firing": alert?.firedAt
            case "resolved": alert?.resolvedAt
            default: nil
            }
            let t = at.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } ?? now
            writer.event(["event": .string("alert"), "t": .number(t), "seen": .number(now), "state": .string(state),
                          "alert": .string(alert?.name ?? key), "labels": .object(labels)])
        }
    }

    /// The feed the dashboard shows, with the size-limit message among its problems.
    func feed(wrapping inner: AlertFeed?) -> AlertFeed { RecordingNoticeFeed(inner: inner, writer: writer) }

    func stop() {
        watcher.withLock { $0?.cancel() }
        writer.close()
    }
}

extension AlertInstance {
    /// `resolved` for an alert kept on screen after it stopped firing.
    var resolvedState: String { state == .inactive && resolvedAt != nil ? "resolved" : state.rawValue }
}

/// Passes the rules' alerts through and adds the recorder's message to the status line.
final class RecordingNoticeFeed: AlertFeed {
    let inner: AlertFeed?
    let writer: RecordingWriter

    init(inner: AlertFeed?, writer: RecordingWriter) {
        self.inner = inner
        self.writer = writer
    }

    func currentAlerts() -> [AlertInstance] { inner?.currentAlerts() ?? [] }
    func problems() -> [String] { (inner?.problems() ?? []) + [writer.limitMessage].compactMap { $0 } }
    func ruleExpressions() -> [String: String] { inner?.ruleExpressions() ?? [:] }
}
