import MetricsCore

/// Postfix parts of PromQL expressions: ranges, subqueries, `offset`, `@`, `anchored`/`smoothed`,
/// and (duration) expressions inside them.
extension Parser {
    // MARK: Postfix: ranges, subqueries, offset, @

    mutating func parsePostfix() throws(PromQLParseError) -> Expr {
        var e = try parsePrimary()
        while true {
            if peek.kind == .leftBracket {
                e = try parseRangeOrSubquery(e)
            } else if isKeyword(peek, "offset") {
                let t = advance()
                let (d, dExpr) = try parseSignedDuration()
                e = try applyOffset(e, d, dExpr, keyword: t)
            } else if isKeyword(peek, "anchored") || isKeyword(peek, "smoothed") {
                let t = advance()
                e = try applyExtendedModifier(e, smoothed: t.text.lowercased() == "smoothed", token: t)
            } else if peek.kind == .at {
                let t = advance()
                let at = try parseAt()
                e = try applyAt(e, at, token: t)
            } else {
                return e
            }
        }
    }

    mutating func parseRangeOrSubquery(_ e: Expr) throws(PromQLParseError) -> Expr {
        let open = advance()
        let (range, rangeExpr) = try parseDurationExpr(context: "range")
        if peek.kind == .colon {
            _ = advance()
            var step: Int64? = nil
            var stepExpr: Expr? = nil
            if peek.kind != .rightBracket { (step, stepExpr) = try parseDurationExpr(context: "subquery step") }
            let close = advance()
            guard close.kind == .rightBracket else { throw unexpected(close, "subquery selector", expected: "\"]\"") }
            var sq = SubqueryExpr(expr: e, range: range, step: step,
                                  position: PositionRange(start: e.position.start, end: close.end))
            sq.rangeExpr = rangeExpr
            sq.stepExpr = stepExpr
            return .subquery(sq)
        }
        let close = advance()
        guard close.kind == .rightBracket else {
            throw unexpected(close, "subquery or range", expected: "\":\" or \"]\"")
        }
        guard case .vectorSelector(let vs) = e else {
            throw error("ranges only allowed for vector selectors", at: open.start)
        }
        if vs.offset != 0 || vs.at != nil {
            throw error("no offset or @ modifiers allowed before range", at: open.start)
        }
        var ms = MatrixSelector(vector: vs, range: range, position: PositionRange(start: e.position.start, end: close.end))
        ms.rangeExpr = rangeExpr
        return .matrixSelector(ms)
    }

    mutating func parseDuration(context: String) throws(PromQLParseError) -> Int64 {
        let t = advance()
        switch t.kind {
        case .duration:
            let ms: Int64
            do { ms = try PromDuration.parse(t.text) } catch { throw self.error("not a valid duration string: \"\(t.text)\"", at: t.start) }
            // Bounded so that time arithmetic (t - offset - range) can never overflow.
            guard ms <= Parser.maxDurationMs else { throw error("duration out of range: \"\(t.text)\"", at: t.start) }
            return ms
        case .number:
            // Prometheus 3 accepts a plain number of seconds as a duration.
            guard let v = Parser.numberValue(t.text), v.isFinite, abs(v) * 1000 <= Double(Parser.maxDurationMs) else {
                throw error("invalid duration \"\(t.text)\"", at: t.start)
            }
            return Int64((v * 1000).rounded())
        default:
            throw unexpected(t, context, expected: "duration")
        }
    }

    /// A duration, or a constant duration expression (`[2m*15]`, `[1h30m % 1h]`) folded to milliseconds.
    /// Returns the folded milliseconds, or the expression itself when it depends on the query (`step()`).
    mutating func parseDurationExpr(context: String) throws(PromQLParseError) -> (Int64, Expr?) {
        let next = peekNext.kind
        if (peek.kind == .duration || peek.kind == .number) && (next == .rightBracket || next == .colon) {
            return (try parseDuration(context: context), nil)
        }
        let start = peek
        let e = try parseExpr()
        return try foldDuration(e, at: start)
    }

    func foldDuration(_ e: Expr, at t: Token) throws(PromQLParseError) -> (Int64, Expr?) {
        guard DurationFolding.isDurationExpr(e) else {
            throw error("invalid duration expression \"\(e)\"", at: t.start)
        }
        guard let seconds = DurationFolding.seconds(e) else { return (0, e) }
        guard seconds.isFinite, abs(seconds) * 1000 <= Double(Parser.maxDurationMs) else {
            throw error("duration out of range", at: t.start)
        }
        return (Int64((seconds * 1000).rounded()), nil)
    }

    /// An offset: an optionally signed duration, number, parenthesised expression or duration function.
    /// Binary operators after it belong to the enclosing expression (`x offset 100 + 2`).
    mutating func parseSignedDuration() throws(PromQLParseError) -> (Int64, Expr?) {
        let signTok = peek
        var negative = false
        if peek.kind == .sub || peek.kind == .add {
            negative = advance().kind == .sub
        }
        let isAtom = peek.kind == .leftParen || (peek.kind == .identifier && peekNext.kind == .leftParen)
        guard isAtom else {
            let ms = try parseDuration(context: "offset")
            return (negative ? -ms : ms, nil)
        }
        let start = peek
        var e = try parsePrimary()
        if negative { e = .unary(.minus, e, PositionRange(start: signTok.start, end: e.position.end)) }
        return try foldDuration(e, at: start)
    }

    func applyOffset(_ e: Expr, _ d: Int64, _ dExpr: Expr?, keyword: Token) throws(PromQLParseError) -> Expr {
        let end = tokens[max(index - 1, 0)].end
        switch e {
        case .vectorSelector(var vs):
            guard vs.offset == 0 else { throw error("offset may not be set multiple times", at: keyword.start) }
            vs.offset = d
            vs.offsetExpr = dExpr
            vs.position.end = end
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            guard ms.vector.offset == 0 else { throw error("offset may not be set multiple times", at: keyword.start) }
            ms.vector.offset = d
            ms.vector.offsetExpr = dExpr
            ms.position.end = end
            return .matrixSelector(ms)
        case .subquery(var sq):
            guard sq.offset == 0 else { throw error("offset may not be set multiple times", at: keyword.start) }
            sq.offset = d
            sq.offsetExpr = dExpr
            sq.position.end = end
            return .subquery(sq)
        default:
            throw error("offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: keyword.start)
        }
    }

    func applyExtendedModifier(_ e: Expr, smoothed: Bool, token: Token) throws(PromQLParseError) -> Expr {
        func set(_ vs: inout VectorSelector) {
            if smoothed { vs.smoothed = true } else { vs.anchored = true }
            vs.position.end = token.end
        }
        switch e {
        case .vectorSelector(var vs):
            guard smoothed else { throw error("anchored modifier can only be used with range vector selectors", at: token.start) }
            set(&vs)
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            set(&ms.vector)
            ms.position.end = token.end
            return .matrixSelector(ms)
        default:
            throw error("\(token.text.lowercased()) modifier must be preceded by a vector selector", at: token.start)
        }
    }

    mutating func parseAt() throws(PromQLParseError) -> AtModifier {
        if isKeyword(peek, "start") || isKeyword(peek, "end") {
            let t = advance()
            let open = advance()
            guard open.kind == .leftParen else { throw unexpected(open, "@", expected: "\"(\"") }
            let close = advance()
            guard close.kind == .rightParen else { throw unexpected(close, "@", expected: "\")\"") }
            return t.text.lowercased() == "start" ? .start : .end
        }
        var sign = 1.0
        if peek.kind == .sub { _ = advance(); sign = -1 } else if peek.kind == .add { _ = advance() }
        let t = advance()
        var v: Double?
        if t.kind == .number { v = Parser.numberValue(t.text) }
        if t.kind == .identifier { v = Parser.specialNumber(t.text) }
        if t.kind == .duration, let ms = try? PromDuration.parse(t.text) { v = Double(ms) / 1000 }
        guard let v else { throw unexpected(t, "@", expected: "timestamp") }
        let seconds = sign * v
        guard seconds.isFinite, abs(seconds) * 1000 <= Double(Parser.maxDurationMs) else {
            throw error("timestamp out of bounds for @ modifier: \(seconds)", at: t.start)
        }
        return .timestamp(Int64((seconds * 1000).rounded()))
    }

    func applyAt(_ e: Expr, _ at: AtModifier, token: Token) throws(PromQLParseError) -> Expr {
        let end = tokens[max(index - 1, 0)].end
        let twice = "@ <timestamp> may not be set multiple times"
        switch e {
        case .vectorSelector(var vs):
            guard vs.at == nil else { throw error(twice, at: token.start) }
            vs.at = at
            vs.position.end = end
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            guard ms.vector.at == nil else { throw error(twice, at: token.start) }
            ms.vector.at = at
            ms.position.end = end
            return .matrixSelector(ms)
        case .subquery(var sq):
            guard sq.at == nil else { throw error(twice, at: token.start) }
            sq.at = at
            sq.position.end = end
            return .subquery(sq)
        default:
            throw error("@ modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: token.start)
        }
    }
}

/// Folding of duration expressions; durations and numbers both count seconds. `step()` and `range()`
/// are known only when a query runs, so they fold only when `step`/`range` (seconds) are given.
enum DurationFolding {
    static func isDurationExpr(_ e: Expr) -> Bool {
        switch e {
        case .number: return true
        case .paren(let inner, _), .unary(_, let inner, _): return isDurationExpr(inner)
        case .binary(let b): return b.op.isArithmetic && isDurationExpr(b.lhs) && isDurationExpr(b.rhs)
        case .call(let c): return ["min_of", "max_of", "step", "range"].contains(c.name) && c.args.allSatisfy(isDurationExpr)
        default: return false
        }
    }

    static func seconds(_ e: Expr, step: Double? = nil, range: Double? = nil) -> Double? {
        func fold(_ x: Expr) -> Double? { seconds(x, step: step, range: range) }
        switch e {
        case .number(let v, _): return v
        case .paren(let inner, _): return fold(inner)
        case .unary(let op, let inner, _): return fold(inner).map { op == .minus ? -$0 : $0 }
        case .binary(let b) where b.op.isArithmetic:
            guard let l = fold(b.lhs), let r = fold(b.rhs) else { return nil }
            return b.op.apply(l, r).0
        case .call(let c) where c.name == "step": return step
        case .call(let c) where c.name == "range": return range
        case .call(let c) where c.name == "min_of" || c.name == "max_of":
            let xs = c.args.compactMap(fold)
            guard xs.count == c.args.count, !xs.isEmpty else { return nil }
            return c.name == "min_of" ? xs.min() : xs.max()
        default: return nil
        }
    }
}
