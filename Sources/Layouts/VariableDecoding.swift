import Foundation

/// Decoding of templating variables, shared by the dialects. Grafana's loader is lenient (numbers as
/// strings, nulls, empty strings), so in Grafana files odd values fall back to defaults instead of failing.
extension DecodeContext {
    /// Templating variables: an array, or Grafana's `{"list": [...]}`. With `strict` (Lookout's own files)
    /// an unknown variable type is an error; Grafana's `system` variables are skipped.
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
        let query = try queryText(v, p)
        let type = try string(v, "type", p)
            ?? (v["value"] != nil ? "constant" : v["values"] != nil ? "custom" : query != nil ? "query" : nil)
        let (current, currentValues) = try currentValue(v, p)
        var out = Variable(name: name, label: v["label"]?.string, kind: .constant(""), current: current,
                           currentValues: currentValues)
        out.regex = v["regex"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        out.multi = Self.loose(v["multi"]) ?? false
        out.includeAll = Self.loose(v["includeAll"]) ?? false
        out.allValue = v["allValue"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        out.refresh = Self.looseInt(v["refresh"])
        out.sort = Self.looseInt(v["sort"]) ?? 0
        switch type {
        case "constant":
            guard let value = try string(v, "value", p) ?? query else {
                throw failure(p.key("value"), "missing required field, expected a string")
            }
            out.kind = .constant(value)
            out.current = current ?? value
        case "textbox":
            let value = current ?? query ?? ""
            out.kind = .textbox(query ?? "")
            out.current = value
        case "custom":
            out.kind = .custom(try list(v, p, query: query))
        case "interval":
            let all = try list(v, p, query: query)
            out.auto = (Self.loose(v["auto"]) ?? false) || all.contains("auto")
            out.autoCount = Self.looseInt(v["auto_count"])
            out.autoMin = v["auto_min"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            out.kind = .interval(all.filter { $0 != "auto" })
            // `auto` is computed from the range each time, not a saved value.
            if current == "auto" || current?.hasPrefix("$__auto") == true {
                out.auto = true
                out.current = nil
            }
        case "query":
            if let kind = Self.structuredQuery(v["query"]) ?? query.flatMap(Templating.parseVariableQuery) {
                out.kind = kind
            } else if strict {
                throw failure(p.key("query"), "expected label_values(metric, label) or label_values(label)")
            } else {
                out.kind = .unsupportedQuery(query ?? "")
            }
        case "datasource":
            out.kind = .datasource(query ?? "prometheus")
        case "adhoc":
            out.kind = .adhoc(Self.filters(v["filters"]))
        case "system":
            return nil
        default:
            if strict {
                throw failure(p.key("type"), "expected one of constant, custom, query, interval, found \"\(type ?? "")\"")
            }
            return nil
        }
        return out
    }

    /// `values: [..]` (Lookout's), or Grafana's `"a,b,c"` with optional `text : value` pairs.
    private func list(_ v: JSONNode, _ p: JSONPath, query: String?) throws(LayoutDiagnostic) -> [String] {
        if let values = try array(v, "values", p) {
            var out: [String] = []
            for (i, n) in values.enumerated() {
                guard let s = n.string else { throw mismatch(n, p.key("values").index(i), expected: "a string") }
                out.append(s)
            }
            return out
        }
        return Templating.customOptions(query ?? "").map(\.value)
    }

    /// The query as Grafana 9+ may write it: `{"query": "..."}`, or the editor's fields
    /// `{"qryType": 1, "label": "job", "metric": "up"}` (label values) and `{"qryType": 2, "metric": "re"}`.
    static func structuredQuery(_ q: JSONNode?) -> Variable.Kind? {
        guard let q, q.members != nil, q["query"]?.string?.isEmpty ?? true else { return nil }
        let metric = q["metric"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        if let label = q["label"]?.string, Templating.isName(label) {
            return .labelValues(metric: metric, label: label)
        }
        if looseInt(q["qryType"]) == 2, let metric { return .metrics(metric) }
        return nil
    }

    private func queryText(_ v: JSONNode, _ p: JSONPath) throws(LayoutDiagnostic) -> String? {
        let definition = v["definition"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        guard let q = v["query"], !q.isNull else { return definition }
        if let s = q.string { return s.isEmpty ? definition ?? s : s }
        // Newer Grafana: {"query": "label_values(...)", "refId": "..."}; `definition` says the same.
        if q.members != nil { return q["query"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? definition }
        if let n = q.number { return DecodeContext.format(n) }
        throw mismatch(q, p.key("query"), expected: "a string")
    }

    /// Grafana: `{"text": ..., "value": "..." or [...]}`; several values keep them all.
    private func currentValue(_ v: JSONNode, _ p: JSONPath) throws(LayoutDiagnostic) -> (String?, [String]) {
        guard let c = v["current"], !c.isNull else { return (nil, []) }
        if let s = c.string { return (s, []) }
        guard c.members != nil else { throw mismatch(c, p.key("current"), expected: "a string or {text, value}") }
        if let value = c["value"] {
            if let s = value.string { return (s, []) }
            if let n = value.number { return (DecodeContext.format(n), []) }
            if let list = value.elements?.compactMap(\.string), let first = list.first {
                return (first, list.count > 1 ? Array(list.prefix(1000)) : [])
            }
        }
        if let text = c["text"]?.string { return (text, []) }
        return (c["text"]?.elements?.first?.string, [])
    }

    static func filters(_ node: JSONNode?) -> [AdhocFilter] {
        (node?.elements ?? []).prefix(100).compactMap { f in
            guard let key = f["key"]?.string, Templating.isName(key), let value = f["value"]?.string else { return nil }
            let op = f["operator"]?.string ?? "="
            return AdhocFilter(key: key, op: ["=", "!=", "=~", "!~"].contains(op) ? op : "=", value: value)
        }
    }

    /// true/false, or Grafana's tolerated `"true"`/`1`.
    static func loose(_ node: JSONNode?) -> Bool? {
        if let b = node?.bool { return b }
        if let n = node?.number { return n != 0 }
        if let s = node?.string { return s == "true" ? true : s == "false" ? false : nil }
        return nil
    }

    static func looseInt(_ node: JSONNode?) -> Int? {
        if let n = node?.number, n.isFinite, abs(n) < 1e9 { return Int(n) }
        if let s = node?.string { return Int(s) }
        return nil
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
