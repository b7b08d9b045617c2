import Foundation
import MetricsCore
import PromQL

/// For server mode: a rule that reads another recording rule's output (`perfect21:score_error_rate`)
/// cannot be sent to a server that does not run Lookout's rules, because that series only exists in
/// Lookout. The inliner replaces such references by the recorded expression in parentheses, so each
/// rule's query is self-contained. Only plain references are inlined (`name` with no other matcher,
/// offset or `@`) to rules without extra labels; anything else is left as written, and so is an
/// expression that does not parse. A range over a plain reference (`name[5m]`) is left too, unless
/// `rangesAsSubqueries` turns it into a subquery of the expression (`(expr)[5m:]`, at the server's
/// default resolution, which is how a recorded series would have been sampled).
public enum RecordingRuleInliner {
    /// Depth limit for chains of recording rules (and protection against cycles).
    static let maxDepth = 16

    /// The expression to send for each rule, by group and rule index.
    public static func queries(for groups: [RuleGroupDefinition]) -> [[String]] {
        var recorded: [String: String] = [:]
        for g in groups {
            for r in g.rules where r.kind == .recording && r.labels.isEmpty && recorded[r.name] == nil {
                recorded[r.name] = r.expr
            }
        }
        return groups.map { g in g.rules.map { inline($0.expr, recorded: recorded, depth: 0) } }
    }

    /// `expr` with every plain reference to a rule in `recorded` replaced by its expression.
    public static func inline(_ expr: String, recorded: [String: String], rangesAsSubqueries: Bool = false) -> String {
        inline(expr, recorded: recorded, depth: 0, subqueries: rangesAsSubqueries)
    }

    private struct Replacement {
        var range: PositionRange
        var name: String
        /// For `name[5m]`: the bracket text after the name (`[5m]`), kept as the subquery's range.
        var rangeSuffix: String?
    }

    private static func inline(_ expr: String, recorded: [String: String], depth: Int, subqueries: Bool = false) -> String {
        guard depth < maxDepth, !recorded.isEmpty, let parsed = try? PromQLParser.parse(expr) else { return expr }
        let source = Array(expr.utf8)
        var replacements: [Replacement] = []
        parsed.walk { node in
            switch node {
            case .matrixSelector(let m):
                // `name[5m]` → `(expr)[5m:]`; without subqueries a range of a recorded series cannot
                // be replaced by an instant expression.
                if subqueries, m.rangeExpr == nil, let name = plainName(m.vector), recorded[name] != nil,
                   let suffix = subqueryRange(source, from: m.vector.position.end, to: m.position.end) {
                    replacements.append(Replacement(range: m.position, name: name, rangeSuffix: suffix))
                }
                return false
            case .subquery:
                return subqueries
            case .vectorSelector(let s):
                if let name = plainName(s), recorded[name] != nil {
                    replacements.append(Replacement(range: s.position, name: name))
                }
                return false
            default:
                return true
            }
        }
        guard !replacements.isEmpty else { return expr }
        var bytes = source
        for r in replacements.sorted(by: { $0.range.start > $1.range.start }) {
            guard r.range.start >= 0, r.range.end <= bytes.count, r.range.start < r.range.end,
                  let body = recorded[r.name] else { continue }
            let inner = inline(body.trimmingTrailingNewlines(), recorded: recorded, depth: depth + 1, subqueries: subqueries)
            bytes.replaceSubrange(r.range.start..<r.range.end, with: Array("(\(inner))\(r.rangeSuffix ?? "")".utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `[5m]` (the text between a selector's end and its range's end) as a subquery range `[5m:]`.
    private static func subqueryRange(_ bytes: [UInt8], from start: Int, to end: Int) -> String? {
        guard start >= 0, end <= bytes.count, start < end else { return nil }
        let text = String(decoding: bytes[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("["), text.hasSuffix("]"), !text.contains(":") else { return nil }
        return String(text.dropLast()) + ":]"
    }

    private static func plainName(_ s: VectorSelector) -> String? {
        guard let name = s.name, s.offset == 0, s.at == nil, s.matchers.count == 1,
              let m = s.matchers.first, m.name == Labels.metricName, m.kind == .equal, m.value == name
        else { return nil }
        return name
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == " " { s = s.dropLast() }
        return String(s)
    }
}
