import MetricsCore

/// Where a PromQL expression stands in its file, so the checker can point inside the string.
public struct ExpressionSite: Hashable, Sendable {
    /// JSON path of the expression string (`panels[3].targets[0].expr`).
    public var path: String
    /// Path of the panel that holds it.
    public var panelPath: String
    public var expr: String
    /// Byte offset of the string literal's opening quote in the file.
    public var quoteOffset: Int
}

/// Shared state and typed field readers of the dialect decoders. Every failure names the JSON path
/// and what was expected there.
struct DecodeContext {
    let file: String
    var warnings: [LayoutDiagnostic] = []
    var expressions: [ExpressionSite] = []
    /// Panel path → path of its thresholds, for the ascending-order check.
    var thresholdPaths: [String: String] = [:]
    /// Grafana: datasource references (`$datasource`, `${DS_PROMETHEUS}`) → the plugin type they name.
    var datasourceTypes: [String: String] = [:]

    init(file: String) { self.file = file }

    func failure(_ path: JSONPath, _ message: String) -> LayoutDiagnostic {
        LayoutDiagnostic(.error, file: file, at: .path(path.description), message)
    }

    mutating func warn(_ path: JSONPath, _ message: String) {
        warnings.append(LayoutDiagnostic(.warning, file: file, at: .path(path.description), message))
    }

    func mismatch(_ node: JSONNode, _ path: JSONPath, expected: String) -> LayoutDiagnostic {
        failure(path, "expected \(expected), found \(node.kindName)")
    }

    func object(_ node: JSONNode, _ path: JSONPath, expected: String = "an object") throws(LayoutDiagnostic) -> JSONNode {
        guard node.members != nil else { throw mismatch(node, path, expected: expected) }
        return node
    }

    /// Warns about members this dialect does not know (likely typos, silently ignored otherwise).
    mutating func warnUnknownKeys(_ node: JSONNode, _ path: JSONPath, known: Set<String>) {
        for m in node.members ?? [] where !known.contains(m.key) {
            warn(path.key(m.key), "unknown field \"\(m.key)\" ignored")
        }
    }

    func string(_ obj: JSONNode, _ key: String, _ path: JSONPath) throws(LayoutDiagnostic) -> String? {
        guard let node = obj[key], !node.isNull else { return nil }
        guard let s = node.string else { throw mismatch(node, path.key(key), expected: "a string") }
        return s
    }

    func requiredString(_ obj: JSONNode, _ key: String, _ path: JSONPath, what: String = "a string") throws(LayoutDiagnostic) -> String {
        guard let node = obj[key], !node.isNull else {
            throw failure(path.key(key), "missing required field, expected \(what)")
        }
        guard let s = node.string else { throw mismatch(node, path.key(key), expected: what) }
        return s
    }

    func double(_ obj: JSONNode, _ key: String, _ path: JSONPath) throws(LayoutDiagnostic) -> Double? {
        guard let node = obj[key], !node.isNull else { return nil }
        if let n = node.number { return n }
        // Grafana writes some numbers as strings ("decimals": "2", "min": "0").
        if let s = node.string, let n = Double(s), n.isFinite { return n }
        throw mismatch(node, path.key(key), expected: "a number")
    }

    func int(_ obj: JSONNode, _ key: String, _ path: JSONPath, range: ClosedRange<Int> = -1_000_000...1_000_000)
        throws(LayoutDiagnostic) -> Int? {
        guard let node = obj[key], !node.isNull else { return nil }
        guard let d = try double(obj, key, path) else { return nil }
        guard d == d.rounded(), let i = Int(exactly: d) else { throw mismatch(node, path.key(key), expected: "an integer") }
        guard range.contains(i) else {
            throw failure(path.key(key), "expected an integer from \(range.lowerBound) to \(range.upperBound), found \(i)")
        }
        return i
    }

    func bool(_ obj: JSONNode, _ key: String, _ path: JSONPath) throws(LayoutDiagnostic) -> Bool? {
        guard let node = obj[key], !node.isNull else { return nil }
        guard let b = node.bool else { throw mismatch(node, path.key(key), expected: "true or false") }
        return b
    }

    func array(_ obj: JSONNode, _ key: String, _ path: JSONPath) throws(LayoutDiagnostic) -> [JSONNode]? {
        guard let node = obj[key], !node.isNull else { return nil }
        guard let e = node.elements else { throw mismatch(node, path.key(key), expected: "an array") }
        return e
    }

    /// A grid position `{x, y, w, h}`; every field an integer.
    func gridPos(_ node: JSONNode, _ path: JSONPath) throws(LayoutDiagnostic) -> GridPos {
        let obj = try object(node, path, expected: "an object {x, y, w, h}")
        func field(_ k: String) throws(LayoutDiagnostic) -> Int {
            guard let v = try int(obj, k, path) else { throw failure(path.key(k), "missing required field, expected an integer") }
            return v
        }
        return GridPos(x: try field("x"), y: try field("y"), w: try field("w"), h: try field("h"))
    }

    /// A duration such as `30s`; Grafana also writes `""` or `false` for "none".
    func duration(_ obj: JSONNode, _ key: String, _ path: JSONPath) throws(LayoutDiagnostic) -> Int64? {
        guard let node = obj[key], !node.isNull, node.bool != false else { return nil }
        if let seconds = node.number, seconds >= 0, seconds < 1e9 { return Int64(seconds * 1000) }
        guard let text = node.string else { throw mismatch(node, path.key(key), expected: "a duration such as \"30s\"") }
        if text.isEmpty { return nil }
        do {
            return try PromDuration.parse(text)
        } catch {
            throw failure(path.key(key), "expected a duration such as \"30s\" or \"5m\", found \"\(text)\"")
        }
    }

    /// A time range: Grafana's `{"from": "now-6h", "to": "now"}` or Lookout's `"range": "15m"`.
    func timeRange(_ obj: JSONNode, _ path: JSONPath) throws(LayoutDiagnostic) -> Int64? {
        if let range = try duration(obj, "range", path) { return range }
        guard let time = obj["time"], !time.isNull else { return nil }
        let t = try object(time, path.key("time"), expected: "an object {from, to}")
        guard let from = try string(t, "from", path.key("time")) else { return nil }
        // Absolute or rounded ranges ("now/d", dates) have no fixed length: the App's default applies.
        guard from.hasPrefix("now-"), let ms = try? PromDuration.parse(String(from.dropFirst(4))) else { return nil }
        return ms
    }

    mutating func recordExpression(_ node: JSONNode, path: JSONPath, panelPath: JSONPath) {
        guard let expr = node.string else { return }
        expressions.append(ExpressionSite(path: path.description, panelPath: panelPath.description,
                                          expr: expr, quoteOffset: node.start))
    }
}
