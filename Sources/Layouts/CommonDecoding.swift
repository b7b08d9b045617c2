import Foundation

/// Decoders shared by the dialects: targets, thresholds (variables are in VariableDecoding.swift).
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
}
