import MetricsCore

extension Expr {
    /// The PromQL type this expression evaluates to.
    public var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector, .aggregate: return .vector
        case .matrixSelector, .subquery: return .matrix
        case .paren(let e, _), .unary(_, let e, _): return e.type
        case .binary(let b): return b.lhs.type == .scalar && b.rhs.type == .scalar ? .scalar : .vector
        case .call(let c): return FunctionSignature.lookup(c.name)?.returnType ?? .vector
        }
    }
}

/// Checks operand and argument types after parsing, with Prometheus' messages.
struct TypeChecker {
    let source: String

    private func fail(_ message: String, _ pos: PositionRange) -> PromQLParseError {
        Lexer.error(message, at: pos.start, in: Array(source.utf8))
    }

    private func expect(_ want: ValueType, _ e: Expr, _ context: String) throws(PromQLParseError) {
        if e.type != want {
            throw fail("expected type \(want.rawValue) in \(context), got \(e.type.rawValue)", e.position)
        }
    }

    func check(_ e: Expr) throws(PromQLParseError) {
        switch e {
        case .number, .string: return
        case .vectorSelector(let vs): try checkSelector(vs)
        case .matrixSelector(let ms): try checkSelector(ms.vector)
        case .paren(let inner, _): try check(inner)
        case .unary(_, let inner, let pos):
            try check(inner)
            guard inner.type == .scalar || inner.type == .vector else {
                throw fail("unary expression only allowed on expressions of type scalar or instant vector, got \(inner.type.rawValue)", pos)
            }
        case .subquery(let sq):
            try check(sq.expr)
            guard sq.expr.type == .vector else {
                throw fail("subquery is only allowed on instant vector, got \(sq.expr.type.rawValue) instead", sq.position)
            }
        case .binary(let b): try checkBinary(b)
        case .aggregate(let a):
            try check(a.expr)
            if let p = a.param { try check(p) }
            try expect(.vector, a.expr, "aggregation expression")
            if let p = a.param {
                try expect(a.op == .countValues ? .string : .scalar, p, "aggregation parameter")
            }
        case .call(let c): try checkCall(c)
        }
    }

    private func checkSelector(_ vs: VectorSelector) throws(PromQLParseError) {
        guard vs.matchers.contains(where: { !$0.matchesEmpty }) else {
            throw fail("vector selector must contain at least one non-empty matcher", vs.position)
        }
    }

    private func checkBinary(_ b: BinaryExpr) throws(PromQLParseError) {
        try check(b.lhs)
        try check(b.rhs)
        let lt = b.lhs.type, rt = b.rhs.type
        for t in [lt, rt] where t != .scalar && t != .vector {
            throw fail("binary expression must contain only scalar and instant vector types", b.position)
        }
        if b.op.isComparison, !b.returnBool, lt == .scalar, rt == .scalar {
            throw fail("comparisons between scalars must use BOOL modifier", b.position)
        }
        if b.op.isSetOperator, lt == .scalar || rt == .scalar {
            throw fail("set operator \"\(b.op.rawValue)\" not allowed in binary scalar expression", b.position)
        }
        if let m = b.matching, lt != .vector || rt != .vector {
            if !m.labels.isEmpty || m.on || m.cardinality != .oneToOne {
                throw fail("vector matching only allowed between instant vectors", b.position)
            }
        }
    }

    private func checkCall(_ c: FunctionCall) throws(PromQLParseError) {
        guard let sig = FunctionSignature.lookup(c.name) else {
            throw fail("unknown function with name \"\(c.name)\"", c.position)
        }
        let n = c.args.count, fixed = sig.argTypes.count
        if sig.variadic == 0, n != fixed {
            throw fail("expected \(fixed) argument(s) in call to \"\(c.name)\", got \(n)", c.position)
        } else if sig.variadic > 0 {
            if n < fixed - sig.variadic {
                throw fail("expected at least \(fixed - sig.variadic) argument(s) in call to \"\(c.name)\", got \(n)", c.position)
            }
            if n > fixed {
                throw fail("expected at most \(fixed) argument(s) in call to \"\(c.name)\", got \(n)", c.position)
            }
        } else if sig.variadic < 0, n < fixed - 1 {
            throw fail("expected at least \(fixed - 1) argument(s) in call to \"\(c.name)\", got \(n)", c.position)
        }
        for (i, arg) in c.args.enumerated() {
            // info()'s data-label selector may consist of matchers that accept empty values only.
            if c.name == "info", i == 1, case .vectorSelector = arg {} else { try check(arg) }
            let want = sig.argTypes[min(i, fixed - 1)]
            try expect(want, arg, "call to function \"\(c.name)\"")
        }
    }
}

extension Expr {
    /// Every vector selector in the expression (including those inside range selectors), in source order.
    /// Useful for lints and for choosing what to scrape.
    public var vectorSelectors: [VectorSelector] {
        var out: [VectorSelector] = []
        walk { e in
            if case .vectorSelector(let vs) = e { out.append(vs) }
            return true
        }
        return out
    }

    /// The metric names selected by equality on `__name__` (selectors by regex contribute nothing).
    public var metricNames: Set<String> {
        Set(vectorSelectors.flatMap { vs in
            vs.matchers.filter { $0.name == Labels.metricName && $0.kind == .equal }.map(\.value)
        })
    }
}
