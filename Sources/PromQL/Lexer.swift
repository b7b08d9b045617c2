import MetricsCore

/// The kinds of PromQL tokens. Keywords (`by`, `offset`, `and`...) are lexed as identifiers and
/// recognised by the parser case-insensitively, because they are also valid label names.
enum TokenKind: Hashable, Sendable {
    case identifier, number, duration, string
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, assign, colon, at
    case eql, neq, lss, gtr, lte, gte, eqlRegex, neqRegex
    case add, sub, mul, div, mod, pow
    case eof
    /// A lexical error, reported (like Prometheus' ERROR item) only if the parser reaches it.
    case error
}

struct Token: Hashable, Sendable {
    var kind: TokenKind
    /// UTF-8 byte offsets of the token in the source (`start..<end`).
    var start: Int
    var end: Int
    var text: String

    var position: PositionRange { PositionRange(start: start, end: end) }
}

/// Splits PromQL text into tokens. Works on UTF-8 bytes; positions are byte offsets, as in Prometheus.
struct Lexer {
    let bytes: [UInt8]
    let source: String
    private(set) var pos = 0
    // Nesting state, as Prometheus' lexer tracks it, for its "unclosed ..." and "unexpected ..." errors.
    private var parenDepth = 0
    private var bracketOpen = false
    private var braceOpen = false

    init(_ source: String) {
        self.source = source
        self.bytes = Array(source.utf8)
    }

    /// Lexes the whole input (ending with an `.eof` token).
    /// Lexes the input up to its end or its first lexical error, which becomes a final `.error` token
    /// carrying the message (`text`) and position (`start`).
    static func tokenize(_ source: String) throws(PromQLParseError) -> [Token] {
        var lx = Lexer(source)
        var out: [Token] = []
        while true {
            do {
                let t = try lx.checked(try lx.next())
                out.append(t)
                if t.kind == .eof { return out }
            } catch {
                out.append(Token(kind: .error, start: error.offset, end: error.offset, text: error.message))
                return out
            }
        }
    }

    /// Applies Prometheus' nesting rules to a token.
    private mutating func checked(_ t: Token) throws(PromQLParseError) -> Token {
        if braceOpen {
            switch t.kind {
            case .identifier, .string, .assign, .neq, .eqlRegex, .neqRegex, .comma, .rightBrace, .eof: break
            default:
                let c = t.text.first.map { String($0) } ?? ""
                throw error("unexpected character inside braces: '\(c)'", at: t.start)
            }
        }
        switch t.kind {
        case .leftParen: parenDepth += 1
        case .rightParen:
            parenDepth -= 1
            if parenDepth < 0 { throw error("unexpected right parenthesis ')'", at: t.end) }
        case .leftBracket:
            if bracketOpen { throw error("unexpected left bracket '['", at: t.start) }
            bracketOpen = true
        case .rightBracket:
            if !bracketOpen { throw error("unexpected right bracket ']'", at: t.start) }
            bracketOpen = false
        case .leftBrace:
            if braceOpen { throw error("unexpected left brace '{'", at: t.start) }
            braceOpen = true
        case .rightBrace:
            if !braceOpen { throw error("unexpected character: '}'", at: t.start) }
            braceOpen = false
        case .eof:
            if braceOpen { throw error("unexpected end of input inside braces", at: t.start) }
            if parenDepth > 0 { throw error("unclosed left parenthesis", at: t.start) }
            if bracketOpen { throw error("unclosed left bracket", at: t.start) }
        default: break
        }
        return t
    }

    func error(_ message: String, at offset: Int) -> PromQLParseError {
        Lexer.error(message, at: offset, in: bytes)
    }

    /// Prometheus counts the column in bytes from the last line break.
    static func error(_ message: String, at offset: Int, in bytes: [UInt8]) -> PromQLParseError {
        var line = 1
        var lastBreak = -1
        for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lastBreak = i
        }
        return PromQLParseError(message: message, line: line, column: offset - lastBreak, offset: offset)
    }

    private func text(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }

    private func peek(_ k: Int = 0) -> UInt8? { pos + k < bytes.count ? bytes[pos + k] : nil }

    mutating func next() throws(PromQLParseError) -> Token {
        skipSpaceAndComments()
        let start = pos
        guard let c = peek() else { return Token(kind: .eof, start: pos, end: pos, text: "") }
        func single(_ k: TokenKind, _ n: Int = 1) -> Token {
            pos += n
            return Token(kind: k, start: start, end: pos, text: text(start, pos))
        }
        switch c {
        case UInt8(ascii: "("): return single(.leftParen)
        case UInt8(ascii: ")"): return single(.rightParen)
        case UInt8(ascii: "{"): return single(.leftBrace)
        case UInt8(ascii: "}"): return single(.rightBrace)
        case UInt8(ascii: "["): return single(.leftBracket)
        case UInt8(ascii: "]"): return single(.rightBracket)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: "@"): return single(.at)
        case UInt8(ascii: "+"): return single(.add)
        case UInt8(ascii: "-"): return single(.sub)
        case UInt8(ascii: "*"): return single(.mul)
        case UInt8(ascii: "/"): return single(.div)
        case UInt8(ascii: "%"): return single(.mod)
        case UInt8(ascii: "^"): return single(.pow)
        case UInt8(ascii: "="):
            if peek(1) == UInt8(ascii: "=") { return single(.eql, 2) }
            if peek(1) == UInt8(ascii: "~") { return single(.eqlRegex, 2) }
            return single(.assign)
        case UInt8(ascii: "!"):
            if peek(1) == UInt8(ascii: "=") { return single(.neq, 2) }
            if peek(1) == UInt8(ascii: "~") { return single(.neqRegex, 2) }
            throw error("unexpected character after '!': \(describe(peek(1)))", at: start)
        case UInt8(ascii: "<"):
            if peek(1) == UInt8(ascii: "=") { return single(.lte, 2) }
            return single(.lss)
        case UInt8(ascii: ">"):
            if peek(1) == UInt8(ascii: "=") { return single(.gte, 2) }
            return single(.gtr)
        case UInt8(ascii: ":"):
            return single(.colon)
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            return try lexString(quote: c)
        default:
            if Lexer.isDigit(c) || (c == UInt8(ascii: ".") && peek(1).map(Lexer.isDigit) == true) {
                return try lexNumberOrDuration()
            }
            if Lexer.isIdentStart(c) {
                pos += 1
                while let d = peek(), Lexer.isIdentChar(d) { pos += 1 }
                return Token(kind: .identifier, start: start, end: pos, text: text(start, pos))
            }
            throw error("unexpected character: \(describe(c))", at: start)
        }
    }

    private func describe(_ c: UInt8?) -> String {
        guard let c else { return "EOF" }
        return "'" + String(UnicodeScalar(c)) + "'"
    }

    private mutating func skipSpaceAndComments() {
        while let c = peek() {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                pos += 1
            } else if c == UInt8(ascii: "#") {
                while let d = peek(), d != 0x0A { pos += 1 }
            } else {
                return
            }
        }
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    static func isIdentStart(_ c: UInt8) -> Bool { isAlpha(c) || c == UInt8(ascii: "_") }
    static func isIdentChar(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") }

    private static let durationUnits: Set<UInt8> = Set("smhdwy".utf8)

    private mutating func lexNumberOrDuration() throws(PromQLParseError) -> Token {
        let start = pos
        // Hexadecimal.
        if peek() == UInt8(ascii: "0"), let x = peek(1), x | 0x20 == UInt8(ascii: "x"),
           let h = peek(2), Lexer.isHex(h) {
            pos += 2
            while let d = peek(), Lexer.isHex(d) { pos += 1 }
            return try finishNumber(start)
        }
        while let d = peek(), Lexer.isDigit(d) { pos += 1 }
        // A duration: digits directly followed by a unit, possibly repeated (`1h30m`, `500ms`).
        if let u = peek(), Lexer.durationUnits.contains(u) {
            while true {
                guard let u = peek(), Lexer.durationUnits.contains(u) else { break }
                pos += 1
                if u == UInt8(ascii: "m"), peek() == UInt8(ascii: "s") { pos += 1 }
                guard let d = peek(), Lexer.isDigit(d) else { break }
                while let d = peek(), Lexer.isDigit(d) { pos += 1 }
            }
            if let c = peek(), Lexer.isTrailingJunk(c) {
                while let c = peek(), Lexer.isTrailingJunk(c) { pos += 1 }
                throw error("bad number or duration syntax: \"\(text(start, pos))\"", at: start)
            }
            return Token(kind: .duration, start: start, end: pos, text: text(start, pos))
        }
        if peek() == UInt8(ascii: ".") {
            pos += 1
            while let d = peek(), Lexer.isDigit(d) { pos += 1 }
        }
        if let e = peek(), e | 0x20 == UInt8(ascii: "e") {
            var k = 1
            if let s = peek(1), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { k = 2 }
            if let d = peek(k), Lexer.isDigit(d) {
                pos += k
                while let d = peek(), Lexer.isDigit(d) { pos += 1 }
            }
        }
        return try finishNumber(start)
    }

    private mutating func finishNumber(_ start: Int) throws(PromQLParseError) -> Token {
        if let c = peek(), Lexer.isTrailingJunk(c) {
            while let c = peek(), Lexer.isTrailingJunk(c) { pos += 1 }
            throw error("bad number or duration syntax: \"\(text(start, pos))\"", at: start)
        }
        return Token(kind: .number, start: start, end: pos, text: text(start, pos))
    }

    /// Characters that may not directly follow a number or duration (`:` may: `[5m:1m]`).
    static func isTrailingJunk(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") }

    static func isHex(_ c: UInt8) -> Bool { isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) }

    private mutating func lexString(quote: UInt8) throws(PromQLParseError) -> Token {
        let start = pos
        pos += 1
        while true {
            guard let c = peek() else { throw error("unterminated quoted string", at: start) }
            pos += 1
            if c == quote { break }
            if quote != UInt8(ascii: "`") {
                if c == UInt8(ascii: "\\") {
                    guard peek() != nil else { throw error("unterminated quoted string", at: start) }
                    pos += 1
                } else if c == 0x0A {
                    throw error("unterminated quoted string", at: start)
                }
            }
        }
        return Token(kind: .string, start: start, end: pos, text: text(start, pos))
    }
}

extension Lexer {
    static let keywords: Set<String> = [
        "and", "or", "unless", "atan2", "by", "without", "on", "ignoring", "group_left", "group_right",
        "bool", "offset", "start", "end",
    ]
    static let aggregators: Set<String> = Set(AggregateOp.allCases.map(\.rawValue))

    /// How Prometheus names a token in "unexpected ..." errors.
    static func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: return "end of input"
        case .error: return t.text
        case .identifier:
            let lower = t.text.lowercased()
            if keywords.contains(lower) { return "<\(lower)>" }
            if aggregators.contains(lower) { return "<aggr:\(lower)>" }
            return "identifier \(goQuote(t.text))"
        case .number: return "number \(goQuote(t.text))"
        case .duration: return "duration \(goQuote(t.text))"
        case .string: return "string \(goQuote(t.text))"
        case .add, .sub, .mul, .div, .mod, .pow, .eql, .neq, .lss, .gtr, .lte, .gte, .eqlRegex, .neqRegex, .assign, .at:
            return "<op:\(t.text)>"
        default: return goQuote(t.text)
        }
    }

    static func goQuote(_ s: String) -> String { StringLiteral.quote(s) }
}
