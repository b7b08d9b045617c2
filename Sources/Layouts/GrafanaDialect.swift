/// Grafana's classic dashboard JSON (what "Export" and grafana.com give). Grafana files carry many
/// fields Lookout has no use for; those are ignored silently. Unknown panel types become
/// `.unsupported(type)` placeholders, never errors.
extension DecodeContext {
    static let grafanaTypes: [String: PanelType] = [
        "stat": .stat, "singlestat": .stat, "gauge": .gauge, "bargauge": .gauge, "timeseries": .graph, "graph": .graph,
        "row": .row, "text": .text, "table": .table, "table-old": .table, "alertlist": .alerts,
    ]

    mutating func grafanaDashboard(_ body: JSONNode, _ path: JSONPath, source: String) throws(LayoutDiagnostic) -> Dashboard {
        let title = try string(body, "title", path) ?? ""
        let panelNodes = try array(body, "panels", path) ?? []
        var panels: [Panel] = []
        // An expanded row owns the panels that follow it, up to the next row.
        for (i, node) in panelNodes.enumerated() {
            let panel = try grafanaPanel(node, path.key("panels").index(i))
            if panel.type != .row, let last = panels.indices.last, panels[last].type == .row, !panels[last].collapsed {
                panels[last].children.append(panel)
            } else {
                panels.append(panel)
            }
        }
        return Dashboard(title: title, refresh: try duration(body, "refresh", path), timeRange: try timeRange(body, path),
                         panels: panels, variables: try variables(body["templating"], path.key("templating"), strict: false),
                         source: source)
    }

    private mutating func grafanaPanel(_ node: JSONNode, _ path: JSONPath) throws(LayoutDiagnostic) -> Panel {
        let obj = try object(node, path, expected: "an object (a panel)")
        let typeName = try string(obj, "type", path) ?? ""
        let type = Self.grafanaTypes[typeName] ?? .unsupported(typeName.isEmpty ? "unknown" : typeName)
        var panel = Panel(title: try string(obj, "title", path) ?? "", type: type, path: path.description)
        if let pos = obj["gridPos"], !pos.isNull { panel.gridPos = try gridPos(pos, path.key("gridPos")) }
        if let nodes = try array(obj, "targets", path) {
            panel.targets = try targets(nodes, path.key("targets"), panelPath: path, requireExpr: false, knownKeys: nil)
        }
        panel.description = try string(obj, "description", path)
        panel.collapsed = try bool(obj, "collapsed", path) ?? false
        // Older panels keep their unit and decimals at the top or on the y axis.
        panel.decimals = try int(obj, "decimals", path, range: 0...20)
        panel.unit = try string(obj, "format", path)
        if let axes = try array(obj, "yaxes", path), let first = axes.first, first.members != nil {
            panel.unit = try string(first, "format", path.key("yaxes").index(0)) ?? panel.unit
        }
        if let fieldConfig = obj["fieldConfig"], let defaults = fieldConfig["defaults"], defaults.members != nil {
            try applyFieldDefaults(defaults, path.key("fieldConfig").key("defaults"), to: &panel)
        }
        if let options = obj["options"], options.members != nil {
            try applyOptions(options, path.key("options"), to: &panel)
        }
        if panel.content == nil { panel.content = try string(obj, "content", path) }
        if let children = try array(obj, "panels", path) {
            for (i, child) in children.enumerated() {
                panel.children.append(try grafanaPanel(child, path.key("panels").index(i)))
            }
        }
        return panel
    }

    private mutating func applyFieldDefaults(_ d: JSONNode, _ path: JSONPath, to panel: inout Panel) throws(LayoutDiagnostic) {
        panel.unit = try string(d, "unit", path) ?? panel.unit
        panel.decimals = try int(d, "decimals", path, range: 0...20) ?? panel.decimals
        panel.min = try double(d, "min", path)
        panel.max = try double(d, "max", path)
        guard let t = d["thresholds"], t.members != nil else { return }
        let tPath = path.key("thresholds")
        guard let steps = try array(t, "steps", tPath) else { return }
        var parsed: [Threshold] = []
        for (i, node) in steps.enumerated() {
            let p = tPath.key("steps").index(i)
            let step = try object(node, p, expected: "an object {color, value}")
            // Grafana's first step has value null: minus infinity.
            let color = Self.normalizedColor(try string(step, "color", p) ?? "green")
            parsed.append(Threshold(value: try double(step, "value", p), color: color))
        }
        if try string(t, "mode", tPath) == "percentage" {
            // Percentages of the min..max span; with no bounds given, Grafana's data-driven span is
            // unknown here, so 0...100 is assumed.
            let lo = panel.min ?? 0, hi = panel.max ?? 100
            parsed = parsed.map { Threshold(value: $0.value.map { lo + (hi - lo) * $0 / 100 }, color: $0.color) }
        }
        panel.thresholds = parsed
        thresholdPaths[panel.path] = tPath.key("steps").description
    }

    private func applyOptions(_ o: JSONNode, _ path: JSONPath, to panel: inout Panel) throws(LayoutDiagnostic) {
        if let legend = o["legend"], legend.members != nil {
            if let show = try bool(legend, "showLegend", path.key("legend")) {
                panel.showLegend = show
            } else if let mode = try string(legend, "displayMode", path.key("legend")) {
                panel.showLegend = mode != "hidden"
            }
        }
        if let graphMode = try string(o, "graphMode", path) { panel.showSparkline = graphMode != "none" }
        if let content = try string(o, "content", path) { panel.content = content }
    }
}
