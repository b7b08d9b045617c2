/// Lookout's own layout format, a superset of the design document's dashboards (section 8):
/// `position` or `gridPos`, `targets` or the `expr` shorthand, thresholds as numbers or `{color, value}`,
/// rows that nest their children in `panels`. Unknown fields are warnings (likely typos).
extension DecodeContext {
    static let lookoutDashboardKeys: Set<String> = [
        "title", "refresh", "time", "range", "panels", "templating", "description", "tags", "id", "uid", "version",
        "$schema",
    ]
    static let lookoutPanelKeys: Set<String> = [
        "title", "type", "position", "gridPos", "targets", "expr", "legendFormat", "thresholds", "unit", "decimals",
        "min", "max", "description", "content", "options", "panels", "collapsed", "id",
    ]
    static let lookoutTargetKeys: Set<String> = ["expr", "legendFormat", "refId", "hide", "hidden"]
    static let lookoutOptionKeys: Set<String> = ["sparkline", "legend"]

    /// Type names of Lookout files; Grafana's names for the same widgets are accepted too.
    static let lookoutTypes: [String: PanelType] = [
        "stat": .stat, "graph": .graph, "gauge": .gauge, "table": .table, "text": .text, "alerts": .alerts, "row": .row,
        "timeseries": .graph, "bargauge": .gauge, "alertlist": .alerts, "heatmap": .heatmap,
    ]

    mutating func lookoutDashboard(_ body: JSONNode, _ path: JSONPath, source: String) throws(LayoutDiagnostic) -> Dashboard {
        warnUnknownKeys(body, path, known: Self.lookoutDashboardKeys)
        let title = try requiredString(body, "title", path)
        guard let panelNodes = try array(body, "panels", path) else {
            throw failure(path.key("panels"), "missing required field, expected an array of panels")
        }
        var panels: [Panel] = []
        for (i, node) in panelNodes.enumerated() {
            panels.append(try lookoutPanel(node, path.key("panels").index(i), insideRow: false))
        }
        return Dashboard(title: title, refresh: try duration(body, "refresh", path), timeRange: try timeRange(body, path),
                         panels: panels, variables: try variables(body["templating"], path.key("templating"), strict: true),
                         source: source)
    }

    private mutating func lookoutPanel(_ node: JSONNode, _ path: JSONPath, insideRow: Bool) throws(LayoutDiagnostic) -> Panel {
        let obj = try object(node, path, expected: "an object (a panel)")
        warnUnknownKeys(obj, path, known: Self.lookoutPanelKeys)
        let childNodes = try array(obj, "panels", path)
        let max = try double(obj, "max", path)
        let type: PanelType
        if let name = try string(obj, "type", path) {
            guard let t = Self.lookoutTypes[name] else {
                throw failure(path.key("type"),
                              "expected one of stat, graph, gauge, table, text, alerts, row, found \"\(name)\"")
            }
            type = t
        } else {
            // The design's row children carry no type: with a `max` they read as gauges, else as stats.
            type = childNodes != nil ? .row : (max != nil ? .gauge : .stat)
        }
        if type == .row && insideRow { throw failure(path.key("type"), "a row cannot be placed inside another row") }

        var panel = Panel(title: try string(obj, "title", path) ?? "", type: type, path: path.description)
        if let pos = obj["position"] ?? obj["gridPos"] {
            panel.gridPos = try gridPos(pos, path.key(obj["position"] != nil ? "position" : "gridPos"))
        }
        if let exprNode = obj["expr"], !exprNode.isNull {
            guard let expr = exprNode.string else { throw mismatch(exprNode, path.key("expr"), expected: "a string with a PromQL expression") }
            recordExpression(exprNode, path: path.key("expr"), panelPath: path)
            panel.targets.append(Target(expr: expr, legendFormat: try string(obj, "legendFormat", path)))
        }
        if let nodes = try array(obj, "targets", path) {
            panel.targets += try targets(nodes, path.key("targets"), panelPath: path, requireExpr: true,
                                         knownKeys: Self.lookoutTargetKeys)
        }
        if let nodes = try array(obj, "thresholds", path) {
            panel.thresholds = try thresholds(nodes, path.key("thresholds"))
            thresholdPaths[path.description] = path.key("thresholds").description
        }
        panel.unit = try string(obj, "unit", path)
        panel.decimals = try int(obj, "decimals", path, range: 0...20)
        panel.min = try double(obj, "min", path)
        panel.max = max
        panel.description = try string(obj, "description", path)
        panel.content = try string(obj, "content", path)
        panel.collapsed = try bool(obj, "collapsed", path) ?? false
        if let options = obj["options"], !options.isNull {
            let o = try object(options, path.key("options"), expected: "an object {sparkline, legend}")
            warnUnknownKeys(o, path.key("options"), known: Self.lookoutOptionKeys)
            panel.showSparkline = try bool(o, "sparkline", path.key("options"))
            panel.showLegend = try bool(o, "legend", path.key("options"))
        }
        if let childNodes {
            guard type == .row else { throw failure(path.key("panels"), "only a panel of type \"row\" can hold panels") }
            for (i, child) in childNodes.enumerated() {
                panel.children.append(try lookoutPanel(child, path.key("panels").index(i), insideRow: true))
            }
        }
        return panel
    }
}
