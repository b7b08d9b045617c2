/// Parser for `AlertTemplate`: splits text from `{{ }}` actions and parses each action's pipeline.
struct TemplateParser {
    private let bytes: [UInt8]
    private var i = 0
    /// Parentheses open around the current term; bounded because templates come from rule files
    /// anyone may share, and each level costs parser and evaluator stack.
    private var depth = 0
    static let maxDepth = 100

    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func parseParts() throws(TemplateError) -> [AlertTemplate.Part] {
        var parts: [AlertTemplate.Part] = []
        var text: [UInt8] = []
        while i < bytes.count {
            guard startsWith("{{") else {
                text.append(bytes[i])
                i += 1
                continue
            }
            let actionStart = i
            i += 2
            // `{{- ` trims the whitespace before the action.
            if startsWith("- ") || startsWith("-\t") || startsWith("-\n") {
                while let last = text.last, isSpace(last) { text.removeLast() }
                i += 1
            }
            if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
            text = []
            skipSpaces()
            if startsWith("/*") {
                guard let end = find("*/", from: i + 2) else {
                    throw TemplateError(message: "unclosed comment", offset: actionStart)
                }
                i = end + 2
                skipSpaces()
                try closeAction(actionStart)
                continue
            }
            let pipeline = try parsePipeline(actionStart, closing: nil)
            try closeAction(actionStart)
            parts.append(.action(pipeline, offset: actionStart))
        }
        if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
        return parts
    }

    /// Consumes `}}` or ` -}}` (which also trims the whitespace after the action).
    private mutating func closeAction(_ start: Int) throws(TemplateError) {
        skipSpaces()
        if startsWith("-}}") {
            i += 3
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
            return
        }
        guard startsWith("}}") else {
            throw TemplateError(message: i < bytes.count ? "unexpected \"\(currentChar())\" in action" : "unclosed action", offset: i < bytes.count ? i : start)
        }
        i += 2
    }

    private mutating func parsePipeline(_ start: Int, closing: UInt8?) throws(TemplateError) -> AlertTemplate.Pipeline {
        var commands: [AlertTemplate.Command] = []
        var terms: [AlertTemplate.Term] = []
        var commandStart = i
        while true {
            skipSpaces()
            guard i < bytes.count else { throw TemplateError(message: "unclosed action", offset: start) }
            let c = bytes[i]
            if let closing, c == closing {
                i += 1
                break
            }
            if closing == nil, startsWith("}}") || startsWith("-}}") { break }
            if c == UInt8(ascii: "|") {
                guard !terms.isEmpty else { throw TemplateError(message: "missing value for command", offset: i) }
                commands.append(.init(terms: terms, offset: commandStart))
                terms = []
                i += 1
                commandStart = i
                continue
            }
            terms.append(try parseTerm())
        }
        guard !terms.isEmpty else { throw TemplateError(message: "missing value for command", offset: commandStart) }
        commands.append(.init(terms: terms, offset: commandStart))
        for command in commands.dropFirst() {
            guard case .function = command.terms[0] else {
                throw TemplateError(message: "non executable command in pipeline stage", offset: command.offset)
            }
        }
        return .init(commands: commands)
    }

    private mutating func parseTerm() throws(TemplateError) -> AlertTemplate.Term {
        let start = i
        let c = bytes[i]
        switch c {
        case UInt8(ascii: "("):
            guard depth < Self.maxDepth else {
                throw TemplateError(message: "parentheses nested too deeply (more than \(Self.maxDepth) levels)",
                                    offset: start)
            }
            i += 1
            depth += 1
            defer { depth -= 1 }
            return .paren(try parsePipeline(start, closing: UInt8(ascii: ")")))
        case UInt8(ascii: "\""):
            return .literal(.string(try parseQuoted()))
        case UInt8(ascii: "`"):
            guard let end = bytes[(i + 1)...].firstIndex(of: c) else {
                throw TemplateError(message: "unterminated raw quoted string", offset: start)
            }
            let s = String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
            i = end + 1
            return .literal(.string(s))
        case UInt8(ascii: "$"):
            i += 1
            let name = identifier()
            return .variable(name, fields: try fieldChain())
        case UInt8(ascii: "."):
            return .field(try fieldChain())
        default:
            if isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { return .literal(try parseNumber()) }
            let name = identifier()
            guard !name.isEmpty else {
                throw TemplateError(message: "unexpected \"\(currentChar())\" in command", offset: start)
            }
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "if", "else", "end", "range", "with", "define", "template", "block":
                throw TemplateError(message: "\"\(name)\" is not supported in Lookout templates", offset: start)
            default:
                guard TemplateFunctions.names.contains(name) else {
                    throw TemplateError(message: "function \"\(name)\" not defined", offset: start)
                }
                return .function(name)
            }
        }
    }

    /// `.a.b.c` after a variable or as a field; a lone `.` is the empty chain.
    private mutating func fieldChain() throws(TemplateError) -> [String] {
        var fields: [String] = []
        while i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let name = identifier()
            if name.isEmpty {
                if fields.isEmpty, i >= bytes.count || !isIdentStart(bytes[i]) { return [] }
                throw TemplateError(message: "bad field name", offset: i)
            }
            fields.append(name)
        }
        return fields
    }

    private mutating func identifier() -> String {
        let start = i
        while i < bytes.count, isIdentStart(bytes[i]) || isDigit(bytes[i]) { i += 1 }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func parseNumber() throws(TemplateError) -> TemplateValue {
        let start = i
        i += 1
        while i < bytes.count, isDigit(bytes[i]) || "._eExXabcdefABCDEF+-".utf8.contains(bytes[i]) {
            // A sign only directly after an exponent marker.
            if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-"),
               !(bytes[i - 1] == UInt8(ascii: "e") || bytes[i - 1] == UInt8(ascii: "E")) { break }
            i += 1
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self).replacingOccurrences(of: "_", with: "")
        if let n = Int64(text) { return .int(n) }
        if let d = Double(text) { return .float(d) }
        throw TemplateError(message: "bad number syntax: \"\(text)\"", offset: start)
    }

    private mutating func parseQuoted() throws(TemplateError) -> String {
        let start = i
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c == UInt8(ascii: "\n") { break }
            if c == UInt8(ascii: "\\"), i + 1 < bytes.count {
                i += 1
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "\\"): out.append(0x5c)
                case UInt8(ascii: "\""): out.append(0x22)
                default:
                    throw TemplateError(message: "unknown escape sequence", offset: i - 1)
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        throw TemplateError(message: "unterminated quoted string", offset: start)
    }

    private func startsWith(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard i + u.count <= bytes.count else { return false }
        return Array(bytes[i..<(i + u.count)]) == u
    }

    private func find(_ s: String, from: Int) -> Int? {
        let u = Array(s.utf8)
        var j = from
        while j + u.count <= bytes.count {
            if Array(bytes[j..<(j + u.count)]) == u { return j }
            j += 1
        }
        return nil
    }

    private mutating func skipSpaces() {
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
    }

    private func currentChar() -> String {
        guard i < bytes.count else { return "" }
        return String(decoding: [bytes[i]], as: UTF8.self)
    }

    private func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d }
    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f || c >= 0x80
    }
}
