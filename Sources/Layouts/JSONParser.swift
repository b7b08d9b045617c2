/// A JSON syntax error at a byte offset of the file.
public struct JSONSyntaxError: Error, Hashable, Sendable {
    public var message: String
    public var offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
}

/// A strict RFC 8259 reader producing `JSONNode`s with positions.
/// Bounded: nesting depth and file size are limited, since layouts come from outside.
public struct JSONParser {
    public static let maxDepth = 128
    public static let maxBytes = 16 << 20

    private let bytes: [UInt8]
    private var pos = 0
    private var depth = 0

    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONNode {
        guard bytes.count <= maxBytes else {
            throw JSONSyntaxError(message: "file larger than \(maxBytes >> 20) MiB", offset: 0)
        }
        var parser = JSONParser(bytes: bytes)
        // A UTF-8 byte order mark is tolerated, as editors on some systems write one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.pos = 3 }
        parser.skipWhitespace()
        let root = try parser.parseValue()
        parser.skipWhitespace()
        if parser.pos < bytes.count {
            throw JSONSyntaxError(message: "unexpected \(parser.describeCurrent()) after the end of the document",
                                  offset: parser.pos)
        }
        return root
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var current: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private func describeCurrent() -> String {
        guard let c = current else { return "end of file" }
        if c >= 0x20 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x\(String(c, radix: 16, uppercase: true))"
    }

    private mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 }
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
        guard let c = current else { throw JSONSyntaxError(message: "expected a value, found end of file", offset: pos) }
        switch c {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""):
            let start = pos
            let s = try parseString()
            return JSONNode(.string(s), start: start, end: pos)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "'"):
            throw JSONSyntaxError(message: "strings must use double quotes", offset: pos)
        default:
            throw JSONSyntaxError(message: "expected a value, found \(describeCurrent())", offset: pos)
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONNode.Value) throws(JSONSyntaxError) -> JSONNode {
        let start = pos
        for b in word.utf8 {
            guard current == b else {
                throw JSONSyntaxError(message: "expected a value, found \(describeWord(from: start))", offset: start)
            }
            pos += 1
        }
        return JSONNode(value, start: start, end: pos)
    }

    private func describeWord(from start: Int) -> String {
        var end = start
        while end < bytes.count, end - start < 20,
              (bytes[end] >= UInt8(ascii: "a") && bytes[end] <= UInt8(ascii: "z")) ||
              (bytes[end] >= UInt8(ascii: "A") && bytes[end] <= UInt8(ascii: "Z")) { end += 1 }
        if end == start { return "'\(Character(Unicode.Scalar(bytes[start])))'" }
        return "'\(String(decoding: bytes[start..<end], as: UTF8.self))'"
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maxDepth {
            throw JSONSyntaxError(message: "nesting deeper than \(Self.maxDepth) levels", offset: pos)
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONNode {
        let start = pos
        try enter()
        pos += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return JSONNode(.object(members), start: start, end: pos)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                if current == UInt8(ascii: "}") && !members.isEmpty {
                    throw JSONSyntaxError(message: "trailing comma before '}'", offset: pos)
                }
                throw JSONSyntaxError(message: "expected a member name in double quotes, found \(describeCurrent())",
                                      offset: pos)
            }
            let keyOffset = pos
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else {
                throw JSONSyntaxError(message: "expected ':' after member name \"\(key)\", found \(describeCurrent())",
                                      offset: pos)
            }
            pos += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONMember(key: key, keyOffset: keyOffset, value: value))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if current == UInt8(ascii: "}") {
                pos += 1
                depth -= 1
                return JSONNode(.object(members), start: start, end: pos)
            }
            throw JSONSyntaxError(message: "expected ',' or '}' after member \"\(key)\", found \(describeCurrent())",
                                  offset: pos)
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONNode {
        let start = pos
        try enter()
        pos += 1
        var elements: [JSONNode] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return JSONNode(.array(elements), start: start, end: pos)
        }
        while true {
            skipWhitespace()
            if current == UInt8(ascii: "]") && !elements.isEmpty {
                throw JSONSyntaxError(message: "trailing comma before ']'", offset: pos)
            }
            elements.append(try parseValue())
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if current == UInt8(ascii: "]") {
                pos += 1
                depth -= 1
                return JSONNode(.array(elements), start: start, end: pos)
            }
            throw JSONSyntaxError(message: "expected ',' or ']' in array, found \(describeCurrent())", offset: pos)
        }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNode {
        let start = pos
        if current == UInt8(ascii: "-") { pos += 1 }
        func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        guard isDigit(current) else { throw JSONSyntaxError(message: "expected a digit after '-'", offset: pos) }
        if current == UInt8(ascii: "0") {
            pos += 1
            if isDigit(current) { throw JSONSyntaxError(message: "numbers must not have leading zeros", offset: start) }
        } else {
            while isDigit(current) { pos += 1 }
        }
        if current == UInt8(ascii: ".") {
            pos += 1
            guard isDigit(current) else { throw JSONSyntaxError(message: "expected a digit after '.'", offset: pos) }
            while isDigit(current) { pos += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            pos += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { pos += 1 }
            guard isDigit(current) else { throw JSONSyntaxError(message: "expected a digit in the exponent", offset: pos) }
            while isDigit(current) { pos += 1 }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONSyntaxError(message: "number \(text) out of range", offset: start)
        }
        return JSONNode(.number(value), start: start, end: pos)
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let open = pos
        pos += 1
        var out: [UInt8] = []
        while true {
            guard let c = current else { throw JSONSyntaxError(message: "unterminated string", offset: open) }
            if c == UInt8(ascii: "\"") {
                pos += 1
                break
            }
            if c < 0x20 {
                let what = c == 0x0A ? "line break" : "control character"
                throw JSONSyntaxError(message: "\(what) inside a string (write it as an escape such as \\n)", offset: pos)
            }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                pos += 1
                continue
            }
            guard pos + 1 < bytes.count else { throw JSONSyntaxError(message: "unterminated string", offset: open) }
            let e = bytes[pos + 1]
            if let s = Self.simpleEscape(e) {
                out.append(s)
                pos += 2
                continue
            }
            guard e == UInt8(ascii: "u") else {
                throw JSONSyntaxError(message: "invalid escape '\\\(Character(Unicode.Scalar(e)))' in string", offset: pos)
            }
            let (scalar, used) = Self.unicodeEscape(bytes, at: pos)
            guard let scalar else { throw JSONSyntaxError(message: "invalid \\u escape in string", offset: pos) }
            out.append(contentsOf: String(scalar).utf8)
            pos += used
        }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw JSONSyntaxError(message: "string is not valid UTF-8", offset: open)
        }
        return s
    }

    /// The byte a one-letter escape (`\n`, `\"`...) stands for.
    static func simpleEscape(_ e: UInt8) -> UInt8? {
        switch e {
        case UInt8(ascii: "\""): return 0x22
        case UInt8(ascii: "\\"): return 0x5C
        case UInt8(ascii: "/"): return 0x2F
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    /// Decodes `\uXXXX` (or a surrogate pair of them) at `at`; returns the scalar and the bytes used.
    static func unicodeEscape(_ bytes: [UInt8], at: Int) -> (Unicode.Scalar?, Int) {
        func hex4(_ i: Int) -> UInt32? {
            guard i + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for b in bytes[i..<i + 4] {
                guard let d = Character(Unicode.Scalar(b)).hexDigitValue else { return nil }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        guard let first = hex4(at + 2) else { return (nil, 2) }
        if (0xD800...0xDBFF).contains(first) {
            guard at + 7 < bytes.count, bytes[at + 6] == UInt8(ascii: "\\"), bytes[at + 7] == UInt8(ascii: "u"),
                  let second = hex4(at + 8), (0xDC00...0xDFFF).contains(second)
            else { return (nil, 6) }
            return (Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)), 12)
        }
        return (Unicode.Scalar(first), 6)
    }
}
