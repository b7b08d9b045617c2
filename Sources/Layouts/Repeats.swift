/// Grafana's `repeat`: a panel (or a row with its panels) drawn once per selected value of a
/// multi-value variable, each copy with the variable bound to its one value. Pure: the App resolves
/// the variables and calls `expandRepeats(_:values:)` with the selected values.
public enum Repeats {
    /// At most this many copies of one panel: a variable with thousands of values must not flood the screen.
    public static let maxCopies = 64

    /// Panels (and rows) whose `repeat` names a variable in `values` are replaced by one copy per value:
    /// `$var` in their queries and titles becomes that value. Horizontal repeats share the panel's row
    /// (`maxPerRow`, default 4, per line), vertical ones stack; what follows is pushed down.
    public static func expand(_ dashboard: Dashboard, values: [String: [String]]) -> Dashboard {
        func repeats(_ p: Panel) -> Bool { p.repeatVariable.map { values[$0]?.isEmpty == false } ?? false }
        guard dashboard.panels.contains(where: { repeats($0) || $0.children.contains(where: repeats) }) else {
            return dashboard
        }
        var out = dashboard
        var flat: [Panel] = []
        for panel in dashboard.panels {
            if panel.type == .row, let name = panel.repeatVariable, let vals = values[name], !vals.isEmpty {
                flat += repeatRow(panel, variable: name, values: Array(vals.prefix(maxCopies)), all: values)
            } else if panel.type == .row {
                var row = panel
                row.children = row.children.flatMap { expandPanel($0, values: values) }
                flat.append(row)
            } else {
                flat += expandPanel(panel, values: values)
            }
        }
        out.panels = placeRows(flat)
        return out
    }

    static func expandPanel(_ panel: Panel, values: [String: [String]]) -> [Panel] {
        guard let name = panel.repeatVariable, let all = values[name], !all.isEmpty else { return [panel] }
        let vals = Array(all.prefix(maxCopies))
        let g = panel.gridPos
        let maxPerRow = panel.maxPerRow ?? 4
        let width = max(GridPos.columns / vals.count, GridPos.columns / max(1, maxPerRow))
        var x = 0, y = g?.y ?? 0
        return vals.enumerated().map { i, value in
            var copy = bind(panel, name, value)
            copy.repeatVariable = nil
            if i > 0 { copy.path += "[\(name)=\(value)]" }
            guard let g else { return copy }
            switch panel.repeatDirection {
            case .vertical:
                copy.gridPos = GridPos(x: g.x, y: g.y + i * g.h, w: g.w, h: g.h)
            case .horizontal:
                copy.gridPos = GridPos(x: x, y: y, w: width, h: g.h)
                x += width
                if x + width > GridPos.columns {
                    x = 0
                    y += g.h
                }
            }
            return copy
        }
    }

    /// One copy of the row and its panels per value, stacked: each copy starts below the previous one.
    static func repeatRow(_ row: Panel, variable: String, values: [String], all: [String: [String]]) -> [Panel] {
        let top = row.gridPos?.y ?? 0
        let bottom = ([top + 1] + row.children.compactMap { $0.gridPos.map { $0.y + $0.h } }).max() ?? top + 1
        let height = bottom - top
        return values.enumerated().map { i, value in
            var copy = bind(row, variable, value)
            copy.repeatVariable = nil
            if i > 0 { copy.path += "[\(variable)=\(value)]" }
            copy.gridPos?.y += i * height
            copy.children = row.children.flatMap { child -> [Panel] in
                var c = bind(child, variable, value)
                c.gridPos?.y += i * height
                if i > 0 { c.path += "[\(variable)=\(value)]" }
                return expandPanel(c, values: all)
            }
            return copy
        }
    }

    /// The panel with `$name` bound to `value` in its title and queries (recursively for a row's panels).
    static func bind(_ panel: Panel, _ name: String, _ value: String) -> Panel {
        var p = panel
        let binding = [name: value]
        p.title = Templating.substitute(p.title, values: binding)
        p.targets = p.targets.map { t in
            var t = t
            t.expr = Templating.substitute(t.expr, values: binding)
            t.legendFormat = t.legendFormat.map { Templating.substitute($0, values: binding) }
            return t
        }
        p.children = p.children.map { bind($0, name, value) }
        return p
    }

    /// Copies may now overlap what followed them: positions are resolved again (top level and each
    /// expanded row's panels in one grid, as Grafana keeps them).
    static func placeRows(_ panels: [Panel]) -> [Panel] {
        var flat: [Panel] = []
        for p in panels {
            var row = p
            if p.type == .row && !p.collapsed {
                row.children = []
                flat.append(row)
                flat += p.children
            } else {
                flat.append(row)
            }
        }
        // Files that leave placement to the App keep their order.
        guard flat.allSatisfy({ $0.gridPos != nil }) else { return panels }
        var context = DecodeContext(file: "")
        return DecodeContext.nestRows(context.compactGrid(flat))
    }
}

/// Grafana's `repeatDirection`: copies side by side (`h`) or stacked (`v`).
public enum RepeatDirection: String, Hashable, Sendable {
    case horizontal = "h", vertical = "v"
}

/// The App's entry point for repeats (see `Repeats.expand`).
public func expandRepeats(_ dashboard: Dashboard, values: [String: [String]]) -> Dashboard {
    Repeats.expand(dashboard, values: values)
}
