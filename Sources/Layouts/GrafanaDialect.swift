/// Grafana's classic dashboard JSON (what "Export" and grafana.com give). Lookout loads whatever
/// Grafana loads: odd values are warnings, never errors (GrafanaTolerant.swift); old shapes are migrated
/// as Grafana migrates them (GrafanaLegacy.swift, GrafanaRows.swift); unknown panel types become
/// `.unsupported(type)` placeholders. Fields Lookout has no use for are ignored silently.
extension DecodeContext {
    mutating func grafanaDashboard(_ body: JSONNode, _ path: JSONPath, source: String) throws(LayoutDiagnostic) -> Dashboard {
        let title = gString(body, "title", path) ?? ""
        let inputs = readInputs(body, path)
        readDatasourceVariables(body)
        var flat: [Panel] = []
        if let rows = gArray(body, "rows", path) {
            flat += migrateRows(rows, path.key("rows"))
        }
        for (i, node) in (gArray(body, "panels", path) ?? []).enumerated() {
            if var panel = grafanaPanel(node, path.key("panels").index(i)) {
                if panel.gridPos == nil { panel.gridPos = GridPos(x: 0, y: 0, w: 6, h: 3) }
                flat.append(panel)
            }
        }
        let panels = Self.nestRows(compactGrid(flat))
        var variables: [Variable] = []
        do {
            variables = try self.variables(body["templating"], path.key("templating"), strict: false)
        } catch {
            tolerate(error)
        }
        // `__inputs` of type constant are asked at import, and Grafana writes the answer wherever the file
        // says `${NAME}` (a constant variable's value, say); the answer here is the value the file offers.
        variables = variables.map { Self.importing($0, inputs: Dictionary(inputs, uniquingKeysWith: { a, _ in a })) }
        for (name, value) in inputs where !variables.contains(where: { $0.name == name }) {
            variables.append(Variable(name: name, kind: .constant(value), current: value))
        }
        var refresh: Int64?
        do { refresh = try duration(body, "refresh", path) } catch { tolerate(error) }
        var range: Int64?
        do { range = try timeRange(body, path) } catch { tolerate(error) }
        var dashboard = Dashboard(title: title, refresh: refresh, timeRange: range, panels: panels, variables: variables,
                                  source: source)
        dashboard.annotations = grafanaAnnotations(body, path)
        return dashboard
    }

    /// The variable with `${INPUT}` references replaced by the inputs' values, as Grafana's import does.
    static func importing(_ v: Variable, inputs: [String: String]) -> Variable {
        guard !inputs.isEmpty else { return v }
        func sub(_ s: String) -> String { s.contains("$") ? Templating.substitute(s, values: inputs) : s }
        var out = v
        switch v.kind {
        case .constant(let s): out.kind = .constant(sub(s))
        case .textbox(let s): out.kind = .textbox(sub(s))
        case .custom(let list): out.kind = .custom(list.map(sub))
        case .labelValues(let metric, let label): out.kind = .labelValues(metric: metric.map(sub), label: sub(label))
        case .queryResult(let q): out.kind = .queryResult(sub(q))
        default: break
        }
        out.current = v.current.map(sub)
        out.currentValues = v.currentValues.map(sub)
        return out
    }

    /// `__inputs`: datasource inputs tell the plugin a `${DS_X}` stands for; constant inputs give values.
    private mutating func readInputs(_ body: JSONNode, _ path: JSONPath) -> [(String, String)] {
        var constants: [(String, String)] = []
        for (i, input) in (gArray(body, "__inputs", path) ?? []).enumerated() where input.members != nil {
            let p = path.key("__inputs").index(i)
            guard let name = gString(input, "name", p), Templating.isName(name) else { continue }
            switch gString(input, "type", p) {
            case "datasource": datasourceTypes[name] = gString(input, "pluginId", p) ?? "prometheus"
            case "constant": constants.append((name, gString(input, "value", p) ?? ""))
            default: break
            }
        }
        return constants
    }

    /// Datasource variables (`$datasource`) say which plugin their panels use in `query`.
    private mutating func readDatasourceVariables(_ body: JSONNode) {
        let list = body["templating"]?["list"]?.elements ?? body["templating"]?.elements ?? []
        for v in list where v["type"]?.string == "datasource" {
            if let name = v["name"]?.string, let plugin = v["query"]?.string, !plugin.isEmpty {
                datasourceTypes[name] = plugin
            }
        }
    }

    /// Grafana keeps rows and panels in one list sorted by position; an expanded row owns the panels
    /// that follow it, up to the next row. Collapsed rows already hold theirs.
    static func nestRows(_ flat: [Panel]) -> [Panel] {
        var panels: [Panel] = []
        for panel in flat {
            if panel.type != .row, let last = panels.indices.last, panels[last].type == .row, !panels[last].collapsed {
                panels[last].children.append(panel)
            } else {
                panels.append(panel)
            }
        }
        return panels
    }
}
