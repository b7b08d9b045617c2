import Foundation

/// How much of a dashboard Lookout draws, panel by panel, before it is opened: `lookout check --coverage`.
public struct PanelCoverage: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, Comparable {
        case drawn, approximated
        case notDrawn = "not drawn"

        private var rank: Int { self == .drawn ? 0 : self == .approximated ? 1 : 2 }
        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
    }

    /// JSON path of the panel (`panels[3].panels[1]`).
    public var path: String
    public var title: String
    /// The type as the file writes it (`singlestat`, `piechart`, `timeseries`...).
    public var type: String
    public var status: Status
    /// Why it is approximated or not drawn; empty when drawn as Grafana draws it.
    public var reasons: [String]
}

extension LayoutChecker {
    /// Per panel (rows' children included, rows themselves left out): drawn, approximated or not drawn,
    /// and why. Nil when the file does not load (`check` says why).
    public func coverage(bytes: [UInt8], file: String) -> [PanelCoverage]? {
        guard let layout = try? LayoutLoader.decode(bytes, file: file) else { return nil }
        var problems: [String: [String]] = [:]
        for (panelPath, d) in siteDiagnostics(layout, file: file) where d.severity == .error {
            let message = d.message.hasPrefix("undefined variable")
                ? "unresolved variable " + (d.message.split(separator: " ").dropFirst(2).first.map(String.init) ?? "")
                : "query error: " + d.message
            problems[panelPath, default: []].append(message)
        }
        let unresolved = Self.unresolvedVariables(layout.dashboard)
        var out: [PanelCoverage] = []
        func visit(_ panel: Panel) {
            if panel.type == .row {
                // A repeated row repeats its panels: each says so.
                panel.children.forEach { child in
                    var c = child
                    c.repeatVariable = c.repeatVariable ?? panel.repeatVariable
                    visit(c)
                }
                return
            }
            out.append(Self.coverage(of: panel, queryProblems: problems[panel.path] ?? [], unresolved: unresolved))
        }
        layout.dashboard.panels.forEach(visit)
        return out
    }

    public func coverage(file path: String) -> [PanelCoverage]? {
        guard let bytes = try? LayoutLoader.readFile(path) else { return nil }
        return coverage(bytes: bytes, file: path)
    }

    /// Variables without a value that Lookout can know of from the file alone.
    static func unresolvedVariables(_ d: Dashboard) -> Set<String> {
        // Referenced but never defined (`$1` of label_replace and Grafana's `$__` built-ins aside).
        let defined = Set(d.variables.map(\.name))
        func visit(_ p: Panel) -> [String] {
            p.children.flatMap(visit) + p.targets.flatMap { Templating.variableReferences(in: $0.expr) }
        }
        var names = Set(d.panels.flatMap(visit).filter { name in
            !defined.contains(name) && !name.hasPrefix("__") && !(name.first?.isNumber ?? true)
        })
        for line in VariableResolver.unresolvedReport(d.variables) where line.hasPrefix("$") && line.contains("no value") {
            names.insert(String(line.dropFirst().prefix { $0 != ":" }))
        }
        return names
    }

    static func typeName(_ panel: Panel) -> String {
        if let source = panel.sourceType { return source }
        switch panel.type {
        case .stat: return "stat"
        case .graph: return "graph"
        case .gauge: return "gauge"
        case .table: return "table"
        case .text: return "text"
        case .alerts: return "alerts"
        case .row: return "row"
        case .heatmap: return "heatmap"
        case .barList: return "bargauge"
        case .unsupported(let name): return name
        }
    }

    static func coverage(of panel: Panel, queryProblems: [String], unresolved: Set<String>) -> PanelCoverage {
        let (notDrawn, approximated) = assess(panel, queryProblems: queryProblems, unresolved: unresolved)
        let status: PanelCoverage.Status = !notDrawn.isEmpty ? .notDrawn : !approximated.isEmpty ? .approximated : .drawn
        return PanelCoverage(path: panel.path, title: panel.title, type: typeName(panel), status: status,
                             reasons: notDrawn + approximated)
    }

    /// `check` warns about panels that will not be drawn (query errors are reported on their own).
    func coverageDiagnostics(_ layout: LoadedLayout, file: String, already: [LayoutDiagnostic] = []) -> [LayoutDiagnostic] {
        // `undefined variable $x` errors already name the variables that break a query.
        let named = Set(already.compactMap { d -> String? in
            guard d.message.hasPrefix("undefined variable $") else { return nil }
            return d.message.dropFirst("undefined variable ".count).split(separator: " ").first.map(String.init)
        })
        let unresolved = Self.unresolvedVariables(layout.dashboard)
        var out: [LayoutDiagnostic] = []
        func visit(_ panel: Panel) {
            panel.children.forEach(visit)
            guard panel.type != .row else { return }
            if case .unsupported = panel.type { return }  // warned about by the panel checks
            // A panel without any query is empty in Grafana too: only coverage lists it.
            for reason in Self.assess(panel, queryProblems: [], unresolved: unresolved).notDrawn where reason != "no query" && !named.contains(reason.replacingOccurrences(of: "unresolved variable ", with: "")) {
                out.append(LayoutDiagnostic(.warning, file: file, at: .path(panel.path), "panel not drawn: \(reason)"))
            }
        }
        layout.dashboard.panels.forEach(visit)
        return out
    }

    static func assess(_ panel: Panel, queryProblems: [String], unresolved: Set<String>)
        -> (notDrawn: [String], approximated: [String]) {
        var notDrawn: [String] = [], approximated: [String] = []
        let type = typeName(panel)
        let needsData: Bool
        switch panel.type {
        case .unsupported(let name):
            notDrawn.append("unsupported panel type \(name)")
            needsData = false
        case .text, .alerts, .row:
            needsData = false
        case .barList:
            approximated.append("\(type) shown as a sorted bar list")
            needsData = true
        case .heatmap:
            approximated.append("heatmap of le buckets in terminal cells")
            needsData = true
        case .stat, .graph, .gauge, .table:
            needsData = true
        }
        if needsData {
            let visible = panel.targets.filter { !$0.hidden }
            if visible.isEmpty {
                if let ds = panel.datasource, !DecodeContext.isPrometheus(ds) {
                    notDrawn.append("datasource \(ds) is not Prometheus")
                } else if !panel.skippedTargets.isEmpty {
                    notDrawn.append("no PromQL query: " + panel.skippedTargets.joined(separator: ", "))
                } else {
                    notDrawn.append("no query")
                }
            } else if !panel.skippedTargets.isEmpty {
                approximated.append("not queried: " + panel.skippedTargets.joined(separator: ", "))
            }
            let used = Set(visible.flatMap { Templating.variableReferences(in: $0.expr) })
            for name in used.sorted() where unresolved.contains(name) { notDrawn.append("unresolved variable $\(name)") }
            if !queryProblems.isEmpty {
                if queryProblems.count >= visible.count && !visible.isEmpty {
                    notDrawn += queryProblems
                } else {
                    approximated += queryProblems
                }
            }
            if let r = panel.reducer, !ValueReducer.supported.contains(r), panel.type != .graph, panel.type != .table {
                approximated.append("reducer \(r) shown as the last value")
            }
        }
        if panel.colorMode == "background" { approximated.append("background colour shown on the value") }
        // `repeat` is drawn as Grafana does: the App expands one copy per selected value (`expandRepeats`).
        for t in panel.transformations {
            if case .unsupported(let id) = t { approximated.append("transformation \(id) not applied") }
        }
        approximated += panel.approximations
        return (notDrawn, approximated)
    }

    /// The coverage as a table, one panel a line, then the totals.
    public static func coverageTable(_ rows: [PanelCoverage], file: String) -> String {
        let pathWidth = min(24, rows.map(\.path.count).max() ?? 4)
        let titleWidth = min(32, max(5, rows.map(\.title.count).max() ?? 5))
        let typeWidth = min(14, max(4, rows.map(\.type.count).max() ?? 4))
        func cell(_ raw: String, _ w: Int) -> String {
            // Titles come from the file: control characters (escape sequences) never reach the terminal.
            let s = String(String.UnicodeScalarView(raw.unicodeScalars.map {
                $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? "?" : $0
            }))
            let cut = s.count > w ? String(s.prefix(w - 1)) + "…" : s
            return cut + String(repeating: " ", count: max(0, w - cut.count))
        }
        var lines = ["\(file): coverage",
                     cell("PANEL", pathWidth) + "  " + cell("TITLE", titleWidth) + "  " + cell("TYPE", typeWidth) + "  "
                        + cell("STATUS", 12) + "  WHY"]
        for r in rows {
            let line = cell(r.path, pathWidth) + "  " + cell(r.title, titleWidth) + "  " + cell(r.type, typeWidth) + "  "
                + cell(r.status.rawValue, 12) + "  " + r.reasons.joined(separator: "; ")
            lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        let count = { (s: PanelCoverage.Status) in rows.filter { $0.status == s }.count }
        lines.append("\(rows.count) panel\(rows.count == 1 ? "" : "s"): \(count(.drawn)) drawn, \(count(.approximated)) approximated, "
                     + "\(count(.notDrawn)) not drawn")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Panel {
    /// Why nothing is asked for this panel although Grafana would show data in it: its queries are for
    /// another datasource, or have no PromQL. Nil when it has a query (or never had any).
    public var unqueriedReason: String? {
        guard targets.isEmpty, !skippedTargets.isEmpty else { return nil }
        if let ds = datasource, !DecodeContext.isPrometheus(ds) { return "datasource \(ds) is not Prometheus" }
        return "no PromQL query: " + skippedTargets.joined(separator: ", ")
    }
}
