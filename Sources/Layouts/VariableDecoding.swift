import Foundation

/// Decoding of templating variables, shared by the dialects.
extension DecodeContext {
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
