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
            let mods = Expr.modifiers(offset: vs.offset, at: vs.at)
            vs.offset = 0
            vs.at = nil
            return "\(vs)[\(PromDuration.format(ms.range))]\(mods)"
        case .subquery(let sq):
            let step = sq.step.map(PromDuration.format) ?? ""
            return "\(sq.expr)[\(PromDuration.format(sq.range)):\(step)]\(Expr.modifiers(offset: sq.offset, at: sq.at))"
        case .paren(let e, _): return "(\(e))"
        case .unary(let op, let e, _): return "\(op.rawValue)\(e)"
        case .binary(let b):
            var mid = b.op.rawValue
            if b.returnBool { mid += " bool" }
            if let m = b.matching {
                if m.on || !m.labels.isEmpty {
                    mid += " \(m.on ? "on" : "ignoring")(\(m.labels.joined(separator: ", ")))"
                }
                if m.cardinality == .manyToOne || m.cardinality == .oneToMany {
                    mid += " \(m.cardinality == .manyToOne ? "group_left" : "group_right")"
                    if !m.include.isEmpty { mid += "(\(m.include.joined(separator: ", ")))" }
                }
            }
            return "\(b.lhs) \(mid) \(b.rhs)"
        case .aggregate(let a):
            var out = a.op.rawValue
            if a.without || !a.grouping.isEmpty {
                out += " \(a.without ? "without" : "by") (\(a.grouping.joined(separator: ", "))) "
            }
            let args = (a.param.map { ["\($0)"] } ?? []) + ["\(a.expr)"]
            return out + "(" + args.joined(separator: ", ") + ")"
        case .call(let c):
            return c.name + "(" + c.args.map(\.description).joined(separator: ", ") + ")"
        }
    }

    static func formatNumber(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func modifiers(offset: Int64, at: AtModifier?) -> String {
        var out = ""
        if offset > 0 { out += " offset \(PromDuration.format(offset))" }
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
        var out = name ?? ""
        if !others.isEmpty || name == nil {
            out += "{" + others.map { m in
                let label = Expr.isPlainLabel(m.name) ? m.name : StringLiteral.quote(m.name)
                return "\(label)\(m.kind.rawValue)\(StringLiteral.quote(m.value))"
            }.joined(separator: ", ") + "}"
        }
        return out + Expr.modifiers(offset: offset, at: at)
    }
}

extension Expr {
    static func isPlainLabel(_ s: String) -> Bool {
        guard let f = s.utf8.first, Lexer.isIdentStart(f) else { return false }
        return s.utf8.allSatisfy { Lexer.isAlpha($0) || Lexer.isDigit($0) || $0 == UInt8(ascii: "_") }
    }
}
