import Layouts
import MetricsCore
import Render

/// Grafana's Prometheus annotations (a dashboard's `annotations.list` with an `expr`): each query is asked
/// as a range query over the graphs' window; every run of present, non-zero points of a series (points
/// no further apart than the step) is one event, marked where it starts on every graph.
enum GrafanaAnnotationMarkers {
    /// At most this many events per query: an expression true at every step must not flood the axis.
    static let maxEventsPerQuery = 200
    /// Labels longer than this are cut (they come from the file and the server's labels).
    static let maxLabel = 80

    /// Asks every enabled query of `dashboard` over the window ending at `end`, variables expanded.
    static func fetch(_ dashboard: Dashboard, source: any QuerySource, end: Timestamp, rangeMs: Int64,
                      intervalMs: Int64, expand: @Sendable (String) -> String) async -> [TimeMarker] {
        let queries = dashboard.annotations.filter(\.enabled)
        guard !queries.isEmpty else { return [] }
        let start = end - rangeMs
        return await withTaskGroup(of: (Int, [TimeMarker]).self) { group in
            for (i, q) in queries.enumerated() {
                let step = q.stepMs ?? max(intervalMs, rangeMs / 240)
                let expr = expand(q.expr)
                group.addTask {
                    let outcome = await source.rangeQuery(expr, start: start, end: end, step: step)
                    guard case .success(.matrix(let series)) = outcome.result else { return (i, []) }
                    return (i, markers(q, series: series, stepMs: step))
                }
            }
            var byQuery: [(Int, [TimeMarker])] = []
            for await answer in group { byQuery.append(answer) }
            return byQuery.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// The events of one query's answer, as markers: letter `A` in the query's `iconColor`, labelled
    /// with its name and the event's title (`titleFormat` over the series' labels).
    static func markers(_ query: AnnotationQuery, series: [SeriesSamples], stepMs: Int64) -> [TimeMarker] {
        let color = query.iconColor.map(color(of:)) ?? .cyan
        var out: [TimeMarker] = []
        for s in series {
            let title = query.titleFormat.map { LegendFormat.expand($0, labels: s.labels) } ?? ""
            let text = title.isEmpty ? query.name : "\(query.name): \(title)"
            let label = text.count > maxLabel ? String(text.prefix(maxLabel - 1)) + "…" : text
            for t in eventStarts(s.samples, stepMs: stepMs) {
                guard out.count < maxEventsPerQuery else { return out.sorted { $0.t < $1.t } }
                out.append(TimeMarker(t: t, letter: "A", color: color, label: "A " + label))
            }
        }
        return out.sorted { $0.t < $1.t }
    }

    /// Where each run of active points starts: a point is active when present and non-zero; a gap wider
    /// than the step ends a run (Grafana groups close points into one region).
    static func eventStarts(_ samples: [Sample], stepMs: Int64) -> [Int64] {
        var starts: [Int64] = []
        var lastActive: Int64?
        for p in samples where p.v != 0 && !p.v.isNaN {
            if let last = lastActive, p.t - last <= stepMs {
                lastActive = p.t
                continue
            }
            starts.append(p.t)
            lastActive = p.t
        }
        return starts
    }

    /// `iconColor` as Grafana writes it: a name or `#hex` (ColorName), or `rgba(r, g, b, a)`.
    static func color(of text: String) -> Color {
        let lower = text.lowercased().filter { !$0.isWhitespace }
        if lower.hasPrefix("rgb"), let open = lower.firstIndex(of: "("), let close = lower.firstIndex(of: ")") {
            let parts = lower[lower.index(after: open)..<close].split(separator: ",").prefix(3).compactMap { Double($0) }
            guard parts.count == 3 else { return .cyan }
            let hex = parts.map { v -> String in
                let byte = Int(max(0, min(255, v)))
                return (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }.joined()
            return ColorName.resolve("#" + hex)
        }
        let c = ColorName.resolve(text)
        return c == .default ? .cyan : c
    }
}
