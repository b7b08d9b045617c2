import Foundation
import MetricsCore
import Synchronization

/// Server mode on a server that does not run Lookout's recording rules (VictoriaMetrics without
/// vmalert, a Prometheus without the rule files): a query naming a recorded series the server lacks
/// (`perfect21_performance_score`) is sent with the rule's expression inlined instead, so the panel
/// still draws, and the answer carries a note saying so (`note(_:)`).
///
/// Which recorded series the server has is asked with one query (`count by (__name__)` over the
/// recorded names) at the first query that names one, then again at most every `recheckMs`: a
/// refresh costs no extra request. Until the rules are known (`setRules`), queries pass unchanged.
public final class RecordedSeriesInlining: Sendable {
    /// Sends a query as written (never through `rewrite`).
    public typealias Check = @Sendable (_ expr: String, _ time: Timestamp) async -> QueryOutcome

    private let check: Check
    private let recheckMs: Int64
    private let clock: @Sendable () -> Timestamp
    private let state = Mutex(State())

    private struct State {
        /// Recorded name → expression, for rules without extra labels (those can be inlined).
        var recorded: [String: String] = [:]
        /// The recorded names the server lacked at the last check.
        var missing: Set<String> = []
        var checkedAt: Timestamp?
        var check: Task<Void, Never>?
    }

    public init(recheckMs: Int64 = 60_000,
                clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date().timeIntervalSince1970 * 1000) },
                check: @escaping Check) {
        self.check = check
        self.recheckMs = recheckMs
        self.clock = clock
    }

    /// The loaded rule groups (again after every reload); the next query checks the server anew.
    public func setRules(_ groups: [RuleGroupDefinition]) {
        var recorded: [String: String] = [:]
        for g in groups {
            for r in g.rules where r.kind == .recording && r.labels.isEmpty && recorded[r.name] == nil {
                recorded[r.name] = r.expr
            }
        }
        state.withLock { s in
            if s.recorded != recorded { s.checkedAt = nil }
            s.recorded = recorded
        }
    }

    /// Asks the server now without waiting for the answer (start-up: the first queries naming a
    /// recorded series, the Health score's among them, then find the answer there or on its way).
    public func checkSoon() {
        Task { await refreshIfDue() }
    }

    /// Recorded series the server lacked at the last check.
    public var missingSeries: Set<String> { state.withLock { $0.missing } }

    /// The text a panel shows for an inlined query; it starts with `notePrefix`.
    public static func note(_ names: [String]) -> String {
        "\(notePrefix)\(names.count == 1 ? "" : "s") \(names.joined(separator: ", ")) (not on the server)"
    }

    /// App's QueryAnnotations shows it as information, not as a warning.
    public static let notePrefix = "inlined recording rule"

    /// The expression to send, and the note to show when it inlined something.
    public func rewrite(_ expr: String) async -> (expr: String, note: String?) {
        let recorded = state.withLock { $0.recorded }
        guard !recorded.isEmpty, recorded.keys.contains(where: { expr.contains($0) }) else { return (expr, nil) }
        await refreshIfDue()
        let missing = state.withLock { $0.missing }
        let used = recorded.keys.filter { missing.contains($0) && expr.contains($0) }
        guard !used.isEmpty else { return (expr, nil) }
        // Only the missing ones: a chain stops at a recorded series the server does have.
        let subset = recorded.filter { missing.contains($0.key) }
        let sent = RecordingRuleInliner.inline(expr, recorded: subset, rangesAsSubqueries: true)
        guard sent != expr else { return (expr, nil) }
        return (sent, Self.note(used.sorted()))
    }

    /// Asks the server which recorded series it has, once per `recheckMs`; concurrent callers share
    /// one check. On failure the last answer stays, and the check is retried after 10 s.
    private func refreshIfDue() async {
        let now = clock()
        let task: Task<Void, Never>? = state.withLock { s in
            if let running = s.check { return running }
            if let at = s.checkedAt, now - at < recheckMs { return nil }
            let names = s.recorded.keys.sorted()
            let t = Task { [check] in
                let found = await Self.present(names, check: check, at: now)
                state.withLock { s in
                    if let found {
                        s.missing = Set(names).subtracting(found)
                        s.checkedAt = now
                    } else {
                        // No answer: keep the last one, and ask again in 10 s rather than every query.
                        s.checkedAt = now - recheckMs + min(recheckMs, 10_000)
                    }
                    s.check = nil
                }
            }
            s.check = t
            return t
        }
        await task?.value
    }

    /// The names among `names` that have a series on the server now; nil when the server did not answer.
    static func present(_ names: [String], check: Check, at time: Timestamp) async -> Set<String>? {
        guard !names.isEmpty else { return [] }
        let pattern = names.map(escapeRegex).joined(separator: "|")
        let query = "count by (__name__) ({__name__=~\"\(pattern)\"})"
        guard case .success(let value) = await check(query, time).result else { return nil }
        guard case .vector(let samples) = value else { return [] }
        return Set(samples.compactMap { $0.labels.name })
    }

    /// RE2 escaping for a metric name inside a double-quoted PromQL string (names are [a-zA-Z0-9_:]).
    static func escapeRegex(_ name: String) -> String {
        var out = ""
        for ch in name {
            if "\\.+*?()|[]{}^$".contains(ch) { out += "\\\\" }
            out.append(ch)
        }
        return out
    }
}
