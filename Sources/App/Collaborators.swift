import Foundation
import Logging
import MetricsCore
import Render
import Rules
import Synchronization
import TerminalBackend

/// Where the dashboard gets its alerts (Lookout's own rules, a server's alerts, or both).
public protocol AlertFeed: AnyObject, Sendable {
    /// Pending, firing and recently resolved alerts at this moment.
    func currentAlerts() -> [AlertInstance]
    /// Problems to show in the status line (a rules file that failed to load, say).
    func problems() -> [String]
    /// The expression of each alerting rule by alert name, so that graphs sharing a metric with an
    /// alert can carry its transitions as markers. Optional: feeds that do not know return none.
    func ruleExpressions() -> [String: String]
}

extension AlertFeed {
    public func ruleExpressions() -> [String: String] { [:] }
}

/// Demo mode: the key `s` switches the simulated service's scenario.
public protocol DemoControl: AnyObject, Sendable {
    var scenarioNames: [String] { get }
    var currentScenario: String { get }
    func setScenario(named: String)
}

/// The wall clock in milliseconds; injected so that snapshots and tests can fix time.
public struct WallClock: Sendable {
    public var now: @Sendable () -> Timestamp

    public init(now: @escaping @Sendable () -> Timestamp) { self.now = now }

    public static let system = WallClock { Timestamp((Date().timeIntervalSince1970 * 1000).rounded()) }

    public static func fixed(_ t: Timestamp) -> WallClock { WallClock { t } }
}

/// Things handed from worker tasks to the event loop: finished refreshes and "new data" notices.
final class Mailbox: Sendable {
    private struct Contents {
        var results: [FetchResult] = []
        var dataArrived = false
        var variables: [Int: [String: [String]]] = [:]
        var vocabulary: CompletionVocabulary?
    }

    private let contents = Mutex(Contents())
    /// The newest Grafana annotation events per layout index (kept apart: `take` empties the rest).
    private let annotations = Mutex([Int: [TimeMarker]]())

    func post(annotations markers: [TimeMarker], layout: Int) { annotations.withLock { $0[layout] = markers } }
    func takeAnnotations() -> [Int: [TimeMarker]] { annotations.withLock { a in defer { a = [:] }; return a } }

    func post(_ r: FetchResult) { contents.withLock { $0.results.append(r) } }
    /// Posts results and wakes the loop (for answers coming in the middle of a batch).
    func poster(waking wake: WakePipe) -> @Sendable (FetchResult) -> Void {
        { [self] r in
            post(r)
            wake.wake()
        }
    }
    func noteData() { contents.withLock { $0.dataArrived = true } }
    func post(variables: [String: [String]], layout: Int) { contents.withLock { $0.variables[layout] = variables } }

    func post(vocabulary: CompletionVocabulary) {
        contents.withLock { c in
            var v = c.vocabulary ?? CompletionVocabulary()
            v.merge(vocabulary)
            c.vocabulary = v
        }
    }

    func take() -> (results: [FetchResult], dataArrived: Bool, variables: [Int: [String: [String]]],
                    vocabulary: CompletionVocabulary?) {
        contents.withLock { c in
            defer { c = Contents() }
            return (c.results, c.dataArrived, c.variables, c.vocabulary)
        }
    }
}

/// A swift-log handler that appends to a file. The dashboard owns the terminal, so logs never go
/// to stdout or stderr while it runs.
public struct FileLogHandler: LogHandler {
    private let sink: LogSink
    private let label: String
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info

    public init(label: String, sink: LogSink) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = ISO8601DateFormatter().string(from: Date())
        sink.write("\(stamp) \(event.level) \(label): \(event.message)\(meta)\n")
    }
}

/// An open log file shared by every logger.
public final class LogSink: Sendable {
    private let handle: Mutex<FileHandle?>

    public init?(path: String) {
        let fm = FileManager.default
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        if !fm.fileExists(atPath: path) { _ = fm.createFile(atPath: path, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: path) else { return nil }
        h.seekToEndOfFile()
        handle = Mutex(h)
    }

    func write(_ line: String) {
        handle.withLock { $0?.write(Data(line.utf8)) }
    }
}
