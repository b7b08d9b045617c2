/// Groups with flags, escapes and bracketed classes of `RE2Parser`, following Go's regexp/syntax.
extension RE2Parser {
    /// `(?flags)`, `(?flags:…)`, `(?P<name>…)`; anything else after `(?` is Perl syntax RE2 rejects
    /// (lookarounds, atomic groups, comments, backreferences by name).
    mutating func perlFlags() throws(RE2SyntaxError) {
        let start = i
        if s.count - i > 4, s[i + 2] == "P", s[i + 3] == "<" {
            guard let end = s[(i + 4)...].firstIndex(of: ">") else {
                throw fail(RE2SyntaxError.invalidNamedCapture, start..<s.count)
            }
            let name = text((i + 4)..<end)
            let validName = !name.isEmpty && name.unicodeScalars.allSatisfy {
                $0 == "_" || ($0.value < 0x80 && ($0.properties.isAlphabetic || digit($0) != nil))
            }
            guard validName else { throw fail(RE2SyntaxError.invalidNamedCapture, start..<(end + 1)) }
            captures += 1
            // Go allows a name twice; its SubexpIndex gives the first.
            if names[name] == nil { names[name] = captures }
            open("(")
            i = end + 1
            return
        }
        var j = i + 2
        var f = flags
        var negate = false
        var sawFlag = false
        while j < s.count {
            let c = s[j]
            j += 1
            switch c {
            case "i": f.foldCase = !negate
            case "m": f.multiLine = !negate
            case "s": f.dotNL = !negate
            case "U": f.nonGreedy = !negate
            case "-":
                if negate { throw fail(RE2SyntaxError.invalidPerlOp, start..<j) }
                negate = true
                sawFlag = false
                continue
            case ":", ")":
                if negate && !sawFlag { throw fail(RE2SyntaxError.invalidPerlOp, start..<j) }
                if c == ":" { open("(?:") }
                flags = f
                i = j
                return
            default:
                throw fail(RE2SyntaxError.invalidPerlOp, start..<j)
            }
            sawFlag = true
        }
        throw fail(RE2SyntaxError.invalidPerlOp, start..<j)
    }

    /// After a backslash outside a class: assertions, `\Q…\E`, classes, then single-character escapes.
    mutating func backslash() throws(RE2SyntaxError) {
        if i + 1 < s.count {
            switch s[i + 1] {
            case "A": atom("(?:\\A)")
            case "z": atom("(?:\\z)")
            case "b": atom(RE2Classes.wordBoundary)
            case "B": atom(RE2Classes.notWordBoundary)
            case "C": throw fail(RE2SyntaxError.invalidEscape, i..<(i + 2))
            case "Q":
                var j = i + 2
                while j < s.count, !(s[j] == "\\" && j + 1 < s.count && s[j + 1] == "E") {
                    literal(s[j].value)
                    j += 1
                }
                i = Swift.min(j + 2, s.count)
                return
            case "p", "P":
                let (item, next) = try unicodeClass(i)
                atom(folded("[" + item + "]"))
                i = next
                return
            default:
                if let perl = RE2Classes.perl(s[i + 1]) {
                    atom("[" + (perl.negated ? "^" : "") + RE2Classes.setBody(perl.ranges) + "]")
                    i += 2
                    return
                }
                let (value, next) = try escape(i)
                literal(value)
                i = next
                return
            }
            i += 2
            return
        }
        _ = try escape(i)
    }

    /// `[…]`: ranges, `[:posix:]`, `\p{…}` and `\d`-style classes; `]` first is a literal, `-` too
    /// where it cannot be a range.
    mutating func parseClass() throws(RE2SyntaxError) {
        let whole = i
        var j = i + 1
        var negated = false
        if j < s.count, s[j] == "^" {
            negated = true
            j += 1
        }
        var body = ""
        var first = true
        while j >= s.count || s[j] != "]" || first {
            first = false
            if s.count - j > 2, s[j] == "[", s[j + 1] == ":",
               let close = (j + 2..<(s.count - 1)).first(where: { s[$0] == ":" && s[$0 + 1] == "]" }) {
                var name = text((j + 2)..<close)
                let negatedGroup = name.hasPrefix("^")
                if negatedGroup { name.removeFirst() }
                guard let ranges = RE2Classes.posix(name) else {
                    throw fail(RE2SyntaxError.invalidCharRange, j..<(close + 2))
                }
                body += RE2Classes.setBody(negatedGroup ? RE2Classes.complement(ranges) : ranges)
                j = close + 2
                continue
            }
            if j + 1 < s.count, s[j] == "\\", s[j + 1] == "p" || s[j + 1] == "P" {
                let (item, next) = try unicodeClass(j)
                body += item
                j = next
                continue
            }
            if j + 1 < s.count, s[j] == "\\", let perl = RE2Classes.perl(s[j + 1]) {
                body += RE2Classes.setBody(perl.negated ? RE2Classes.complement(perl.ranges) : perl.ranges)
                j += 2
                continue
            }
            let rangeStart = j
            let lo = try classChar(&j, whole: whole)
            var hi = lo
            if s.count - j >= 2, s[j] == "-", s[j + 1] != "]" {
                j += 1
                hi = try classChar(&j, whole: whole)
                guard hi >= lo else { throw fail(RE2SyntaxError.invalidCharRange, rangeStart..<j) }
            }
            body += RE2Classes.setBody([lo...hi])
        }
        i = j + 1
        atom(folded("[" + (negated ? "^" : "") + body + "]"))
    }

    private func classChar(_ j: inout Int, whole: Int) throws(RE2SyntaxError) -> UInt32 {
        guard j < s.count else { throw fail(RE2SyntaxError.missingBracket, whole..<s.count) }
        if s[j] == "\\" {
            let (value, next) = try escape(j)
            j = next
            return value
        }
        j += 1
        return s[j - 1].value
    }

    func folded(_ text: String) -> String { flags.foldCase ? "(?i:" + text + ")" : text }

    /// `\pL`, `\p{Greek}`, `\P{^Greek}`: the ICU set item and the index after it.
    func unicodeClass(_ start: Int) throws(RE2SyntaxError) -> (String, Int) {
        var positive = s[start + 1] == "p"
        var j = start + 2
        var name: String
        if j < s.count, s[j] == "{" {
            guard let end = s[j...].firstIndex(of: "}") else {
                throw fail(RE2SyntaxError.invalidCharRange, start..<s.count)
            }
            name = text((j + 1)..<end)
            j = end + 1
        } else {
            name = j < s.count ? text(j..<(j + 1)) : ""
            j = Swift.min(j + 1, s.count)
        }
        if name.hasPrefix("^") {
            positive.toggle()
            name.removeFirst()
        }
        guard RE2Classes.isUnicodeClassName(name) else { throw fail(RE2SyntaxError.invalidCharRange, start..<j) }
        return ((positive ? "\\p{" : "\\P{") + name + "}", j)
    }

    /// A single-character escape at `start` (the backslash): its value and the index after it.
    func escape(_ start: Int) throws(RE2SyntaxError) -> (UInt32, Int) {
        var j = start + 1
        guard j < s.count else { throw RE2SyntaxError(code: RE2SyntaxError.trailingBackslash, expr: "") }
        let c = s[j]
        j += 1
        let bad = { [self] (end: Int) in fail(RE2SyntaxError.invalidEscape, start..<end) }
        func octal(_ k: Int) -> UInt32? {
            k < s.count && s[k].value >= 0x30 && s[k].value <= 0x37 ? s[k].value - 0x30 : nil
        }
        switch c {
        case "1"..."7", "0":
            // A lone non-zero digit would be a backreference, which RE2 does not have.
            if c != "0", octal(j) == nil { throw bad(j) }
            var r = c.value - 0x30
            for _ in 1..<3 {
                guard let d = octal(j) else { break }
                r = r * 8 + d
                j += 1
            }
            return (r, j)
        case "x":
            guard j < s.count else { throw bad(j) }
            let first = s[j]
            j += 1
            if first == "{" {
                var r: UInt32 = 0
                var digits = 0
                while true {
                    guard j < s.count else { throw bad(j) }
                    let h = s[j]
                    j += 1
                    if h == "}" { break }
                    guard let v = hexValue(h) else { throw bad(j) }
                    r = r * 16 + v
                    guard r <= RE2Classes.maxRune else { throw bad(j) }
                    digits += 1
                }
                guard digits > 0 else { throw bad(j) }
                return (r, j)
            }
            let second: Unicode.Scalar? = j < s.count ? s[j] : nil
            j = Swift.min(j + 1, s.count)
            guard let x = hexValue(first), let second, let y = hexValue(second) else { throw bad(j) }
            return (x * 16 + y, j)
        case "a": return (0x07, j)
        case "f": return (0x0C, j)
        case "n": return (0x0A, j)
        case "r": return (0x0D, j)
        case "t": return (0x09, j)
        case "v": return (0x0B, j)
        default:
            let alnum = c.properties.isAlphabetic || digit(c) != nil
            if c.value < 0x80 && !alnum { return (c.value, j) }
            throw bad(j)
        }
    }

    func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x41 + 10
        case 0x61...0x66: return c.value - 0x61 + 10
        default: return nil
        }
    }
}
