import App
import Foundation
import Layouts
import MetricsCore
import Render

/// A query source that answers every expression with deterministic, smooth values derived from
/// the expression's text, so that snapshots of any layout are stable and every panel has data.
final class FakeQuerySource: QuerySource, @unchecked Sendable {
    let displayName = "fake"
    private let lock = NSLock()
    private var _instantCalls: [String] = []
    private var _rangeCalls: [(String, Timestamp, Timestamp, Int64)] = []
    var failing: [String: QueryFailure] = [:]
    var empty: Set<String> = []
    var warnings: [String: String] = [:]

    var instantCalls: [String] { lock.withLock { _instantCalls } }
    var rangeCalls: [(String, Timestamp, Timestamp, Int64)] { lock.withLock { _rangeCalls } }

    func start() {}
    func stop() {}
    func targets() -> [TargetStatus] { [TargetStatus(job: "fake", url: "http://127.0.0.1:1/metrics", health: .up)] }
    func serverInfo() -> String? { nil }
    func setDataHandler(_ handler: @escaping @Sendable () -> Void) {}

    func instantQuery(_ expr: String, at time: Timestamp) async -> QueryOutcome {
        lock.withLock { _instantCalls.append(expr) }
        if let f = failing[expr] { return .failure(f) }
        if empty.contains(expr) { return .success(.vector([])) }
        return .success(.vector(Self.series(expr).map { InstantSample(labels: $0, sample: Sample(t: time, v: Self.value(expr, $0, time))) }),
                        warnings: warnings[expr].map { [$0] } ?? [])
    }

    func rangeQuery(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async -> QueryOutcome {
        lock.withLock { _rangeCalls.append((expr, start, end, step)) }
        if let f = failing[expr] { return .failure(f) }
        if empty.contains(expr) { return .success(.matrix([])) }
        let times = stride(from: start, through: end, by: Int(max(1, step)))
        return .success(.matrix(Self.series(expr).map { labels in
            SeriesSamples(labels: labels, samples: times.map { Sample(t: $0, v: Self.value(expr, labels, $0)) })
        }))
    }

    /// Expressions grouped `by (handler)` get several series; the rest one.
    static func series(_ expr: String) -> [Labels] {
        if expr.contains("handler") {
            return ["/api/auth/login", "/api/files/upload", "/api/user/profile"].map { Labels(["handler": $0]) }
        }
        return [Labels()]
    }

    /// A positive wave whose size and phase depend on the expression, values a stat can show.
    static func value(_ expr: String, _ labels: Labels, _ t: Timestamp) -> Double {
        var h: UInt64 = 1469598103934665603
        for b in (expr + labels.description).utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        let base = Double(h % 900 + 100) / 10  // 10.0 ... 99.9
        let phase = Double(h % 628) / 100
        return base * (1 + 0.2 * sin(Double(t) / 120_000 + phase))
    }
}

enum Fixtures {
    static func panel(_ title: String, _ type: PanelType, x: Int, y: Int, w: Int, h: Int,
                      exprs: [String] = [], legend: String? = nil) -> Panel {
        Panel(title: title, type: type, gridPos: GridPos(x: x, y: y, w: w, h: h),
              targets: exprs.map { Target(expr: $0, legendFormat: legend) })
    }

    /// Four panels in a 2×2 grid.
    static func grid() -> Dashboard {
        Dashboard(title: "Grid", panels: [
            panel("A", .stat, x: 0, y: 0, w: 12, h: 4, exprs: ["a"]),
            panel("B", .graph, x: 12, y: 0, w: 12, h: 4, exprs: ["b"]),
            panel("C", .gauge, x: 0, y: 4, w: 12, h: 4, exprs: ["a"]),
            panel("D", .table, x: 12, y: 4, w: 12, h: 4, exprs: ["d"]),
        ])
    }

    static func state(layouts: Int = 3) -> AppState {
        AppState(layouts: (0..<layouts).map { LayoutEntry(name: "l\($0)", dashboard: grid()) }, rangeMs: 15 * 60_000)
    }

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
