import MetricsCore

/// Primary expressions: literals, parentheses, selectors, function calls and aggregations.
extension Parser {
    mutating func parsePrimary() throws(PromQLParseError) -> Expr {
        let t = peek
        switch t.kind {
        case .number:
            _ = advance()
            guard let v = Parser.numberValue(t.text) else { throw error("bad number syntax: \"\(t.text)\"", at: t.start) }
            return .number(v, t.position)
        case .duration:
            // A duration literal used as a value counts its seconds (Prometheus 3 duration expressions).
            let ms = try parseDuration(context: "expression")
            return .number(Double(ms) / 1000, t.position)
        case .string:
            _ = advance()
            return .string(try unquote(t), t.position)
        case .leftParen:
            _ = advance()
            let inner = try parseExpr()
            let close = advance()
            guard close.kind == .rightParen else { throw unexpected(close, "paren expression", expected: "\")\"") }
            return .paren(inner, PositionRange(start: t.start, end: close.end))
        case .leftBrace:
            return .vectorSelector(try parseSelector(name: nil))
        case .identifier:
            return try parseIdentifierExpr()
        case .eof:
            throw error("unexpected end of input", at: t.start)
        case .error:
            throw unexpected(t)
        default:
            throw unexpected(t)
        }
    }

    private mutating func parseIdentifierExpr() throws(PromQLParseError) -> Expr {
        let t = peek
        let lower = t.text.lowercased()
        if let op = AggregateOp(rawValue: lower) {
            return try parseAggregation(op)
        }
        if let n = Parser.specialNumber(t.text) {
            _ = advance()
            return .number(n, t.position)
        }
        if peekNext.kind == .leftParen {
            // Duration-expression functions are case-insensitive (`STEP()`), like keywords.
            let durationFunctions: Set<String> = ["step", "range", "min_of", "max_of"]
            guard let sig = FunctionSignature.lookup(t.text)
                ?? (durationFunctions.contains(lower) ? FunctionSignature.lookup(lower) : nil) else {
                throw error("unknown function with name \"\(t.text)\"", at: t.start)
            }
            return try parseCall(sig)
        }
        if Lexer.keywords.contains(lower) { throw unexpected(t) }
        _ = advance()
        if peek.kind == .leftBrace { return .vectorSelector(try parseSelector(name: t)) }
        let m = try makeMatcher(.equal, Labels.metricName, t.text, at: t)
        return .vectorSelector(VectorSelector(name: t.text, matchers: [m], position: t.position))
    }

    /// Comma-separated expressions up to (not including) the closing parenthesis; a trailing comma is allowed.
    private mutating func parseArguments() throws(PromQLParseError) -> [Expr] {
        var args: [Expr] = []
        guard peek.kind != .rightParen else { return args }
        while true {
            args.append(try parseExpr())
            guard peek.kind == .comma else { return args }
            _ = advance()
            if peek.kind == .rightParen { return args }
        }
    }

    private mutating func parseCall(_ sig: FunctionSignature) throws(PromQLParseError) -> Expr {
        let nameTok = advance()
        _ = advance()  // (
        let args = try parseArguments()
        let close = advance()
        guard close.kind == .rightParen else { throw unexpected(close, "function call", expected: "\",\" or \")\"") }
        return .call(FunctionCall(name: sig.name, args: args, position: PositionRange(start: nameTok.start, end: close.end)))
    }

    private mutating func parseAggregation(_ op: AggregateOp) throws(PromQLParseError) -> Expr {
        let opTok = advance()
        var grouping: [String] = []
        var without = false
        var hadGrouping = false
        if isKeyword(peek, "by") || isKeyword(peek, "without") {
            without = advance().text.lowercased() == "without"
            grouping = try parseLabelList()
            hadGrouping = true
        }
        let open = advance()
        guard open.kind == .leftParen else { throw unexpected(open, "aggregation", expected: "\"(\"") }
        let args = try parseArguments()
        var close = advance()
        guard close.kind == .rightParen else { throw unexpected(close, "aggregation", expected: "\",\" or \")\"") }
        if !hadGrouping, isKeyword(peek, "by") || isKeyword(peek, "without") {
            without = advance().text.lowercased() == "without"
            grouping = try parseLabelList()
            close = tokens[index - 1]
        }
        let expected = op.hasParameter ? 2 : 1
        guard args.count == expected else {
            if args.isEmpty { throw error("no arguments for aggregate expression provided", at: close.start) }
            throw error("wrong number of arguments for aggregate expression provided, expected \(expected), got \(args.count)", at: close.start)
        }
        let pos = PositionRange(start: opTok.start, end: close.end)
        return .aggregate(AggregateExpr(op: op, expr: args[expected - 1], param: op.hasParameter ? args[0] : nil,
                                        grouping: grouping, without: without, position: pos))
    }

    /// `(a, b, "c.d")`, allowing keywords and quoted names, and a trailing comma.
    mutating func parseLabelList() throws(PromQLParseError) -> [String] {
        let open = advance()
        guard open.kind == .leftParen else { throw unexpected(open, "grouping opts", expected: "\"(\"") }
        var out: [String] = []
        while peek.kind != .rightParen {
            let t = advance()
            switch t.kind {
            case .identifier:
                guard !t.text.contains(":") else { throw unexpected(t, "grouping opts", expected: "label") }
                out.append(t.text)
            case .string: out.append(try unquote(t))
            default: throw unexpected(t, "grouping opts", expected: "label")
            }
            if peek.kind == .comma { _ = advance() } else if peek.kind != .rightParen {
                throw unexpected(peek, "grouping opts", expected: "\",\" or \")\"")
            }
        }
        _ = advance()
        return out
    }

    /// `{a="b", c=~"d"}` after an optional metric name token.
    mutating func parseSelector(name nameTok: Token?) throws(PromQLParseError) -> VectorSelector {
        let open = advance()  // {
        var matchers: [LabelMatcher] = []
        var metricName = nameTok?.text
        while peek.kind != .rightBrace {
            let labelTok = advance()
            let label: String
            switch labelTok.kind {
            case .identifier: label = labelTok.text
            case .string: label = try unquote(labelTok)
            case .eof: throw error("unexpected end of input inside braces", at: labelTok.start)
            default: throw unexpected(labelTok, "label matching", expected: "label matching operator")
            }
            let opTok = peek
            let kind: LabelMatcher.Kind?
            switch opTok.kind {
            case .assign: kind = .equal
            case .neq: kind = .notEqual
            case .eqlRegex: kind = .regexMatch
            case .neqRegex: kind = .regexNoMatch
            default: kind = nil
            }
            if let kind {
                _ = advance()
                let valueTok = advance()
                guard valueTok.kind == .string else {
                    throw unexpected(valueTok, "label matching", expected: "string")
                }
                let value = try unquote(valueTok)
                if label == Labels.metricName, kind == .equal, let existing = metricName, nameTok != nil {
                    throw error("metric name must not be set twice: \"\(existing)\" or \"\(value)\"", at: labelTok.start)
                }
                matchers.append(try makeMatcher(kind, label, value, at: labelTok))
            } else if labelTok.kind == .string, opTok.kind == .comma || opTok.kind == .rightBrace {
                // A lone quoted string is the metric name: `{"my.metric"}`.
                if let existing = metricName {
                    throw error("metric name must not be set twice: \"\(existing)\" or \"\(label)\"", at: labelTok.start)
                }
                metricName = label
                matchers.append(try makeMatcher(.equal, Labels.metricName, label, at: labelTok))
            } else {
                throw unexpected(opTok, "label matching", expected: "label matching operator")
            }
            if peek.kind == .comma {
                _ = advance()
            } else if peek.kind == .eof {
                throw error("unexpected end of input inside braces", at: peek.start)
            } else if peek.kind != .rightBrace {
                throw unexpected(peek, "label matching", expected: "\",\" or \"}\"")
            }
        }
        let close = advance()
        if let nameTok {
            matchers.append(try makeMatcher(.equal, Labels.metricName, nameTok.text, at: nameTok))
        }
        let start = nameTok?.start ?? open.start
        return VectorSelector(name: metricName, matchers: matchers, position: PositionRange(start: start, end: close.end))
    }

    func makeMatcher(_ kind: LabelMatcher.Kind, _ name: String, _ value: String, at t: Token) throws(PromQLParseError) -> LabelMatcher {
        do {
            return try LabelMatcher(kind, name, value)
        } catch {
            throw self.error("error parsing regexp: \(error.reason)", at: t.start)
        }
    }

    func unquote(_ t: Token) throws(PromQLParseError) -> String {
        switch StringLiteral.unquote(t.text) {
        case .success(let s): return s
        case .failure(let why): throw error(why.reason, at: t.start)
        }
    }
}
