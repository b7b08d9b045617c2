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
    /// Current nesting of sub-expressions; bounded so that hostile input cannot exhaust the stack
    /// (the parser, type checker, printer and evaluator all recurse over the tree).
    var depth = 0
    static let maxDepth = 200

    init(text: String, tokens: [Token]) {
        self.text = text
        self.bytes = Array(text.utf8)
        self.tokens = tokens
    }

    var peek: Token { tokens[index] }
    /// The token after `peek` (the final end-of-input token repeats).
    var peekNext: Token { tokens[Swift.min(index + 1, tokens.count - 1)] }
    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func error(_ message: String, at offset: Int) -> PromQLParseError {
        Lexer.error(message, at: offset, in: bytes)
    }

    func unexpected(_ t: Token, _ context: String? = nil, expected: String? = nil) -> PromQLParseError {
        // A lexical error is reported as itself, wherever the parser meets it.
        if t.kind == .error { return error(t.text, at: t.start) }
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

    mutating func parseExpr() throws(PromQLParseError) -> Expr {
        try enter()
        defer { depth -= 1 }
        return try parseLevel(0)
    }

    mutating func enter() throws(PromQLParseError) {
        depth += 1
        if depth > Parser.maxDepth {
            throw error("expression nested too deeply (more than \(Parser.maxDepth) levels)", at: peek.start)
        }
    }

    private mutating func parseLevel(_ level: Int) throws(PromQLParseError) -> Expr {
        if level == Parser.levels.count { return try parseUnary() }
        var lhs = try parseLevel(level + 1)
        // Each chained operator deepens the (left-leaning) tree by one level.
        var chained = 0
        defer { depth -= chained }
        while let op = binaryOp(peek), Parser.levels[level].contains(op) {
            try enter()
            chained += 1
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
        var fillLeft: Double? = nil, fillRight: Double? = nil
        while peek.kind == .identifier, peekNext.kind == .leftParen,
              ["fill", "fill_left", "fill_right"].contains(peek.text.lowercased()) {
            let which = advance().text.lowercased()
            _ = advance()
            let v = try parseFillValue()
            let close = advance()
            guard close.kind == .rightParen else { throw unexpected(close, "fill modifier", expected: "\")\"") }
            if which != "fill_right" { fillLeft = v }
            if which != "fill_left" { fillRight = v }
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
        var b = BinaryExpr(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: matching, position: pos)
        b.fillLeft = fillLeft
        b.fillRight = fillRight
        return .binary(b)
    }

    /// A fill value: a possibly signed number, `Inf` or `NaN`.
    private mutating func parseFillValue() throws(PromQLParseError) -> Double {
        var sign = 1.0
        if peek.kind == .sub { _ = advance(); sign = -1 } else if peek.kind == .add { _ = advance() }
        let t = advance()
        if t.kind == .number, let v = Parser.numberValue(t.text) { return sign * v }
        if t.kind == .identifier, let v = Parser.specialNumber(t.text) { return sign * v }
        throw unexpected(t, "fill modifier", expected: "number")
    }

    mutating func parseUnary() throws(PromQLParseError) -> Expr {
        if peek.kind == .sub || peek.kind == .add {
            try enter()
            defer { depth -= 1 }
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

    mutating func parsePow() throws(PromQLParseError) -> Expr {
        let lhs = try parsePostfix()
        if peek.kind == .pow {
            try enter()
            defer { depth -= 1 }
            _ = advance()
            return try parseBinaryRest(.pow, lhs) { (p: inout Parser) throws(PromQLParseError) in try p.parseUnary() }
        }
        return lhs
    }

    // MARK: Numbers

    /// About 31,700 years: far beyond any real range, and small enough that sums of a few
    /// timestamps, offsets and ranges stay within Int64.
    static let maxDurationMs: Int64 = 1_000_000_000_000_000

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
