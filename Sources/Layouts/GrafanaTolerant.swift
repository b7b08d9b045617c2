/// Grafana loads dashboards with odd values (grafanalib writes `"steps": ""`, old exports write numbers
/// as strings and nulls everywhere). Lookout reads them the same way: a value of the wrong type is
/// reported as a warning and left out, never fatal. These readers wrap the strict ones.
extension DecodeContext {
    /// Records a strict reader's failure as a warning saying the value was ignored.
    mutating func tolerate(_ error: LayoutDiagnostic) {
        var d = error
        d.severity = .warning
        d.message += "; ignored (Grafana loads it)"
        warnings.append(d)
    }

    /// A string; numbers and booleans are taken as their text, as JavaScript would show them.
    mutating func gString(_ obj: JSONNode, _ key: String, _ path: JSONPath) -> String? {
        guard let node = obj[key], !node.isNull else { return nil }
        if let s = node.string { return s }
        if let n = node.number { return LayoutChecker.format(n) }
        if let b = node.bool { return b ? "true" : "false" }
        tolerate(mismatch(node, path.key(key), expected: "a string"))
        return nil
    }

    /// A number; `""` counts as absent (Grafana's editors save empty inputs that way).
    mutating func gDouble(_ obj: JSONNode, _ key: String, _ path: JSONPath) -> Double? {
        if obj[key]?.string?.allSatisfy(\.isWhitespace) == true { return nil }
        do { return try double(obj, key, path) } catch { tolerate(error); return nil }
    }

    mutating func gInt(_ obj: JSONNode, _ key: String, _ path: JSONPath, range: ClosedRange<Int> = -1_000_000...1_000_000) -> Int? {
        if obj[key]?.string?.allSatisfy(\.isWhitespace) == true { return nil }
        do { return try int(obj, key, path, range: range) } catch { tolerate(error); return nil }
    }

    /// A boolean; `"true"`/`"false"` and 0/1 are accepted, as JavaScript's truthiness would.
    mutating func gBool(_ obj: JSONNode, _ key: String, _ path: JSONPath) -> Bool? {
        guard let node = obj[key], !node.isNull else { return nil }
        if let b = node.bool { return b }
        if let s = node.string, s == "true" || s == "false" { return s == "true" }
        if let n = node.number, n == 0 || n == 1 { return n == 1 }
        tolerate(mismatch(node, path.key(key), expected: "true or false"))
        return nil
    }

    /// An array; `""` counts as absent (grafanalib's `"steps": ""`), other types are reported.
    mutating func gArray(_ obj: JSONNode, _ key: String, _ path: JSONPath) -> [JSONNode]? {
        guard let node = obj[key], !node.isNull else { return nil }
        if let e = node.elements { return e }
        if node.string?.isEmpty == true {
            warn(path.key(key), "expected an array, found an empty string; read as none (Grafana loads it)")
            return nil
        }
        tolerate(mismatch(node, path.key(key), expected: "an array"))
        return nil
    }

    /// An object member; anything else is reported (unless empty or null) and read as absent.
    mutating func gObject(_ obj: JSONNode, _ key: String, _ path: JSONPath) -> JSONNode? {
        guard let node = obj[key], !node.isNull else { return nil }
        if node.members != nil { return node }
        if node.string?.isEmpty == true { return nil }
        tolerate(mismatch(node, path.key(key), expected: "an object"))
        return nil
    }

    /// Grafana's `gridPos`: missing fields take Grafana's defaults (x 0, y 0, w 6, h 3); sizes below 1
    /// and spans past the 24th column are corrected as Grafana's grid corrects them, with a warning.
    mutating func gGridPos(_ node: JSONNode, _ path: JSONPath) -> GridPos? {
        guard node.members != nil else {
            tolerate(mismatch(node, path, expected: "an object {x, y, w, h}"))
            return nil
        }
        var g = GridPos(x: gInt(node, "x", path) ?? 0, y: gInt(node, "y", path) ?? 0,
                        w: gInt(node, "w", path) ?? 6, h: gInt(node, "h", path) ?? 3)
        let written = g
        g.w = min(max(g.w, 1), GridPos.columns)
        g.h = max(g.h, 1)
        g.x = min(max(g.x, 0), GridPos.columns - g.w)
        g.y = max(g.y, 0)
        if g != written {
            warn(path, "x=\(written.x) y=\(written.y) w=\(written.w) h=\(written.h) does not fit the 24-column grid; "
                 + "placed at x=\(g.x) y=\(g.y) w=\(g.w) h=\(g.h) as Grafana does")
        }
        return g
    }
}
