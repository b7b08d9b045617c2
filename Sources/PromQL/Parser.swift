import MetricsCore

/// Entry point of the PromQL parser.
public enum PromQLParser {
    /// Parses one expression. Errors carry line and column.
    public static func parse(_ text: String) throws(PromQLParseError) -> Expr {
        var p = Parser(text: text, tokens: try Lexer.tokenize(text))
        let e = try p.parseExpr()
        guard p.peek.kind == .eof else { throw p.unexpected(p.peek) }
        try TypeChecker(source: text).check(e)
        return e
    }
}

/// Recursive-descent parser with precedence climbing, following Prometheus' grammar:
/// `or` < `and unless` < comparisons < `+ -` < `* / % atan2` < `^` (right-associative);
/// unary minus binds like `*`, so `-a ^ b` is `-(a ^ b)`.
struct Parser {
    let text: String
    let bytes: [UInt8]
    let tokens: [Token]
    var index = 0

    init(text: String, tokens: [Token]) {
        self.text = text
        self.bytes = Array(text.utf8)
        self.tokens = tokens
    }

    var peek: Token { tokens[index] }
    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func error(_ message: String, at offset: Int) -> PromQLParseError {
        Lexer.error(message, at: offset, in: bytes)
    }

    func unexpected(_ t: Token, _ context: String? = nil, expected: String? = nil) -> PromQLParseError {
        var msg = "unexpected \(Lexer.describe(t))"
        if let context { msg += " in \(context)" }
        if let expected { msg += ", expected \(expected)" }
        return error(msg, at: t.start)
    }

    func isKeyword(_ t: Token, _ word: String) -> Bool {
        t.kind == .identifier && t.text.lowercased() == word
    }

    // MARK: Binary operators

    private static let levels: [[BinaryOp]] = [
        [.or], [.and, .unless], [.eql, .neq, .lte, .lss, .gte, .gtr], [.add, .sub], [.mul, .div, .mod, .atan2],
    ]

    func binaryOp(_ t: Token) -> BinaryOp? {
        switch t.kind {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .mod: return .mod
        case .pow: return .pow
        case .eql: return .eql
        case .neq: return .neq
        case .lss: return .lss
        case .gtr: return .gtr
        case .lte: return .lte
        case .gte: return .gte
        case .identifier:
            switch t.text.lowercased() {
            case "and": return .and
            case "or": return .or
            case "unless": return .unless
            case "atan2": return .atan2
            default: return nil
            }
        default: return nil
        }
    }

    mutating func parseExpr() throws(PromQLParseError) -> Expr { try parseLevel(0) }

    private mutating func parseLevel(_ level: Int) throws(PromQLParseError) -> Expr {
        if level == Parser.levels.count { return try parseUnary() }
        var lhs = try parseLevel(level + 1)
        while let op = binaryOp(peek), Parser.levels[level].contains(op) {
            _ = advance()
            lhs = try parseBinaryRest(op, lhs) { (p: inout Parser) throws(PromQLParseError) in try p.parseLevel(level + 1) }
        }
        return lhs
    }

    /// Parses the modifiers after an operator (`bool`, `on(...)`/`ignoring(...)`, `group_left(...)`) and the rhs.
    private mutating func parseBinaryRest(
        _ op: BinaryOp, _ lhs: Expr, rhs parseRHS: (inout Parser) throws(PromQLParseError) -> Expr
    ) throws(PromQLParseError) -> Expr {
        var returnBool = false
        if isKeyword(peek, "bool") {
            let t = advance()
            guard op.isComparison else { throw error("bool modifier can only be used on comparison operators", at: t.start) }
            returnBool = true
        }
        var matching: VectorMatching? = nil
        if isKeyword(peek, "on") || isKeyword(peek, "ignoring") {
            let on = advance().text.lowercased() == "on"
            let labels = try parseLabelList()
            matching = VectorMatching(cardinality: .oneToOne, on: on, labels: labels, include: [])
        }
        if isKeyword(peek, "group_left") || isKeyword(peek, "group_right") {
            let t = advance()
            let left = t.text.lowercased() == "group_left"
            var include: [String] = []
            if peek.kind == .leftParen { include = try parseLabelList() }
            if op.isSetOperator {
                throw error("no grouping allowed for \"\(op.rawValue)\" operation", at: t.start)
            }
            var m = matching ?? VectorMatching(cardinality: .oneToOne, on: false, labels: [], include: [])
            m.cardinality = left ? .manyToOne : .oneToMany
            m.include = include
            for l in include where m.on && m.labels.contains(l) {
                throw error("label \"\(l)\" must not occur in ON and GROUP clause at once", at: t.start)
            }
            matching = m
        }
        let rhs = try parseRHS(&self)
        // Like Prometheus, vector/vector operations always carry matching; set operators are many-to-many.
        if lhs.type == .vector && rhs.type == .vector {
            var m = matching ?? VectorMatching(cardinality: .oneToOne, on: false, labels: [], include: [])
            if op.isSetOperator { m.cardinality = .manyToMany }
            matching = m
        } else if let m = matching, !m.on, m.labels.isEmpty, m.cardinality == .oneToOne {
            matching = nil
        }
        let pos = PositionRange(start: lhs.position.start, end: rhs.position.end)
        return .binary(BinaryExpr(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: matching, position: pos))
    }

    private mutating func parseUnary() throws(PromQLParseError) -> Expr {
        if peek.kind == .sub || peek.kind == .add {
            let t = advance()
            let operand = try parseUnary()
            let pos = PositionRange(start: t.start, end: operand.position.end)
            // Prometheus folds the sign into number literals.
            if case .number(let v, _) = operand {
                return .number(t.kind == .sub ? -v : v, pos)
            }
            return .unary(t.kind == .sub ? .minus : .plus, operand, pos)
        }
        return try parsePow()
    }

    private mutating func parsePow() throws(PromQLParseError) -> Expr {
        let lhs = try parsePostfix()
        if peek.kind == .pow {
            _ = advance()
            return try parseBinaryRest(.pow, lhs) { (p: inout Parser) throws(PromQLParseError) in try p.parseUnary() }
        }
        return lhs
    }

    // MARK: Postfix: ranges, subqueries, offset, @

    private mutating func parsePostfix() throws(PromQLParseError) -> Expr {
        var e = try parsePrimary()
        while true {
            if peek.kind == .leftBracket {
                e = try parseRangeOrSubquery(e)
            } else if isKeyword(peek, "offset") {
                let t = advance()
                let d = try parseSignedDuration()
                e = try applyOffset(e, d, keyword: t)
            } else if peek.kind == .at {
                let t = advance()
                let at = try parseAt()
                e = try applyAt(e, at, token: t)
            } else {
                return e
            }
        }
    }

    private mutating func parseRangeOrSubquery(_ e: Expr) throws(PromQLParseError) -> Expr {
        let open = advance()
        let range = try parseDurationExpr(context: "range")
        if peek.kind == .colon {
            _ = advance()
            var step: Int64? = nil
            if peek.kind != .rightBracket { step = try parseDurationExpr(context: "subquery step") }
            let close = advance()
            guard close.kind == .rightBracket else { throw unexpected(close, "subquery selector", expected: "\"]\"") }
            return .subquery(SubqueryExpr(expr: e, range: range, step: step,
                                          position: PositionRange(start: e.position.start, end: close.end)))
        }
        let close = advance()
        guard close.kind == .rightBracket else {
            throw unexpected(close, "range selector", expected: "\"]\" or \":\"")
        }
        guard case .vectorSelector(let vs) = e else {
            throw error("ranges only allowed for vector selectors", at: open.start)
        }
        if vs.offset != 0 || vs.at != nil {
            throw error("no offset or @ modifiers allowed before range", at: open.start)
        }
        return .matrixSelector(MatrixSelector(vector: vs, range: range,
                                              position: PositionRange(start: e.position.start, end: close.end)))
    }

    mutating func parseDuration(context: String) throws(PromQLParseError) -> Int64 {
        let t = advance()
        switch t.kind {
        case .duration:
            do { return try PromDuration.parse(t.text) } catch { throw self.error("not a valid duration string: \"\(t.text)\"", at: t.start) }
        case .number:
            // Prometheus 3 accepts a plain number of seconds as a duration.
            guard let v = Parser.numberValue(t.text), v.isFinite, abs(v) < 9e15 else {
                throw error("invalid duration \"\(t.text)\"", at: t.start)
            }
            return Int64((v * 1000).rounded())
        default:
            throw unexpected(t, context, expected: "duration")
        }
    }

    /// A duration, or a constant duration expression (`[2m*15]`, `[1h30m % 1h]`) folded to milliseconds.
    mutating func parseDurationExpr(context: String) throws(PromQLParseError) -> Int64 {
        let next = tokens[index + 1].kind
        if (peek.kind == .duration || peek.kind == .number) && (next == .rightBracket || next == .colon) {
            return try parseDuration(context: context)
        }
        let start = peek
        let e = try parseExpr()
        return try foldDuration(e, at: start)
    }

    private func foldDuration(_ e: Expr, at t: Token) throws(PromQLParseError) -> Int64 {
        guard let seconds = DurationFolding.seconds(e) else {
            throw error("only constant duration expressions are supported (no step() or range())", at: t.start)
        }
        guard seconds.isFinite, abs(seconds) < 9e15 else { throw error("duration out of range", at: t.start) }
        return Int64((seconds * 1000).rounded())
    }

    private mutating func parseSignedDuration() throws(PromQLParseError) -> Int64 {
        if peek.kind == .leftParen || (peek.kind == .sub && tokens[index + 1].kind == .leftParen) {
            let negative = peek.kind == .sub
            if negative { _ = advance() }
            let start = peek
            let e = try parsePrimary()
            let ms = try foldDuration(e, at: start)
            return negative ? -ms : ms
        }
        if peek.kind == .sub {
            _ = advance()
            return -(try parseDuration(context: "offset"))
        }
        if peek.kind == .add { _ = advance() }
        return try parseDuration(context: "offset")
    }

    private func applyOffset(_ e: Expr, _ d: Int64, keyword: Token) throws(PromQLParseError) -> Expr {
        let end = tokens[max(index - 1, 0)].end
        switch e {
        case .vectorSelector(var vs):
            guard vs.offset == 0 else { throw error("offset may not be set multiple times", at: keyword.start) }
            vs.offset = d
            vs.position.end = end
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            guard ms.vector.offset == 0 else { throw error("offset may not be set multiple times", at: keyword.start) }
            ms.vector.offset = d
            ms.position.end = end
            return .matrixSelector(ms)
        case .subquery(var sq):
            guard sq.offset == 0 else { throw error("offset may not be set multiple times", at: keyword.start) }
            sq.offset = d
            sq.position.end = end
            return .subquery(sq)
        default:
            throw error("offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: keyword.start)
        }
    }

    private mutating func parseAt() throws(PromQLParseError) -> AtModifier {
        if isKeyword(peek, "start") || isKeyword(peek, "end") {
            let t = advance()
            guard advance().kind == .leftParen else { throw unexpected(tokens[index - 1], "@", expected: "\"(\"") }
            guard advance().kind == .rightParen else { throw unexpected(tokens[index - 1], "@", expected: "\")\"") }
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
        guard seconds.isFinite, abs(seconds) < 9.2e15 else {
            throw error("timestamp out of bounds for @ modifier: \(seconds)", at: t.start)
        }
        return .timestamp(Int64((seconds * 1000).rounded()))
    }

    private func applyAt(_ e: Expr, _ at: AtModifier, token: Token) throws(PromQLParseError) -> Expr {
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

    // MARK: Numbers

    static func specialNumber(_ s: String) -> Double? {
        switch s.lowercased() {
        case "inf": return .infinity
        case "nan": return .nan
        default: return nil
        }
    }

    static func numberValue(_ s: String) -> Double? {
        let lower = s.lowercased()
        if lower.hasPrefix("0x") { return UInt64(lower.dropFirst(2), radix: 16).map { Double($0) } }
        return Double(s)
    }
}

/// Constant folding of duration expressions; durations and numbers both count seconds.
enum DurationFolding {
    static func seconds(_ e: Expr) -> Double? {
        switch e {
        case .number(let v, _): return v
        case .paren(let inner, _): return seconds(inner)
        case .unary(let op, let inner, _): return seconds(inner).map { op == .minus ? -$0 : $0 }
        case .binary(let b) where b.op.isArithmetic:
            guard let l = seconds(b.lhs), let r = seconds(b.rhs) else { return nil }
            return b.op.apply(l, r).0
        case .call(let c) where c.name == "min_of" || c.name == "max_of":
            let xs = c.args.compactMap(seconds)
            guard xs.count == c.args.count, !xs.isEmpty else { return nil }
            return c.name == "min_of" ? xs.min() : xs.max()
        default: return nil
        }
    }
}
