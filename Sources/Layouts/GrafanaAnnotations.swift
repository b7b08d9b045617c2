/// A Grafana annotation query with a Prometheus expression (`annotations.list[]` with `expr`): the App
/// asks it as a range query over the graphs' window, and each run of present, non-zero points of a
/// series becomes an event drawn as a marker on every graph, as Grafana's Prometheus annotations do.
public struct AnnotationQuery: Hashable, Sendable {
    public var name: String
    public var expr: String
    /// Grafana's `enable`: a disabled query is kept (for `lookout check`) but not asked.
    public var enabled: Bool
    /// `iconColor` as written (`#E02F44`, `rgba(0, 211, 255, 1)`, `red`).
    public var iconColor: String?
    /// `{{label}}` templates of the event's title and text (Grafana's `titleFormat`, `textFormat`).
    public var titleFormat: String?
    public var textFormat: String?
    /// Grafana's `step` in milliseconds; nil: the graphs' step.
    public var stepMs: Int64?
    /// Where it came from (`annotations.list[1]`), for messages.
    public var path: String

    public init(name: String, expr: String, enabled: Bool = true, iconColor: String? = nil, titleFormat: String? = nil,
                textFormat: String? = nil, stepMs: Int64? = nil, path: String = "") {
        self.name = name
        self.expr = expr
        self.enabled = enabled
        self.iconColor = iconColor
        self.titleFormat = titleFormat
        self.textFormat = textFormat
        self.stepMs = stepMs
        self.path = path
    }
}

extension DecodeContext {
    /// At most this many annotation queries are read: each one is a range query per refresh.
    static let maxAnnotationQueries = 20

    /// `annotations.list`: the entries with a PromQL `expr` (top level, or `target.expr` as newer Grafana
    /// writes it) on a Prometheus datasource. The built-in "Annotations & Alerts" (Grafana's own store)
    /// and other datasources' queries have nothing Lookout can ask and are left out.
    mutating func grafanaAnnotations(_ body: JSONNode, _ path: JSONPath) -> [AnnotationQuery] {
        guard let annotations = gObject(body, "annotations", path) else { return [] }
        let listPath = path.key("annotations")
        var out: [AnnotationQuery] = []
        for (i, node) in (gArray(annotations, "list", listPath) ?? []).enumerated() where node.members != nil {
            let p = listPath.key("list").index(i)
            let target = gObject(node, "target", p)
            let expr = gString(node, "expr", p) ?? target.flatMap { gString($0, "expr", p.key("target")) } ?? ""
            guard !expr.allSatisfy(\.isWhitespace) else { continue }
            if let source = datasourceType(node["datasource"]), !Self.isPrometheus(source) { continue }
            guard out.count < Self.maxAnnotationQueries else {
                warn(p, "more than \(Self.maxAnnotationQueries) annotation queries; the rest are not asked")
                break
            }
            var step: Int64?
            do { step = try duration(node, "step", p) } catch { tolerate(error) }
            out.append(AnnotationQuery(
                name: gString(node, "name", p) ?? "annotation \(i)", expr: expr,
                enabled: gBool(node, "enable", p) ?? true, iconColor: gString(node, "iconColor", p),
                titleFormat: gString(node, "titleFormat", p), textFormat: gString(node, "textFormat", p),
                stepMs: step.flatMap { $0 > 0 ? $0 : nil }, path: p.description))
        }
        return out
    }
}
