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
    /// Works on the UTF-8 bytes (the braces are ASCII, so every cut is on a character boundary):
    /// this runs for every series of every frame.
    public static func expand(_ format: String, labels: Labels) -> String {
        let bytes = Array(format.utf8)
        guard bytes.count > 1 else { return format }
        var out = ""
        var literalStart = 0
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == UInt8(ascii: "{"), bytes[i + 1] == UInt8(ascii: "{") else { i += 1; continue }
            var close = i + 2
            while close + 1 < bytes.count, !(bytes[close] == UInt8(ascii: "}") && bytes[close + 1] == UInt8(ascii: "}")) {
                close += 1
            }
            guard close + 1 < bytes.count else { break }  // no `}}`: the rest is literal
            out += String(decoding: bytes[literalStart..<i], as: UTF8.self)
            var nameStart = i + 2, nameEnd = close
            while nameStart < nameEnd, bytes[nameStart] == UInt8(ascii: " ") || bytes[nameStart] == UInt8(ascii: "\t") { nameStart += 1 }
            while nameEnd > nameStart, bytes[nameEnd - 1] == UInt8(ascii: " ") || bytes[nameEnd - 1] == UInt8(ascii: "\t") { nameEnd -= 1 }
            out += labels[String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)] ?? ""
            i = close + 2
            literalStart = i
        }
        out += String(decoding: bytes[literalStart...], as: UTF8.self)
        return out
    }
}
