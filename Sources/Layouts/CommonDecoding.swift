import Foundation

/// Decoders shared by the dialects: targets, thresholds, variables.
extension DecodeContext {
    /// `[{expr, legendFormat, refId, hide}]`. Grafana targets without `expr` (other data sources) are skipped.
    mutating func targets(_ nodes: [JSONNode], _ path: JSONPath, panelPath: JSONPath, requireExpr: Bool,
                          knownKeys: Set<String>?) throws(LayoutDiagnostic) -> [Target] {
        var out: [Target] = []
        for (i, node) in nodes.enumerated() {
            let p = path.index(i)
            let t = try object(node, p, expected: "an object {expr, legendFormat}")
            if let knownKeys { warnUnknownKeys(t, p, known: knownKeys) }
            let expr: String
            if requireExpr {
                expr = try requiredString(t, "expr", p, what: "a string with a PromQL expression")
            } else {
                guard let e = try string(t, "expr", p), !e.isEmpty else { continue }
                expr = e
            }
            if let exprNode = t["expr"] { recordExpression(exprNode, path: p.key("expr"), panelPath: panelPath) }
            let hide = try bool(t, "hide", p)
            let hiddenAlias = try bool(t, "hidden", p)
            let hidden = hide ?? hiddenAlias ?? false
            out.append(Target(expr: expr, legendFormat: try string(t, "legendFormat", p),
                              refId: try string(t, "refId", p), hidden: hidden))
        }
        return out
    }

    /// Either a plain ascending number list (`[50, 100, 200]`: green below the first, then yellow,
    /// orange..., red from the last), or `[{color, value}]` where only the first value may be null.
    func thresholds(_ nodes: [JSONNode], _ path: JSONPath) throws(LayoutDiagnostic) -> [Threshold] {
        guard let first = nodes.first else { return [] }
        if first.number != nil {
            var values: [Double] = []
            for (i, node) in nodes.enumerated() {
                guard let v = node.number else {
                    throw mismatch(node, path.index(i), expected: "a number (the list started with numbers)")
                }
                values.append(v)
            }
            let colors = Self.stepColors(count: values.count)
            return [Threshold(value: nil, color: "green")] + zip(values, colors).map { Threshold(value: $0, color: $1) }
        }
        var out: [Threshold] = []
        for (i, node) in nodes.enumerated() {
            let p = path.index(i)
            let step = try object(node, p, expected: "a number or an object {color, value}")
            let color = try requiredString(step, "color", p, what: "a colour name such as \"red\"")
            let value = try double(step, "value", p)
            if value == nil && i > 0 {
                throw failure(p.key("value"), "expected a number (only the first threshold may omit its value)")
            }
            out.append(Threshold(value: value, color: Self.normalizedColor(color)))
        }
        return out
    }

    /// Grafana writes some colours as `rgb(r, g, b)` or `rgba(r, g, b, a)`; they become `#rrggbb`, which the
    /// renderer maps to the nearest terminal colour. Other spellings are kept as written.
    static func normalizedColor(_ color: String) -> String {
        let lower = color.lowercased().filter { !$0.isWhitespace }
        guard lower.hasSuffix(")"), let open = lower.firstIndex(of: "("),
              ["rgb", "rgba"].contains(lower[..<open]) else { return color }
        let parts = lower[lower.index(after: open)..<lower.index(before: lower.endIndex)].split(separator: ",")
        guard parts.count == 3 || parts.count == 4 else { return color }
        var hex = "#"
        for part in parts.prefix(3) {
            guard let v = Int(part), (0...255).contains(v) else { return color }
            hex += String(format: "%02x", v)
        }
        return hex
    }

    /// Colours for the steps of a plain number list, the last always red.
    static func stepColors(count: Int) -> [String] {
        switch count {
        case 0: return []
        case 1: return ["red"]
        case 2: return ["yellow", "red"]
        default: return ["yellow"] + Array(repeating: "orange", count: count - 2) + ["red"]
        }
    }

    /// Templating variables: an array, or Grafana's `{"list": [...]}`. With `strict` (Lookout's own files)
    /// an unknown variable type is an error; Grafana's extra types are skipped.
    func variables(_ node: JSONNode?, _ path: JSONPath, strict: Bool) throws(LayoutDiagnostic) -> [Variable] {
        guard let node, !node.isNull else { return [] }
        var listPath = path
        var list: [JSONNode]
        if let e = node.elements {
            list = e
        } else if node.members != nil, let e = try array(node, "list", path) {
            list = e
            listPath = path.key("list")
        } else {
            throw mismatch(node, path, expected: "an array of variables")
        }
        if list.count > 1000 { list = Array(list.prefix(1000)) }
        var out: [Variable] = []
        for (i, item) in list.enumerated() {
            if let v = try variable(item, listPath.index(i), strict: strict) { out.append(v) }
        }
        return out
    }

    private func variable(_ node: JSONNode, _ p: JSONPath, strict: Bool) throws(LayoutDiagnostic) -> Variable? {
        let v = try object(node, p, expected: "an object {name, type, ...}")
        let name = try requiredString(v, "name", p)
        guard Templating.isName(name) else {
            throw failure(p.key("name"), "expected a variable name of letters, digits and _, found \"\(name)\"")
        }
        let label = try string(v, "label", p)
        let current = try currentValue(v, p)
        let query = try queryText(v, p)
        let type = try string(v, "type", p)
            ?? (v["value"] != nil ? "constant" : v["values"] != nil ? "custom" : query != nil ? "query" : nil)
        func list() throws(LayoutDiagnostic) -> [String] {
            if let values = try array(v, "values", p) {
                var out: [String] = []
                for (i, n) in values.enumerated() {
                    guard let s = n.string else { throw mismatch(n, p.key("values").index(i), expected: "a string") }
                    out.append(s)
                }
                return out
            }
            // Grafana: "a,b,c" or "text : value" pairs.
            return (query ?? "").split(separator: ",").map {
                let item = $0.split(separator: " : ", maxSplits: 1).last ?? $0
                return item.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
        }
        switch type {
        case "constant":
            guard let value = try string(v, "value", p) ?? query else {
                throw failure(p.key("value"), "missing required field, expected a string")
            }
            return Variable(name: name, label: label, kind: .constant(value), current: current ?? value)
        case "textbox":
            let value = current ?? query ?? ""
            return Variable(name: name, label: label, kind: .constant(value), current: value)
        case "custom":
            return Variable(name: name, label: label, kind: .custom(try list()), current: current)
        case "interval":
            // `auto` is Grafana's own step choice; Lookout offers the fixed values.
            return Variable(name: name, label: label, kind: .interval(try list().filter { $0 != "auto" }),
                            current: current == "auto" || current?.hasPrefix("$__auto") == true ? nil : current)
        case "query":
            if let q = query, let lv = Templating.parseLabelValues(q) {
                return Variable(name: name, label: label, kind: .labelValues(metric: lv.metric, label: lv.label),
                                current: current)
            }
            if strict {
                throw failure(p.key("query"), "expected label_values(metric, label) or label_values(label)")
            }
            // Other Grafana queries (query_result, metrics...) keep the value the file was saved with.
            return Variable(name: name, label: label, kind: .custom(current.map { [$0] } ?? []), current: current)
        case "datasource", "adhoc", "system":
            return nil
        default:
            if strict {
                throw failure(p.key("type"), "expected one of constant, custom, query, interval, found \"\(type ?? "")\"")
            }
            return nil
        }
    }

    private func queryText(_ v: JSONNode, _ p: JSONPath) throws(LayoutDiagnostic) -> String? {
        guard let q = v["query"], !q.isNull else { return nil }
        if let s = q.string { return s }
        // Newer Grafana: {"query": "label_values(...)", "refId": "..."}.
        if q.members != nil { return try string(q, "query", p.key("query")) }
        throw mismatch(q, p.key("query"), expected: "a string")
    }

    private func currentValue(_ v: JSONNode, _ p: JSONPath) throws(LayoutDiagnostic) -> String? {
        guard let c = v["current"], !c.isNull else { return nil }
        if let s = c.string { return s }
        guard c.members != nil else { throw mismatch(c, p.key("current"), expected: "a string or {text, value}") }
        // Grafana: {"text": "...", "value": "..." or [...]}, multi-value keeps the first.
        if let value = c["value"] {
            if let s = value.string { return s }
            if let first = value.elements?.first?.string { return first }
        }
        return c["text"]?.string
    }
}
