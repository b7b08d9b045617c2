import Layouts
import MetricsCore
import Render

/// Grafana's field configuration applied when a panel is drawn: overrides (display name, unit,
/// decimals, thresholds, hidden), value mappings, stat colour mode and table transformations.
extension PanelMapper {
    /// Renames and hides series by the overrides; a unit, decimals or thresholds override applies to the
    /// panel when it selects every series shown (the widgets draw one unit per panel). Value mappings
    /// replace a series' current value by their text.
    static func applyFieldConfig(_ panel: Panel, to out: inout PanelData) {
        if ValueReducer.needsHistory(panel.reducer), let reducer = panel.reducer, panel.type != .graph, panel.type != .table {
            out.series = out.series.map { s in
                // With the window's history the reducer applies; without, the last value stays.
                guard s.points.count >= 2, let v = ValueReducer.reduce(s.points.map(\.v), reducer) else { return s }
                var r = s
                r.lastValue = v
                return r
            }
        }
        guard !panel.overrides.isEmpty || !panel.mappings.isEmpty || panel.colorMode == "none" else { return }
        var shown: [SeriesData] = []
        var resolved: [FieldOverride] = []
        for var s in out.series {
            let o = FieldOverride.resolved(panel.overrides, for: s.name)
            if o.hidden == true { continue }
            if let name = o.displayName, !name.isEmpty { s.name = name }
            let mappings = (o.mappings ?? []) + panel.mappings
            if let m = ValueMapping.first(mappings, for: s.lastValue.flatMap { $0.isNaN ? nil : $0 } ?? (s.lastValue == nil ? nil : .nan)),
               !m.text.isEmpty {
                s.displayText = m.text
            }
            shown.append(s)
            resolved.append(o)
        }
        out.series = shown
        if let first = resolved.first {
            if let unit = first.unit, resolved.allSatisfy({ $0.unit == unit }) { out.unit = UnitFormat(name: unit) }
            if let d = first.decimals, resolved.allSatisfy({ $0.decimals == d }) { out.decimals = d }
            if let t = first.thresholds, resolved.allSatisfy({ $0.thresholds == t }) {
                out.thresholds = t.map { ThresholdStep(value: $0.value, colorName: $0.color) }
            }
        }
        // A singlestat without colorValue/colorBackground was drawn without threshold colours.
        if panel.colorMode == "none", panel.type == .stat { out.thresholds = [] }
    }

    /// Tables with a `merge` (or join) transformation: one row per label set, the labels as columns and
    /// one value column per query (`Value #A`, `Value #B`), as Grafana's table format gives them; then
    /// `organize` leaves out, renames and orders columns. Nil when the panel has no merge.
    static func mergedTable(_ panel: Panel, bindings: [TargetBinding], data: DashboardData,
                            overrides: [FieldOverride]) -> TableData? {
        guard panel.transformations.contains(where: { if case .merge = $0 { return true } else { return false } }) else {
            return nil
        }
        let refIds = panel.targets.filter { !$0.hidden }.map(\.refId)
        var labelNames: [String] = []
        var rows: [Labels: [String: Double]] = [:]
        var rowOrder: [Labels] = []
        var valueColumns: [String] = []
        for (i, b) in bindings.enumerated() {
            let ref = (i < refIds.count ? refIds[i] : nil) ?? String(UnicodeScalar(UInt8(65 + i % 26)))
            let column = bindings.count == 1 ? "Value" : "Value #\(ref)"
            valueColumns.append(column)
            guard let value = data.instants[b.expr]?.value else { continue }
            for s in History.series(of: value) {
                let labels = s.labels.withoutName()
                for l in labels where !labelNames.contains(l.name) { labelNames.append(l.name) }
                if rows[labels] == nil { rowOrder.append(labels) }
                rows[labels, default: [:]][column] = s.samples.last?.v
            }
        }
        var columns = labelNames.sorted() + valueColumns
        var renamed: [String: String] = [:]
        for t in panel.transformations {
            guard case .organize(let excluded, let rename, let order) = t else { continue }
            columns = columns.filter { !excluded.contains($0) }
            columns = columns.enumerated().sorted { a, b in
                (order[a.element] ?? Int.max, a.offset) < (order[b.element] ?? Int.max, b.offset)
            }.map(\.element)
            renamed.merge(rename) { $1 }
        }
        columns = columns.filter { FieldOverride.resolved(overrides, for: $0).hidden != true }
        let tableRows = rowOrder.map { labels -> [TableCell] in
            columns.map { c in
                if valueColumns.contains(c) {
                    guard let v = rows[labels]?[c] else { return .text("–") }
                    if let m = ValueMapping.first(panel.mappings, for: v), !m.text.isEmpty { return .text(m.text) }
                    return .number(v)
                }
                return .text(labels[c] ?? "")
            }
        }
        let headers = columns.map { c in
            FieldOverride.resolved(overrides, for: c).displayName ?? renamed[c] ?? c
        }
        return TableData(columns: headers, rows: tableRows)
    }

    /// A collapsed row says it is folded and how many panels it hides.
    static func rowTitle(_ panel: Panel) -> String {
        guard panel.type == .row, panel.collapsed else { return panel.title }
        let n = panel.children.count
        return "> \(panel.title) (\(n) panel\(n == 1 ? "" : "s") folded)"
    }
}
