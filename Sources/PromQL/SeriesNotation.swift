import MetricsCore

/// The series notation of promqltest scripts and `promtool test rules` input series:
/// `name{l="v"}` descriptors and expanding value lists such as `0+10x30 _x3 stale 1e3 NaN`.
public enum SeriesNotation {
    /// Upper bound on the values one list may expand to, so that `1x999999999999` cannot exhaust memory.
    public static let maxValues = 10_000_000

    /// Parses a space-separated value list. `nil` is a missing sample (`_`); `stale` gives `StaleNaN.value`.
    /// `a+bxN` and `axN` give N+1 values; `_xN` gives N missing ones.
    public static func parseValues(_ text: String) throws(PromQLParseError) -> [Double?] {
        let bytes = Array(text.utf8)
        var out: [Double?] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1; continue }
            var j = i
            while j < bytes.count, bytes[j] != 0x20, bytes[j] != 0x09 { j += 1 }
            let item = Array(bytes[i..<j])
            guard let values = expand(item) else {
                throw Lexer.error("invalid series value \"\(String(decoding: item, as: UTF8.self))\"", at: i, in: bytes)
            }
            out.append(contentsOf: values)
            guard out.count <= maxValues else {
                throw Lexer.error("series value list expands to more than \(maxValues) values", at: i, in: bytes)
            }
            i = j
        }
        return out
    }

    /// Parses a descriptor `name`, `name{l="v",...}`, `{__name__="name"}` or `{"quoted.name", l="v"}`.
    public static func parseSeries(_ text: String) throws(PromQLParseError) -> Labels {
        let tokens = try Lexer.tokenize(text)
        if let bad = tokens.last, bad.kind == .error {
            throw Lexer.error(bad.text, at: bad.start, in: Array(text.utf8))
        }
        var p = 0
        let (labels, next) = try parseDescriptor(tokens, from: &p, source: text)
        guard next.kind == .eof else {
            throw Lexer.error("unexpected \(Lexer.describe(next)) in series descriptor", at: next.start, in: Array(text.utf8))
        }
        return labels
    }

    /// Splits a load line `name{l="v"} 1 2 3` into its descriptor and values.
    public static func parseSeriesLine(_ text: String) throws(PromQLParseError) -> (labels: Labels, values: [Double?]) {
        let end = try descriptorEnd(text)
        let bytes = Array(text.utf8)
        let head = String(decoding: bytes[0..<end], as: UTF8.self)
        let tail = String(decoding: bytes[end...], as: UTF8.self)
        return (try parseSeries(head), try parseValues(tail))
    }

    /// The byte offset where the descriptor at the start of `text` ends (strings may contain `}` or spaces).
    static func descriptorEnd(_ text: String) throws(PromQLParseError) -> Int {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        while i < bytes.count, Lexer.isIdentChar(bytes[i]) { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return i }
        var quote: UInt8? = nil
        while i < bytes.count {
            let c = bytes[i]
            if let q = quote {
                if c == UInt8(ascii: "\\") && q != UInt8(ascii: "`") { i += 1 } else if c == q { quote = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
                quote = c
            } else if c == UInt8(ascii: "}") {
                return i + 1
            }
            i += 1
        }
        throw Lexer.error("unterminated series descriptor", at: 0, in: bytes)
    }

    static func parseDescriptor(_ tokens: [Token], from p: inout Int, source: String) throws(PromQLParseError) -> (Labels, Token) {
        let bytes = Array(source.utf8)
        func fail(_ t: Token, _ what: String) -> PromQLParseError {
            Lexer.error("unexpected \(Lexer.describe(t)) in series descriptor, expected \(what)", at: t.start, in: bytes)
        }
        var pairs: [Label] = []
        if tokens[p].kind == .identifier {
            pairs.append(Label(Labels.metricName, tokens[p].text))
            p += 1
        }
        if tokens[p].kind == .leftBrace {
            p += 1
            while tokens[p].kind != .rightBrace {
                let nameTok = tokens[p]
                var name: String
                switch nameTok.kind {
                case .identifier: name = nameTok.text
                case .string: name = try unquote(nameTok, bytes)
                default: throw fail(nameTok, "label name")
                }
                p += 1
                if tokens[p].kind == .assign {
                    p += 1
                    guard tokens[p].kind == .string else { throw fail(tokens[p], "label value") }
                    pairs.append(Label(name, try unquote(tokens[p], bytes)))
                    p += 1
                } else if nameTok.kind == .string {
                    pairs.append(Label(Labels.metricName, name))
                } else {
                    throw fail(tokens[p], "\"=\"")
                }
                if tokens[p].kind == .comma { p += 1 } else if tokens[p].kind != .rightBrace { throw fail(tokens[p], "\",\" or \"}\"") }
            }
            p += 1
        }
        guard !pairs.isEmpty || p > 0 else { throw fail(tokens[p], "series descriptor") }
        return (Labels(pairs), tokens[p])
    }

    private static func unquote(_ t: Token, _ bytes: [UInt8]) throws(PromQLParseError) -> String {
        switch StringLiteral.unquote(t.text) {
        case .success(let s): return s
        case .failure(let why): throw Lexer.error(why.reason, at: t.start, in: bytes)
        }
    }

    // MARK: - Value items

    private static func expand(_ item: [UInt8]) -> [Double?]? {
        let s = String(decoding: item, as: UTF8.self)
        if s == "_" { return [nil] }
        if s == "stale" { return [StaleNaN.value] }
        if item.count > 2, item[0] == UInt8(ascii: "_"), item[1] == UInt8(ascii: "x") {
            guard let n = Int(String(decoding: item[2...], as: UTF8.self)), n >= 0, n <= maxValues else { return nil }
            return Array(repeating: nil, count: n)
        }
        guard let (a, i) = scanNumber(item, 0, allowSign: true) else { return hex(s).map { [$0] } }
        if i == item.count { return [a] }
        if item[i] == UInt8(ascii: "x") {
            guard let n = repeatCount(item, i + 1) else { return hex(s).map { [$0] } }
            return Array(repeating: a, count: n + 1)
        }
        guard item[i] == UInt8(ascii: "+") || item[i] == UInt8(ascii: "-"),
              let (b, k) = scanNumber(item, i, allowSign: true),
              k < item.count, item[k] == UInt8(ascii: "x"),
              let n = repeatCount(item, k + 1)
        else { return nil }
        var out: [Double?] = []
        out.reserveCapacity(n + 1)
        // Accumulate like Prometheus does, so that decimal steps round identically.
        var v = a
        for _ in 0...n {
            out.append(v)
            v += b
        }
        return out
    }

    private static func repeatCount(_ item: [UInt8], _ from: Int) -> Int? {
        guard from < item.count, item[from...].allSatisfy(Lexer.isDigit),
              let n = Int(String(decoding: item[from...], as: UTF8.self)), n < maxValues else { return nil }
        return n
    }

    private static func hex(_ s: String) -> Double? {
        var t = Substring(s)
        var sign = 1.0
        if t.hasPrefix("-") { sign = -1; t = t.dropFirst() } else if t.hasPrefix("+") { t = t.dropFirst() }
        guard t.lowercased().hasPrefix("0x"), let v = UInt64(t.dropFirst(2), radix: 16) else { return nil }
        return sign * Double(v)
    }

    /// Scans a decimal number (with optional sign, fraction, exponent) or `Inf`/`NaN`.
    static func scanNumber(_ b: [UInt8], _ start: Int, allowSign: Bool) -> (Double, Int)? {
        var i = start
        if allowSign, i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        let rest = String(decoding: b[i...], as: UTF8.self).lowercased()
        let negative = i > start && b[start] == UInt8(ascii: "-")
        if rest.hasPrefix("inf") { return (negative ? -Double.infinity : Double.infinity, i + 3) }
        if rest.hasPrefix("nan") { return (Double.nan, i + 3) }
        let digitsStart = i
        while i < b.count, Lexer.isDigit(b[i]) { i += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, Lexer.isDigit(b[i]) { i += 1 }
        }
        guard i > digitsStart, b[digitsStart..<i].contains(where: Lexer.isDigit) else { return nil }
        if i < b.count, b[i] | 0x20 == UInt8(ascii: "e") {
            var k = i + 1
            if k < b.count, b[k] == UInt8(ascii: "+") || b[k] == UInt8(ascii: "-") { k += 1 }
            if k < b.count, Lexer.isDigit(b[k]) {
                while k < b.count, Lexer.isDigit(b[k]) { k += 1 }
                i = k
            }
        }
        guard let v = Double(String(decoding: b[start..<i], as: UTF8.self)) else { return nil }
        return (v, i)
    }
}
