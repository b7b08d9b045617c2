import MetricsCore

/// PromQL text for an expression, in Prometheus' canonical spacing (`sum by (job) (rate(x[5m]))`).
/// Re-parsing the text gives an equal expression apart from positions.
extension Expr: CustomStringConvertible {
    public var description: String {
        switch self {
        case .number(let v, _): return Expr.formatNumber(v)
        case .string(let s, _): return StringLiteral.quote(s)
        case .vectorSelector(let vs): return vs.description
        case .matrixSelector(let ms):
            var vs = ms.vector
            let mods = Expr.modifiers(offset: vs.offset, at: vs.at, offsetExpr: vs.offsetExpr)
            vs.offset = 0
            vs.offsetExpr = nil
            vs.at = nil
            let ext = vs.anchored ? " anchored" : (vs.smoothed ? " smoothed" : "")
            vs.anchored = false
            vs.smoothed = false
            return "\(vs)[\(ms.rangeExpr.map(\.description) ?? PromDuration.format(ms.range))]\(mods)\(ext)"
        case .subquery(let sq):
            let step = sq.stepExpr.map(\.description) ?? sq.step.map(PromDuration.format) ?? ""
            let range = sq.rangeExpr.map(\.description) ?? PromDuration.format(sq.range)
            return "\(sq.expr)[\(range):\(step)]\(Expr.modifiers(offset: sq.offset, at: sq.at, offsetExpr: sq.offsetExpr))"
        case .paren(let e, _): return "(\(e))"
        case .unary(let op, let e, _): return "\(op.rawValue)\(e)"
        case .binary(let b):
            var mid = b.op.rawValue
            if b.returnBool { mid += " bool" }
            if let m = b.matching {
                if m.on || !m.labels.isEmpty {
                    mid += " \(m.on ? "on" : "ignoring")(\(Expr.labelList(m.labels)))"
                }
                if m.cardinality == .manyToOne || m.cardinality == .oneToMany {
                    mid += " \(m.cardinality == .manyToOne ? "group_left" : "group_right")"
                    if !m.include.isEmpty { mid += "(\(Expr.labelList(m.include)))" }
                }
            }
            if let l = b.fillLeft, let r = b.fillRight, l.bitPattern == r.bitPattern {
                mid += " fill(\(Expr.formatNumber(l)))"
            } else {
                if let l = b.fillLeft { mid += " fill_left(\(Expr.formatNumber(l)))" }
                if let r = b.fillRight { mid += " fill_right(\(Expr.formatNumber(r)))" }
            }
            return "\(b.lhs) \(mid) \(b.rhs)"
        case .aggregate(let a):
            var out = a.op.rawValue
            if a.without || !a.grouping.isEmpty {
                out += " \(a.without ? "without" : "by") (\(Expr.labelList(a.grouping))) "
            }
            let args = (a.param.map { ["\($0)"] } ?? []) + ["\(a.expr)"]
            return out + "(" + args.joined(separator: ", ") + ")"
        case .call(let c):
            return c.name + "(" + c.args.map(\.description).joined(separator: ", ") + ")"
        }
    }

    /// Numbers as Prometheus prints them (`1`, `0.25`, `NaN`, `+Inf`): in expressions and, outside
    /// this module, in query results (a variable's query_result lines).
    public static func formatNumber(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func modifiers(offset: Int64, at: AtModifier?, offsetExpr: Expr? = nil) -> String {
        var out = ""
        if let offsetExpr {
            if case .paren = offsetExpr { out += " offset \(offsetExpr)" } else { out += " offset (\(offsetExpr))" }
        } else if offset > 0 { out += " offset \(PromDuration.format(offset))" }
        if offset < 0 { out += " offset -\(PromDuration.format(-offset))" }
        switch at {
        case .none: break
        case .start: out += " @ start()"
        case .end: out += " @ end()"
        case .timestamp(let t):
            let sign = t < 0 ? "-" : ""
            let m = t.magnitude
            let frac = String(m % 1000)
            out += " @ \(sign)\(m / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
        }
        return out
    }
}

extension VectorSelector: CustomStringConvertible {
    public var description: String {
        let others = matchers.filter { !(name != nil && $0.name == Labels.metricName && $0.kind == .equal && $0.value == name) }
        // A name that is not a legacy identifier (`my.metric`) is written quoted inside the braces.
        let bareName = name.flatMap { Expr.isPlainMetricName($0) ? $0 : nil }
        var items = others.map { m in
            let label = Expr.isPlainLabel(m.name) ? m.name : StringLiteral.quote(m.name)
            return "\(label)\(m.kind.rawValue)\(StringLiteral.quote(m.value))"
        }
        if let name, bareName == nil { items.insert(StringLiteral.quote(name), at: 0) }
        var out = bareName ?? ""
        if !items.isEmpty || bareName == nil { out += "{" + items.joined(separator: ", ") + "}" }
        return out + Expr.modifiers(offset: offset, at: at, offsetExpr: offsetExpr) + (smoothed ? " smoothed" : "")
    }
}

extension Expr {
    static func labelList(_ names: [String]) -> String {
        names.map { isPlainLabel($0) ? $0 : StringLiteral.quote($0) }.joined(separator: ", ")
    }

    static func isPlainMetricName(_ s: String) -> Bool {
        guard let f = s.utf8.first, Lexer.isIdentStart(f) || f == UInt8(ascii: ":") else { return false }
        return s.utf8.allSatisfy(Lexer.isIdentChar) && !Lexer.keywords.contains(s.lowercased())
            && AggregateOp(rawValue: s.lowercased()) == nil
    }

    static func isPlainLabel(_ s: String) -> Bool {
        guard let f = s.utf8.first, Lexer.isIdentStart(f) else { return false }
        return s.utf8.allSatisfy { Lexer.isAlpha($0) || Lexer.isDigit($0) || $0 == UInt8(ascii: "_") }
    }
}
