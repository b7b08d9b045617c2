import Foundation
import Layouts
import MetricsCore

/// A panel as it stands on screen: rows become header lines, their children follow them.
public struct ScreenPanel: Hashable, Sendable {
    public var panel: Panel
    public var isRow: Bool

    public init(panel: Panel, isRow: Bool) {
        self.panel = panel
        self.isRow = isRow
    }

    /// Rows are headers only; everything else can be selected and zoomed.
    public var isSelectable: Bool { !isRow }
}

public enum ScreenPanels {
    /// The panels of a dashboard in reading order, rows followed by their (expanded) children.
    /// `rowsOpen` (`z`) shows the children of collapsed rows too.
    public static func flatten(_ dashboard: Dashboard, rowsOpen: Bool = false) -> [ScreenPanel] {
        var out: [ScreenPanel] = []
        for p in dashboard.panels {
            if p.type == .row {
                // Opened with `z`, a collapsed row hides nothing: its header no longer says it is folded.
                var row = p
                if rowsOpen { row.collapsed = false }
                out.append(ScreenPanel(panel: row, isRow: true))
                if !p.collapsed || rowsOpen {
                    out += p.children.map { ScreenPanel(panel: $0, isRow: $0.type == .row) }
                }
            } else {
                out.append(ScreenPanel(panel: p, isRow: false))
            }
        }
        return out
    }

    /// Indices into `flatten` of the selectable panels, in order.
    public static func selectableIndices(_ panels: [ScreenPanel]) -> [Int] {
        panels.indices.filter { panels[$0].isSelectable }
    }
}

/// `legendFormat` templating: `{{handler}}` becomes the series' `handler` label, as Grafana does.
public enum LegendFormat {
    public static func name(for labels: Labels, format: String?, expr: String) -> String {
        if let format, !format.isEmpty, format != "__auto" {
            return expand(format, labels: labels)
        }
        if !labels.isEmpty { return labels.description }
        return expr
    }

    /// Replaces each `{{ name }}` (spaces allowed) with the label's value, or nothing when absent.
    public static func expand(_ format: String, labels: Labels) -> String {
        var out = ""
        var rest = Substring(format)
        while let open = rest.range(of: "{{") {
            out += rest[rest.startIndex..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = after[after.startIndex..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += labels[name] ?? ""
            rest = after[close.upperBound...]
        }
        out += rest
        return out
    }
}
