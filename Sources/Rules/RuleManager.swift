import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MetricsCore
import Synchronization

/// Evaluates one rule expression at a time (ms) and answers like any data source: the embedded
/// engine in embedded mode, an HTTP query to the server in server mode.
public typealias RuleQueryFunction = @Sendable (_ expr: String, _ time: Timestamp) async -> QueryOutcome

/// How one rule fared at its last evaluation (for a rules view and for `lookout check`).
public struct RuleStatus: Hashable, Sendable {
    public enum Health: String, Hashable, Sendable { case unknown, ok, error }
    public var group: String
    public var file: String
    public var name: String
    public var kind: RuleDefinition.Kind
    public var health: Health
    public var lastError: String?
    public var lastEvaluation: Timestamp?
    /// Series produced at the last evaluation (recording) or alerts active (alerting).
    public var seriesCount: Int
}

public struct RuleManagerOptions: Sendable {
    /// Interval for groups that set none (Prometheus' global default is 1m; Lookout's rules set 5s).
    public var defaultInterval: Int64 = 60_000
    /// Write `ALERTS` and `ALERTS_FOR_STATE` series through the appender, as Prometheus does.
    public var writeAlertSeries = true
    public var templateContext = TemplateContext()
    /// Server mode: replace references to Lookout's own recording rules by their expressions
    /// before sending a rule's query (see `RecordingRuleInliner`).
    public var inlineRecordingRules = false
    public init() {}
}

/// Runs rule groups: evaluates each group on its interval through the query function, writes
/// recording-rule output (and stale markers when a series disappears) through the appender, and
/// keeps alert state. The current alerts can be read at any time from any thread with `alerts()`.
public actor RuleManager {
    private let query: RuleQueryFunction
    private let appender: (any SampleAppender)?
    private let options: RuleManagerOptions
    private var groups: [GroupRuntime] = []
    /// Bumped by every load: an evaluation that awaited queries across a reload must not write
    /// back the state of rules that were replaced meanwhile (the actor is re-entrant at `await`).
    private var generation = 0
    /// Evaluations never overlap, even if the app calls `evaluateDue` again while one is waiting.
    private var evaluating = false
    /// Series of rules removed by a reload, to be marked stale at the next evaluation.
    /// With the time of their last sample: the marker must come after it or the store drops it.
    private var orphanedSeries: [(labels: Labels, lastWrite: Timestamp)] = []
    private var watchedFiles: [String] = []
    private var fileFingerprints: [String: FileFingerprint] = [:]
    private let published = Mutex<Published>(Published())

    private struct Published: Sendable {
        var alerts: [AlertInstance] = []
        var statuses: [RuleStatus] = []
        var reloadError: RuleFileErrors?
    }

    public init(query: @escaping RuleQueryFunction, appender: (any SampleAppender)?, options: RuleManagerOptions = RuleManagerOptions()) {
        self.query = query
        self.appender = appender
        self.options = options
    }

    // MARK: Loading

    /// Replaces the rule groups. Rules that keep their group, kind, name, expression and labels
    /// keep their alerts and series; the series of rules that are gone are marked stale.
    public func load(groups newGroups: [RuleGroupDefinition]) {
        var oldByKey: [String: GroupRuntime] = [:]
        for g in groups { oldByKey[g.definition.key] = g }
        var next: [GroupRuntime] = []
        for def in newGroups {
            next.append(GroupRuntime(definition: def, replacing: oldByKey[def.key]))
        }
        if options.inlineRecordingRules {
            for (g, queries) in RecordingRuleInliner.queries(for: newGroups).enumerated() {
                for (r, q) in queries.enumerated() { next[g].rules[r].queryExpr = q }
            }
        }
        let kept = Set(next.flatMap { $0.rules.flatMap { $0.lastSeries } })
        for g in groups {
            for r in g.rules {
                let last = r.lastEvaluation ?? 0
                orphanedSeries += r.lastSeries.filter { !kept.contains($0) }.map { ($0, last) }
            }
        }
        groups = next
        generation += 1
        publish()
    }

    /// Loads rule files (a directory stands for its `*.yml` and `*.yaml` files) and remembers them
    /// for `reloadIfChanged()`. On any error the rules already loaded stay in force.
    public func loadFiles(_ paths: [String]) throws(RuleFileErrors) {
        let files = Self.expand(paths)
        let defs = try RuleFileLoader.load(paths: files)
        watchedFiles = paths
        fileFingerprints = Dictionary(uniqueKeysWithValues: files.map { ($0, FileFingerprint(path: $0)) })
        load(groups: defs)
    }

    /// Reloads the files given to `loadFiles` if any changed, appeared or disappeared.
    /// Returns true when a reload happened; throws (keeping the old rules) if the new files are invalid.
    @discardableResult
    public func reloadIfChanged() throws(RuleFileErrors) -> Bool {
        guard !watchedFiles.isEmpty else { return false }
        let files = Self.expand(watchedFiles)
        let now = Dictionary(uniqueKeysWithValues: files.map { ($0, FileFingerprint(path: $0)) })
        guard now != fileFingerprints else { return false }
        fileFingerprints = now // do not retry a broken file on every tick; wait for the next change
        let defs = try RuleFileLoader.load(paths: files)
        load(groups: defs)
        return true
    }

    static func expand(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
        }
    }

    // MARK: Evaluation

    /// Evaluates every group whose interval has elapsed. Evaluation times are aligned to the
    /// interval (`now` rounded down), so calling this more often than needed does nothing.
    /// Returns the number of groups evaluated.
    @discardableResult
    public func evaluateDue(now: Timestamp) async -> Int {
        guard !evaluating else { return 0 }
        evaluating = true
        defer { evaluating = false }
        var count = 0
        for i in groups.indices where i < groups.count {
            let slot = Self.slot(of: now, interval: interval(of: groups[i]))
            if let last = groups[i].lastEvaluation, slot <= last { continue }
            await evaluateGroup(at: i, time: slot)
            count += 1
        }
        if count > 0 { publish() }
        return count
    }

    /// The earliest time at which `evaluateDue` would evaluate a group: the first slot after each
    /// group's last evaluation (it evaluates once the slot of its `now` is past that), or `now` for
    /// a group never evaluated. Nil without groups. Lets a schedule sleep until then instead of
    /// asking every second.
    public func nextDue(now: Timestamp) -> Timestamp? {
        var next: Timestamp?
        for g in groups {
            let interval = interval(of: g)
            let due = g.lastEvaluation.map { Self.slot(of: $0, interval: interval) + interval } ?? now
            next = min(next ?? due, due)
        }
        return next
    }

    private func interval(of group: GroupRuntime) -> Timestamp {
        max(1, group.definition.interval ?? options.defaultInterval)
    }

    /// The slot `t` falls in: `t` rounded down to a multiple of `interval` (also before 1970).
    private static func slot(of t: Timestamp, interval: Timestamp) -> Timestamp {
        t - ((t % interval) + interval) % interval
    }

    /// Evaluates every group at `time` regardless of intervals (rule tests, `--once`).
    public func evaluateAll(at time: Timestamp) async {
        guard !evaluating else { return }
        evaluating = true
        defer { evaluating = false }
        for i in groups.indices where i < groups.count { await evaluateGroup(at: i, time: time) }
        publish()
    }

    private func evaluateGroup(at index: Int, time: Timestamp) async {
        flushOrphans(at: time)
        let startGeneration = generation
        var group = groups[index]
        for r in group.rules.indices {
            let outcome = await query(group.rules[r].queryExpr, time)
            var rule = group.rules[r]
            rule.evaluate(outcome, at: time, limit: group.definition.limit, options: options, appender: appender)
            group.rules[r] = rule
        }
        group.lastEvaluation = time
        if generation == startGeneration { groups[index] = group }
    }

    private func flushOrphans(at time: Timestamp) {
        guard !orphanedSeries.isEmpty else { return }
        for o in orphanedSeries { appender?.append(o.labels, Sample(t: max(time, o.lastWrite + 1), v: StaleNaN.value)) }
        orphanedSeries = []
    }

    /// Runs until the task is cancelled: every `tick`, reloads changed rule files (an error is
    /// kept for `lastReloadError()` and the old rules stay) and evaluates the groups that are due.
    /// `now` gives the current time in milliseconds (injectable for tests).
    public func run(tick: Duration = .seconds(1),
                    now: @Sendable () -> Timestamp = { Timestamp(Date().timeIntervalSince1970 * 1000) }) async {
        while !Task.isCancelled {
            do {
                try reloadIfChanged()
                published.withLock { $0.reloadError = nil }
            } catch {
                published.withLock { $0.reloadError = error }
            }
            await evaluateDue(now: now())
            try? await Task.sleep(for: tick)
        }
    }

    // MARK: Reading state

    /// The errors of the last failed automatic reload, until a reload succeeds.
    public nonisolated func lastReloadError() -> RuleFileErrors? { published.withLock { $0.reloadError } }

    /// Current alerts (pending, firing, recently resolved) of all rules; safe from any thread.
    public nonisolated func alerts() -> [AlertInstance] { published.withLock { $0.alerts } }

    /// Per-rule health after the last evaluation; safe from any thread.
    public nonisolated func ruleStatuses() -> [RuleStatus] { published.withLock { $0.statuses } }

    /// The loaded groups, in order.
    public func loadedGroups() -> [RuleGroupDefinition] { groups.map(\.definition) }

    private func publish() {
        var alerts: [AlertInstance] = []
        var statuses: [RuleStatus] = []
        for g in groups {
            for r in g.rules {
                if let a = r.alert { alerts += a.instances() }
                statuses.append(RuleStatus(group: g.definition.name, file: g.definition.file, name: r.definition.name,
                                           kind: r.definition.kind, health: r.health, lastError: r.lastError,
                                           lastEvaluation: r.lastEvaluation,
                                           seriesCount: r.alert.map { $0.active.count } ?? r.lastSeries.count))
            }
        }
        let sorted = AlertOrdering.sorted(alerts)
        published.withLock {
            $0.alerts = sorted
            $0.statuses = statuses
        }
    }
}

/// Modification time and a hash of the content: rule files are small, and an edit within the
/// same second that keeps the size must still count as a change. The time comes from one `stat`
/// (FileManager's attributes also looked up the owner's and group's names in /etc/passwd and
/// /etc/group at every check).
struct FileFingerprint: Hashable, Sendable {
    var modified: Double?
    var contentHash: Int?

    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        if info.st_size <= YAMLReader.maxFileBytes, let data = FileManager.default.contents(atPath: path) {
            var h = Hasher()
            h.combine(data)
            contentHash = h.finalize()
        }
    }
}
