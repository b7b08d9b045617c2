import Foundation
import MetricsCore

/// label_replace, label_join and sort_by_label.
extension Evaluator {
    private func stringArg(_ e: Expr) -> String {
        if case .string(let s, _) = Evaluator.unwrapParens(e) { return s }
        return ""
    }

    mutating func labelReplace(_ c: FunctionCall) throws(PromQLEvalError) -> [StepSeries] {
        let v = try evalVector(c.args[0])
        let dst = stringArg(c.args[1]), repl = stringArg(c.args[2]), src = stringArg(c.args[3]), pattern = stringArg(c.args[4])
        if let literal = LiteralReplace(pattern: pattern, replacement: repl) {
            guard isValidLabelName(dst) else {
                throw PromQLEvalError("invalid destination label name in label_replace(): \(dst)")
            }
            return try Evaluator.rejectDuplicates(literal.apply(v, dst: dst, src: src), steps: grid.count)
        }
        let re: NSRegularExpression
        let names: [String: Int]
        do {
            // RE2 as Prometheus reads it (anchored, `.` across newlines), with its capture groups.
            let make = { () throws -> LabelPatternCache.Compiled in
                let re2 = try RE2Pattern(pattern, captures: true)
                return LabelPatternCache.Compiled(
                    regex: try NSRegularExpression(pattern: "\\A(?:" + re2.icu + ")\\z"), names: re2.groupNames)
            }
            let compiled = try memo?.memo.labelPatterns.compiled(pattern, make) ?? make()
            re = compiled.regex
            names = compiled.names
        } catch {
            throw PromQLEvalError("invalid regular expression in label_replace(): \(pattern)")
        }
        guard isValidLabelName(dst) else {
            throw PromQLEvalError("invalid destination label name in label_replace(): \(dst)")
        }
        var out: [StepSeries] = []
        for var s in v {
            let value = s.labels[src] ?? ""
            let ns = value as NSString
            if let m = re.firstMatch(in: value, options: [], range: NSRange(location: 0, length: ns.length)) {
                s.labels.set(dst, GoRegex.expand(repl, match: m, in: ns, names: names))
                if dst == Labels.metricName { s.dropName = false }
            }
            out.append(s)
        }
        return try Evaluator.rejectDuplicates(out, steps: grid.count)
    }

    mutating func labelJoin(_ c: FunctionCall) throws(PromQLEvalError) -> [StepSeries] {
        let v = try evalVector(c.args[0])
        let dst = stringArg(c.args[1]), sep = stringArg(c.args[2])
        let srcs = c.args.dropFirst(3).map(stringArg)
        guard isValidLabelName(dst) else {
            throw PromQLEvalError("invalid destination label name in label_join(): \(dst)")
        }
        for s in srcs where !isValidLabelName(s) {
            throw PromQLEvalError("invalid source label name in label_join(): \(s)")
        }
        let out = v.map { s -> StepSeries in
            var s = s
            s.labels.set(dst, srcs.map { s.labels[$0] ?? "" }.joined(separator: sep))
            if dst == Labels.metricName { s.dropName = false }
            return s
        }
        return try Evaluator.rejectDuplicates(out, steps: grid.count)
    }

    /// Merges series whose label sets became equal; two values at one step are an error.
    static func rejectDuplicates(_ series: [StepSeries], steps: Int) throws(PromQLEvalError) -> [StepSeries] {
        // Mostly nothing became equal (and one series cannot clash): then the answer is the input,
        // and no label set is hashed into an assembler that would copy every series' values.
        if nothingToMerge(series) { return series }
        var asm = SeriesAssembler(steps: steps)
        for s in series {
            for (i, v) in s.values.enumerated() { if let v { try asm.add(s.labels, v, dropName: s.dropName, step: i) } }
        }
        return asm.series
    }

    /// Whether the assembler would give the input back: every series has a value (the assembler
    /// leaves out one without), and no two have the same labels, compared pairwise when few
    /// (cheaper than hashing each label set), through a set when many.
    static func nothingToMerge(_ series: [StepSeries]) -> Bool {
        for s in series where !s.values.hasAny { return false }
        if series.count <= 16 {
            for i in series.indices {
                for j in series.indices where j > i && series[i].labels == series[j].labels { return false }
            }
            return true
        }
        var seen = Set<Labels>(minimumCapacity: series.count)
        for s in series where !seen.insert(s.labels).inserted { return false }
        return true
    }

    mutating func sortByLabel(_ c: FunctionCall) throws(PromQLEvalError) -> [StepSeries] {
        let v = try evalVector(c.args[0])
        let names = c.args.dropFirst().map(stringArg)
        let desc = c.name == "sort_by_label_desc"
        return v.sorted { a, b in
            for n in names {
                let x = a.labels[n] ?? "", y = b.labels[n] ?? ""
                if x != y { return desc ? NaturalOrder.less(y, x) : NaturalOrder.less(x, y) }
            }
            let x = braceForm(a.labels), y = braceForm(b.labels)
            return desc ? y < x : x < y
        }
    }
}

/// Natural ordering: digit runs compare by numeric value (`a2 < a10`).
enum NaturalOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        var i = Array(a.unicodeScalars)[...], j = Array(b.unicodeScalars)[...]
        func isDigit(_ u: Unicode.Scalar) -> Bool { u.value >= 0x30 && u.value <= 0x39 }
        while let x = i.first, let y = j.first {
            if isDigit(x) && isDigit(y) {
                let dx = i.prefix(while: isDigit), dy = j.prefix(while: isDigit)
                let nx = dx.drop(while: { $0 == "0" }), ny = dy.drop(while: { $0 == "0" })
                if nx.count != ny.count { return nx.count < ny.count }
                for (p, q) in zip(nx, ny) where p != q { return p.value < q.value }
                i = i.dropFirst(dx.count)
                j = j.dropFirst(dy.count)
            } else {
                if x != y { return x.value < y.value }
                i = i.dropFirst()
                j = j.dropFirst()
            }
        }
        return i.isEmpty && !j.isEmpty
    }
}

/// Go's replacement templates over an NSRegularExpression match of an `RE2Pattern`.
public enum GoRegex {
    /// Go's `Regexp.ExpandString`: `$1`, `${1}`, `$name`, `${name}`, `$$`. `names`: the pattern's
    /// named groups (ICU sees them unnamed).
    public static func expand(_ template: String, match: NSTextCheckingResult, in source: NSString,
                              names: [String: Int]) -> String {
        var out = ""
        var rest = Substring(template)
        func group(_ name: Substring) -> String {
            let range: NSRange
            guard let n = Int(name) ?? names[String(name)], n >= 0, n < match.numberOfRanges else { return "" }
            range = match.range(at: n)
            return range.location == NSNotFound ? "" : source.substring(with: range)
        }
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
            } else if rest.first == "{", let close = rest.firstIndex(of: "}") {
                let name = rest[rest.index(after: rest.startIndex)..<close]
                if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                    out += group(name)
                    rest = rest[rest.index(after: close)...]
                } else {
                    out += "$"
                }
            } else {
                let name = rest.prefix(while: { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" })
                if name.isEmpty { out += "$" } else {
                    out += group(name)
                    rest = rest.dropFirst(name.count)
                }
            }
        }
        return out + rest
    }
}

/// label_replace with a pattern that is plain text and a replacement without `$`: the common way
/// to attach a constant label (`label_replace(vector(1), "target", "200 ms", "", "")`, a layout's
/// table of targets does it ten times a refresh). The anchored pattern then matches exactly the
/// value with the same bytes (RE2 compares bytes, so canonically equal but differently encoded
/// text does not match), and the replacement is the text itself: no regular expression is run.
struct LiteralReplace {
    let pattern: String
    let replacement: String

    init?(pattern: String, replacement: String) {
        // Letters, digits and punctuation that is never special in RE2; anything else (and any
        // non-ASCII byte, to stay clear of case folding and encodings) goes the general way.
        let plain = pattern.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || Self.plainPunctuation.contains(b)
        }
        guard plain, !replacement.utf8.contains(UInt8(ascii: "$")) else { return nil }
        self.pattern = pattern
        self.replacement = replacement
    }

    /// ` _-/:,;=@#%&!~<>'"` and the space: none starts an escape, class, group, repetition or anchor.
    static let plainPunctuation: Set<UInt8> = Set(" _-/:,;=@#%&!~<>'\"".utf8)

    func apply(_ series: [StepSeries], dst: String, src: String) -> [StepSeries] {
        series.map { s in
            guard (s.labels[src] ?? "").utf8.elementsEqual(pattern.utf8) else { return s }
            var s = s
            s.labels.set(dst, replacement)
            if dst == Labels.metricName { s.dropName = false }
            return s
        }
    }
}
