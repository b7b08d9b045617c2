/// Grafana 7+ field configuration beyond the defaults: `fieldConfig.overrides`, `mappings` (the current
/// `{type, options}` form and the Grafana 7.0 `{type: 1, value, text}` form) and `transformations`.
extension DecodeContext {
    /// `[{matcher: {id: byName|byRegexp, options}, properties: [{id, value}]}]`. Matchers Lookout cannot
    /// evaluate (by query, by type) and properties it does not draw are skipped.
    mutating func overrides(_ list: [JSONNode], _ path: JSONPath, panel: Panel) -> [FieldOverride] {
        var out: [FieldOverride] = []
        for (i, node) in list.enumerated() where node.members != nil {
            let p = path.index(i)
            guard let matcher = gObject(node, "matcher", p) else { continue }
            let id = gString(matcher, "id", p.key("matcher")) ?? ""
            // byValue and other matchers carry objects: Lookout cannot evaluate them, so they are skipped.
            guard let pattern = matcher["options"]?.string else { continue }
            var o: FieldOverride
            switch id {
            case "byName": o = FieldOverride(matcher: .name(pattern))
            case "byRegexp": o = FieldOverride(matcher: .regex(pattern))
            default: continue
            }
            for (j, prop) in (gArray(node, "properties", p) ?? []).enumerated() where prop.members != nil {
                let pp = p.key("properties").index(j)
                switch gString(prop, "id", pp) ?? "" {
                case "unit": o.unit = gString(prop, "value", pp)
                case "decimals": o.decimals = gInt(prop, "value", pp, range: 0...20)
                case "displayName", "displayNameFromDS": o.displayName = gString(prop, "value", pp)
                case "thresholds":
                    if let t = gObject(prop, "value", pp) { o.thresholds = grafanaThresholds(t, pp.key("value"), panel: panel) }
                case "mappings":
                    if let m = gArray(prop, "value", pp) { o.mappings = mappings(m, pp.key("value")) }
                case "custom.hidden":
                    if let b = gBool(prop, "value", pp) { o.hidden = b }
                case "custom.hideFrom":
                    // {legend, tooltip, viz}: hidden from the plot when viz is set.
                    if let v = gObject(prop, "value", pp), let b = gBool(v, "viz", pp.key("value")) { o.hidden = b }
                default: continue
                }
            }
            out.append(o)
        }
        return out
    }

    /// Value mappings, in order. `special` matches `null`, `nan`, `null+nan`; `true`, `false`, `empty`
    /// and `regex` mappings never match a number and are skipped.
    mutating func mappings(_ list: [JSONNode], _ path: JSONPath) -> [ValueMapping] {
        var out: [ValueMapping] = []
        for (i, node) in list.enumerated() where node.members != nil {
            let p = path.index(i)
            // Grafana 7.0: {type: 1, value, text} and {type: 2, from, to, text}.
            if let legacy = node["type"]?.number {
                guard let text = gString(node, "text", p) else { continue }
                if legacy == 1, let value = gString(node, "value", p) {
                    out.append(ValueMapping(value == "null" ? .null : .value(value), text: text))
                } else if legacy == 2 {
                    let from = gDouble(node, "from", p), to = gDouble(node, "to", p)
                    if from != nil || to != nil { out.append(ValueMapping(.range(from: from, to: to), text: text)) }
                }
                continue
            }
            guard let options = gObject(node, "options", p) else { continue }
            let op = p.key("options")
            switch gString(node, "type", p) ?? "" {
            case "value":
                for member in options.members ?? [] where member.value.members != nil {
                    if let r = result(member.value, op.key(member.key)) {
                        out.append(ValueMapping(.value(member.key), text: r.text, color: r.color))
                    }
                }
            case "range":
                let from = gDouble(options, "from", op), to = gDouble(options, "to", op)
                if from != nil || to != nil, let res = gObject(options, "result", op), let r = result(res, op.key("result")) {
                    out.append(ValueMapping(.range(from: from, to: to), text: r.text, color: r.color))
                }
            case "special":
                let match: ValueMapping.Match?
                switch gString(options, "match", op) {
                case "null": match = .null
                case "nan": match = .nan
                case "null+nan": match = .nullOrNaN
                default: match = nil
                }
                if let match, let res = gObject(options, "result", op), let r = result(res, op.key("result")) {
                    out.append(ValueMapping(match, text: r.text, color: r.color))
                }
            default:
                continue
            }
        }
        return out
    }

    /// `{text, color}`; a result with only a colour keeps the number (text nil → the value itself is shown,
    /// which Lookout marks with an empty text replaced by the App).
    private mutating func result(_ node: JSONNode, _ path: JSONPath) -> (text: String, color: String?)? {
        let text = gString(node, "text", path)
        let color = gString(node, "color", path).map(Self.normalizedColor)
        guard text != nil || color != nil else { return nil }
        return (text ?? "", color)
    }

    mutating func transformations(_ list: [JSONNode], _ path: JSONPath) -> [TableTransformation] {
        var out: [TableTransformation] = []
        for (i, node) in list.enumerated() where node.members != nil {
            let p = path.index(i)
            if gBool(node, "disabled", p) == true { continue }
            let id = gString(node, "id", p) ?? "unknown"
            let options = gObject(node, "options", p)
            switch id {
            case "merge":
                out.append(.merge(joinField: nil))
            case "seriesToColumns", "joinByField", "joinByLabels":
                out.append(.merge(joinField: options.flatMap { gString($0, "byField", p.key("options")) }
                                  ?? options.flatMap { gString($0, "value", p.key("options")) }))
            case "organize":
                var excluded = Set<String>(), renamed: [String: String] = [:], order: [String: Int] = [:]
                if let options {
                    for m in options["excludeByName"]?.members ?? [] where m.value.bool == true { excluded.insert(m.key) }
                    for m in options["renameByName"]?.members ?? [] {
                        if let s = m.value.string, !s.isEmpty { renamed[m.key] = s }
                    }
                    for m in options["indexByName"]?.members ?? [] {
                        if let n = m.value.number, let i = Int(exactly: n) { order[m.key] = i }
                    }
                }
                out.append(.organize(excluded: excluded, renamed: renamed, order: order))
            default:
                out.append(.unsupported(id))
            }
        }
        return out
    }
}
