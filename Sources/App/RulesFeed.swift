import Foundation
import MetricsCore
import Rules
import Synchronization

/// Lookout's own rules evaluated live: a task ticks the rule manager about once a second (it
/// evaluates each group on its own interval) and checks the files for edits every few seconds.
public final class RulesFeed: AlertFeed {
    private let manager: RuleManager
    private let loop = Locked<Task<Void, Never>?>(nil)
    private let loadProblems = Locked<[String]>([])
    private let extra: (@Sendable () -> [AlertInstance])?

    /// `extraAlerts` adds alerts from elsewhere (a server's `/api/v1/alerts`), merged in by origin.
    public init(manager: RuleManager, extraAlerts: (@Sendable () -> [AlertInstance])? = nil) {
        self.manager = manager
        self.extra = extraAlerts
    }

    /// Loads the rule files; on failure the feed runs with no rules and reports why.
    public func load(paths: [String]) async {
        do {
            try await manager.loadFiles(paths)
            loadProblems.withLock { $0 = [] }
        } catch {
            let text = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            loadProblems.withLock { $0 = ["rules: \(text)"] }
        }
    }

    public func start(clock: WallClock) {
        let manager = self.manager, problems = self.loadProblems
        let task = Task.detached {
            var ticks = 0
            while !Task.isCancelled {
                _ = await manager.evaluateDue(now: clock.now())
                ticks += 1
                if ticks % 5 == 0 {
                    do {
                        if try await manager.reloadIfChanged() { problems.withLock { $0 = [] } }
                    } catch {
                        let text = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
                        problems.withLock { $0 = ["rules: \(text)"] }
                    }
                }
                try? await Task.sleep(nanoseconds: 1_000_000_000)
            }
        }
        loop.withLock { $0 = task }
    }

    public func stop() {
        loop.withLock { t in
            t?.cancel()
            t = nil
        }
    }

    /// Evaluates every group once now (snapshots, which do not wait for intervals).
    public func evaluateOnce(at time: Timestamp) async {
        await manager.evaluateAll(at: time)
    }

    public func currentAlerts() -> [AlertInstance] {
        manager.alerts() + (extra?() ?? [])
    }

    public func problems() -> [String] {
        let failing = manager.ruleStatuses().filter { $0.health == .error }
        let ruleErrors = failing.prefix(1).map { "rule \($0.name): \($0.lastError ?? "error")" }
        return loadProblems.withLock { $0 } + ruleErrors
    }
}

/// A value behind a lock, shareable between tasks (a Mutex cannot be captured).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
