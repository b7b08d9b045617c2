/// One Grafana panel → `Panel`: type, place, queries, `fieldConfig`, `options`. Older shapes
/// (singlestat, graph, table styles, Grafana 6 `fieldOptions`) are migrated in GrafanaLegacy.swift.
extension DecodeContext {
    static let grafanaTypes: [String: PanelType] = [
        "stat": .stat, "singlestat": .stat, "gauge": .gauge, "bargauge": .barList, "piechart": .barList,
        "grafana-piechart-panel": .barList, "timeseries": .graph, "graph": .graph, "heatmap": .heatmap,
        "row": .row, "text": .text, "table": .table, "table-old": .table, "alertlist": .alerts,
    ]

    mutating func grafanaPanel(_ node: JSONNode, _ path: JSONPath) -> Panel? {
        guard node.members != nil else {
            tolerate(mismatch(node, path, expected: "an object (a panel)"))
            return nil
        }
        let typeName = gString(node, "type", path) ?? ""
        var type = Self.grafanaTypes[typeName] ?? .unsupported(typeName.isEmpty ? "unknown" : typeName)
        // A singlestat with its gauge shown became a gauge panel in Grafana's migration.
        if typeName == "singlestat", let g = gObject(node, "gauge", path), gBool(g, "show", path.key("gauge")) == true {
            type = .gauge
        }
        var panel = Panel(title: gString(node, "title", path) ?? "", type: type, path: path.description)
        // The written type, when it is not the name of what is drawn (`timeseries`, `singlestat`, `piechart`).
        if !typeName.isEmpty, typeName != LayoutChecker.typeName(panel) { panel.sourceType = typeName }
        if let pos = node["gridPos"], !pos.isNull { panel.gridPos = gGridPos(pos, path.key("gridPos")) }
        panel.datasource = datasourceType(node["datasource"])
        if let nodes = gArray(node, "targets", path) {
            (panel.targets, panel.skippedTargets) = grafanaTargets(nodes, path.key("targets"), panelPath: path,
                                                                  panelDatasource: panel.datasource)
        }
        panel.description = gString(node, "description", path)
        panel.collapsed = gBool(node, "collapsed", path) ?? false
        panel.repeatVariable = gString(node, "repeat", path).flatMap { $0.isEmpty ? nil : $0 }
        if gString(node, "repeatDirection", path) == "v" { panel.repeatDirection = .vertical }
        panel.maxPerRow = gInt(node, "maxPerRow", path, range: 1...24)
        applyLegacyFields(node, path, typeName: typeName, to: &panel)
        if let fieldConfig = gObject(node, "fieldConfig", path) {
            let fcPath = path.key("fieldConfig")
            if let defaults = gObject(fieldConfig, "defaults", fcPath) {
                applyFieldDefaults(defaults, fcPath.key("defaults"), to: &panel)
            }
            if let list = gArray(fieldConfig, "overrides", fcPath) {
                panel.overrides += overrides(list, fcPath.key("overrides"), panel: panel)
            }
        }
        if let options = gObject(node, "options", path) { applyOptions(options, path.key("options"), to: &panel) }
        if panel.content == nil { panel.content = gString(node, "content", path) }
        if panel.type == .text, let content = panel.content {
            panel.content = MarkupText.plain(content, html: gString(node, "mode", path) == "html"
                                             || gString(node["options"] ?? node, "mode", path) == "html")
        }
        if let list = gArray(node, "transformations", path) {
            panel.transformations = transformations(list, path.key("transformations"))
        }
        if let children = gArray(node, "panels", path) {
            for (i, child) in children.enumerated() {
                if let p = grafanaPanel(child, path.key("panels").index(i)) { panel.children.append(p) }
            }
        }
        return panel
    }

    /// Queries with a PromQL `expr`; the others (another datasource, a builder query) are named in
    /// `skipped` by refId so that coverage can say why nothing is drawn.
    mutating func grafanaTargets(_ nodes: [JSONNode], _ path: JSONPath, panelPath: JSONPath,
                                 panelDatasource: String?) -> ([Target], [String]) {
        var out: [Target] = [], skipped: [String] = []
        for (i, node) in nodes.enumerated() {
            let p = path.index(i)
            guard node.members != nil else { tolerate(mismatch(node, p, expected: "an object {expr, legendFormat}")); continue }
            let refId = gString(node, "refId", p)
            let source = datasourceType(node["datasource"]) ?? panelDatasource
            let expr = gString(node, "expr", p) ?? ""
            if let source, !Self.isPrometheus(source) {
                skipped.append("\(refId ?? "query \(i)") (\(source))")
                continue
            }
            guard !expr.allSatisfy(\.isWhitespace) else {
                skipped.append("\(refId ?? "query \(i)") (no PromQL expr)")
                continue
            }
            if let exprNode = node["expr"] { recordExpression(exprNode, path: p.key("expr"), panelPath: panelPath) }
            let hidden = gBool(node, "hide", p) ?? gBool(node, "hidden", p) ?? false
            out.append(Target(expr: expr, legendFormat: gString(node, "legendFormat", p), refId: refId, hidden: hidden))
        }
        return (out, skipped)
    }

    /// What a datasource reference names: an object's `type`, a `$variable`/`${DS_X}` looked up in the
    /// dashboard's datasource variables and `__inputs`, or a plain name as written.
    func datasourceType(_ node: JSONNode?) -> String? {
        guard let node, !node.isNull else { return nil }
        if node.members != nil {
            if let t = node["type"]?.string, !t.isEmpty, t != "datasource" { return t }
            return datasourceType(node["uid"])
        }
        guard let name = node.string, !name.isEmpty, name != "default" else { return nil }
        if name.hasPrefix("$") {
            let bare = name.dropFirst().trimmingPrefix("{").split(separator: "}").first.map(String.init) ?? ""
            let key = bare.split(separator: ":").first.map(String.init) ?? bare
            return datasourceTypes[key] ?? datasourceTypes[key.lowercased()] ?? "prometheus"
        }
        switch name {
        case "-- Grafana --", "grafana": return "grafana"
        case "-- Dashboard --": return "dashboard"
        case "-- Mixed --": return nil
        default: return datasourceTypes[name] ?? name
        }
    }

    /// Plugin types Lookout can answer; a datasource named by its own name (`test-etcd`) is assumed to be
    /// Prometheus, since Lookout asks its configured source.
    static func isPrometheus(_ type: String) -> Bool {
        !["loki", "elasticsearch", "influxdb", "graphite", "mysql", "postgres", "grafana-postgresql-datasource",
          "mssql", "cloudwatch", "stackdriver", "tempo", "jaeger", "zipkin", "testdata", "grafana-testdata-datasource",
          "grafana", "dashboard", "opentsdb", "alertmanager", "grafana-azure-monitor-datasource", "__expr__"]
            .contains(type.lowercased())
    }

    mutating func applyFieldDefaults(_ d: JSONNode, _ path: JSONPath, to panel: inout Panel) {
        panel.unit = gString(d, "unit", path).flatMap { $0.isEmpty ? nil : $0 } ?? panel.unit
        panel.decimals = gInt(d, "decimals", path, range: 0...20) ?? panel.decimals
        panel.min = gDouble(d, "min", path) ?? panel.min
        panel.max = gDouble(d, "max", path) ?? panel.max
        if let t = gObject(d, "thresholds", path), let steps = grafanaThresholds(t, path.key("thresholds"), panel: panel) {
            panel.thresholds = steps
            thresholdPaths[panel.path] = path.key("thresholds").key("steps").description
        }
        if let list = gArray(d, "mappings", path) { panel.mappings += mappings(list, path.key("mappings")) }
    }

    /// `{mode, steps: [{color, value}]}`; percentage steps become absolute over min...max (0...100 when
    /// the panel gives no bounds: Grafana would use the data's span).
    mutating func grafanaThresholds(_ t: JSONNode, _ path: JSONPath, panel: Panel) -> [Threshold]? {
        guard let steps = gArray(t, "steps", path) else { return nil }
        var parsed: [Threshold] = []
        for (i, node) in steps.enumerated() {
            let p = path.key("steps").index(i)
            guard node.members != nil else { tolerate(mismatch(node, p, expected: "an object {color, value}")); continue }
            let color = Self.normalizedColor(gString(node, "color", p) ?? "green")
            parsed.append(Threshold(value: i == 0 ? nil : gDouble(node, "value", p), color: color))
        }
        if gString(t, "mode", path) == "percentage" {
            let lo = panel.min ?? 0, hi = panel.max ?? 100
            parsed = parsed.map { Threshold(value: $0.value.map { lo + (hi - lo) * $0 / 100 }, color: $0.color) }
        }
        return parsed
    }

    mutating func applyOptions(_ o: JSONNode, _ path: JSONPath, to panel: inout Panel) {
        if let legend = gObject(o, "legend", path) {
            if let show = gBool(legend, "showLegend", path.key("legend")) {
                panel.showLegend = show
            } else if let mode = gString(legend, "displayMode", path.key("legend")) {
                panel.showLegend = mode != "hidden"
            }
        }
        if let graphMode = gString(o, "graphMode", path) { panel.showSparkline = graphMode != "none" }
        if let content = gString(o, "content", path) { panel.content = content }
        if let mode = gString(o, "colorMode", path) { panel.colorMode = mode }
        if let reduce = gObject(o, "reduceOptions", path), let calcs = gArray(reduce, "calcs", path.key("reduceOptions")),
           let first = calcs.first?.string {
            panel.reducer = first
        }
        // Grafana 6 kept the field settings under options.fieldOptions.
        if let fieldOptions = gObject(o, "fieldOptions", path) {
            migrateFieldOptions(fieldOptions, path.key("fieldOptions"), to: &panel)
        }
    }
}
