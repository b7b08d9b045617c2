/// A regular expression in the syntax Prometheus accepts (Go's regexp/syntax with Perl flags, i.e. RE2),
/// checked with Go's error messages and translated to an ICU pattern with the same meaning, so that
/// NSRegularExpression can run it. ICU accepts more (backreferences, lookarounds, possessive
/// quantifiers) and reads `\w`, `\b`, `$` and `.` differently; the translation spells out RE2's meaning.
public struct RE2Pattern: Sendable {
    public let pattern: String
    /// The ICU text, unanchored. Capture groups keep their RE2 numbers; all are unnamed in ICU
    /// (Go accepts names ICU does not), see `groupNames`.
    public let icu: String
    /// `(?P<name>…)` groups by name, to their number.
    public let groupNames: [String: Int]

    /// `dotMatchesNewline`: Prometheus 3 compiles matchers and `label_replace` with `(?s:…)`.
    /// `anchoredFirst`: Prometheus 2 (and its promtool) compiles `^(?:pattern)$` before parsing the
    /// pattern alone, so a pattern that breaks out of the wrapper is reported with the wrapped text.
    /// `captures`: keep capture groups (for `label_replace`); a matcher needs none, and without them
    /// nested groups flatten (ICU refuses deep nesting that RE2 accepts).
    public init(_ pattern: String, dotMatchesNewline: Bool = true, anchoredFirst: Bool = true,
                captures: Bool = false) throws(RE2SyntaxError) {
        if anchoredFirst {
            var wrapped = RE2Parser("^(?:" + pattern + ")$", dotNL: dotMatchesNewline, captures: false)
            _ = try wrapped.parse()
        }
        var parser = RE2Parser(pattern, dotNL: dotMatchesNewline, captures: captures)
        icu = try parser.parse()
        groupNames = parser.names
        self.pattern = pattern
    }
}

/// Go's `regexp/syntax.Error`: printed as ``code: `expr` ``, as Prometheus reports it.
public struct RE2SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public let expr: String
    public var description: String { "\(code): `\(expr)`" }

    static let invalidCharRange = "invalid character class range"
    static let invalidEscape = "invalid escape sequence"
    static let invalidNamedCapture = "invalid named capture"
    static let invalidPerlOp = "invalid or unsupported Perl syntax"
    static let invalidRepeatOp = "invalid nested repetition operator"
    static let invalidRepeatSize = "invalid repeat count"
    static let missingBracket = "missing closing ]"
    static let missingParen = "missing closing )"
    static let missingRepeatArgument = "missing argument to repetition operator"
    static let trailingBackslash = "trailing backslash at end of expression"
    static let unexpectedParen = "unexpected )"
    static let nestingDepth = "expression nests too deeply"
}

/// One pass over the pattern with an explicit stack of open groups (no recursion: patterns come
/// from outside). Each item is emitted as one ICU atom, so a quantifier after it applies to it alone.
struct RE2Parser {
    struct Flags {
        var foldCase = false
        var multiLine = false
        var dotNL: Bool
        var nonGreedy = false
    }

    struct Group {
        var items: [String] = []
        let savedFlags: Flags
        let open: String
        /// Whether the last item is an expression a quantifier may follow (not the start or `|`).
        var lastIsAtom = false
        /// Go's `repeatIsValid`: the least repeat budget the last item needs; and the group's.
        var lastBudget = 0
        var budget = 0
        /// Go's tree height (bounded to 1000): of the last item, the current alternative's tallest item
        /// and item count, and the finished alternatives. Literals count as one node each, so this is
        /// at most Go's height plus one.
        var lastHeight = 0
        var altMax = 0
        var altCount = 0
        var finishedMax = 0
        var alternatives = 1

        var altHeight: Int { altCount == 0 ? 1 : altMax + (altCount > 1 ? 1 : 0) }
        var height: Int { Swift.max(finishedMax, altHeight) + (alternatives > 1 ? 1 : 0) }
    }

    static let maxRepeat = 1000
    static let maxHeight = 1000

    let s: [Unicode.Scalar]
    let keepCaptures: Bool
    var i = 0
    var flags: Flags
    var groups: [Group]
    var captures = 0
    var names: [String: Int] = [:]

    init(_ pattern: String, dotNL: Bool, captures: Bool) {
        s = Array(pattern.unicodeScalars)
        keepCaptures = captures
        flags = Flags(dotNL: dotNL)
        groups = [Group(savedFlags: flags, open: "")]
    }

    func text(_ r: Range<Int>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s[r.clamped(to: 0..<s.count)])
        return String(v)
    }

    func fail(_ code: String, _ r: Range<Int>) -> RE2SyntaxError { RE2SyntaxError(code: code, expr: text(r)) }

    mutating func parse() throws(RE2SyntaxError) -> String {
        var lastRepeat: Int?
        while i < s.count {
            var repeatStart: Int?
            let c = s[i]
            switch c {
            case "(":
                if i + 1 < s.count, s[i + 1] == "?" { try perlFlags() } else {
                    captures += 1
                    open("(")
                    i += 1
                }
            case "|":
                let top = groups.count - 1
                groups[top].items.append("|")
                groups[top].lastIsAtom = false
                groups[top].finishedMax = Swift.max(groups[top].finishedMax, groups[top].altHeight)
                groups[top].alternatives += 1
                groups[top].altMax = 0
                groups[top].altCount = 0
                i += 1
            case ")":
                try close()
                i += 1
            case "^":
                atom(flags.multiLine ? "(?:\\A|(?<=\\n))" : "(?:\\A)")
                i += 1
            case "$":
                atom(flags.multiLine ? "(?:\\z|(?=\\n))" : "(?:\\z)")
                i += 1
            case ".":
                atom(flags.dotNL ? "[\\x{0}-\\x{10ffff}]" : "[^\\n]")
                i += 1
            case "[":
                try parseClass()
            case "*", "+", "?":
                repeatStart = i
                i += 1
                try applyRepeat(String(c), min: c == "+" ? 1 : 0, max: c == "?" ? 1 : -1, braces: false,
                                before: repeatStart!, lastRepeat: lastRepeat)
            case "{":
                guard let (lo, hi, after) = parseRepeat(i) else {
                    literal(c.value)
                    i += 1
                    break
                }
                repeatStart = i
                i = after
                if lo < 0 || lo > Self.maxRepeat || hi > Self.maxRepeat || (hi >= 0 && lo > hi) {
                    throw fail(RE2SyntaxError.invalidRepeatSize, repeatStart!..<i)
                }
                let quant = hi == lo ? "{\(lo)}" : hi < 0 ? "{\(lo),}" : "{\(lo),\(hi)}"
                try applyRepeat(quant, min: lo, max: hi, braces: true, before: repeatStart!, lastRepeat: lastRepeat)
            case "\\":
                try backslash()
            default:
                literal(c.value)
                i += 1
            }
            lastRepeat = repeatStart
        }
        guard groups.count == 1 else { throw fail(RE2SyntaxError.missingParen, 0..<s.count) }
        guard groups[0].height <= Self.maxHeight else { throw fail(RE2SyntaxError.nestingDepth, 0..<s.count) }
        return groups[0].items.joined()
    }

    mutating func atom(_ text: String, budget: Int = 0, height: Int = 1) {
        let top = groups.count - 1
        groups[top].items.append(text)
        groups[top].lastIsAtom = true
        groups[top].lastBudget = budget
        groups[top].budget = max(groups[top].budget, budget)
        groups[top].lastHeight = height
        groups[top].altMax = max(groups[top].altMax, height)
        groups[top].altCount += 1
    }

    mutating func literal(_ value: UInt32) {
        let text = RE2Classes.literal(value)
        let cased = Unicode.Scalar(value).map { $0.properties.changesWhenCaseMapped } ?? false
        atom(flags.foldCase && cased ? "(?i:" + text + ")" : text)
    }

    /// No limit on open groups here: the stack is a heap array, and Go's limit is on the tree's height.
    mutating func open(_ text: String) {
        groups.append(Group(savedFlags: flags, open: text))
    }

    mutating func close() throws(RE2SyntaxError) {
        guard groups.count >= 2 else { throw fail(RE2SyntaxError.unexpectedParen, 0..<s.count) }
        let g = groups.removeLast()
        flags = g.savedFlags
        let height = g.height + (g.open == "(" ? 1 : 0)
        guard height <= Self.maxHeight else { throw fail(RE2SyntaxError.nestingDepth, 0..<s.count) }
        // A group without alternatives needs no parentheses of its own: a quantifier after it wraps it.
        let bare = g.alternatives == 1 && (g.open != "(" || !keepCaptures)
        let text = bare ? g.items.joined() : (keepCaptures ? g.open : "(?:") + g.items.joined() + ")"
        atom(text, budget: g.budget, height: height)
    }

    mutating func applyRepeat(_ quant: String, min lo: Int, max hi: Int, braces: Bool, before: Int,
                              lastRepeat: Int?) throws(RE2SyntaxError) {
        var nonGreedy = flags.nonGreedy
        if i < s.count, s[i] == "?" {
            i += 1
            nonGreedy.toggle()
        }
        if let lastRepeat { throw fail(RE2SyntaxError.invalidRepeatOp, lastRepeat..<i) }
        let top = groups.count - 1
        guard groups[top].lastIsAtom else { throw fail(RE2SyntaxError.missingRepeatArgument, before..<i) }
        let sub = groups[top].lastBudget
        var budget = sub
        if braces {
            let m = hi < 0 ? lo : hi
            budget = hi == 0 ? 0 : m == 0 ? sub : Swift.max(m, Swift.min(sub, 1 << 32) * m)
            if (lo >= 2 || hi >= 2) && budget > Self.maxRepeat {
                throw fail(RE2SyntaxError.invalidRepeatSize, before..<i)
            }
        }
        let last = groups[top].items.removeLast()
        groups[top].altCount -= 1
        atom("(?:" + last + ")" + quant + (nonGreedy ? "?" : ""), budget: budget, height: groups[top].lastHeight + 1)
    }

    /// `{n}`, `{n,}`, `{n,m}`: nil when not one (then `{` is a literal). Leading zeros are not numbers.
    func parseRepeat(_ start: Int) -> (Int, Int, Int)? {
        var j = start + 1
        func number() -> Int? {
            guard j < s.count, let d = digit(s[j]) else { return nil }
            if d == 0, j + 1 < s.count, digit(s[j + 1]) != nil { return nil }
            var n = 0
            while j < s.count, let d = digit(s[j]) {
                n = n >= 100_000_000 || n < 0 ? -1 : n * 10 + d
                j += 1
            }
            return n
        }
        guard let lo = number() else { return nil }
        var hi = lo
        if j < s.count, s[j] == "," {
            j += 1
            if j < s.count, s[j] == "}" { hi = -1 } else {
                guard let m = number() else { return nil }
                hi = m
            }
        }
        guard j < s.count, s[j] == "}" else { return nil }
        return (lo, hi, j + 1)
    }

    func digit(_ c: Unicode.Scalar) -> Int? {
        c.value >= 0x30 && c.value <= 0x39 ? Int(c.value - 0x30) : nil
    }
}
