import PromQL

/// What the prompt can complete from: PromQL's functions and aggregations, and the names the source
/// knows (metrics, their label names, label values), found on demand.
public struct CompletionVocabulary: Sendable {
    public var metrics: [String] = []
    /// Label names per metric.
    public var labelNames: [String: [String]] = [:]
    /// Label values per "metric label".
    public var labelValues: [String: [String]] = [:]

    public init() {}

    public static let functions: [String] = {
        let names = FunctionSignature.all.map(\.name) + AggregateOp.allCases.map(\.rawValue)
        return Array(Set(names)).sorted()
    }()
}

/// What the word at the caret is, and its candidates.
public enum Completion {
    public enum Slot: Hashable, Sendable {
        case name
        case labelName(metric: String)
        case labelValue(metric: String, label: String)
    }

    /// The word around the caret: from its start to the caret.
    static func wordBounds(_ text: String, caret: Int) -> (start: Int, end: Int) {
        let chars = Array(text)
        let caret = max(0, min(chars.count, caret))
        var start = caret
        func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == ":" }
        while start > 0, isWord(chars[start - 1]) { start -= 1 }
        // Inside a quoted label value the whole value so far is the word.
        if let quote = openQuote(chars, before: caret) { start = quote + 1 }
        return (start, caret)
    }

    /// Where the caret is: a function or metric name, a label name inside `{}`, or a label value in quotes.
    public static func slot(_ text: String, caret: Int) -> Slot {
        let chars = Array(text.prefix(max(0, caret)))
        guard let brace = chars.lastIndex(of: "{"), !chars[brace...].contains("}") else { return .name }
        var m = brace
        while m > 0, chars[m - 1].isLetter || chars[m - 1].isNumber || chars[m - 1] == "_" || chars[m - 1] == ":" { m -= 1 }
        let metric = String(chars[m..<brace])
        if let quote = openQuote(chars, before: chars.count) {
            // The label is the word before `=`, `!=`, `=~` or `!~` ahead of the quote.
            var e = quote
            while e > brace, "=!~ ".contains(chars[e - 1]) { e -= 1 }
            var s = e
            while s > brace, chars[s - 1].isLetter || chars[s - 1].isNumber || chars[s - 1] == "_" { s -= 1 }
            return .labelValue(metric: metric, label: String(chars[s..<e]))
        }
        return .labelName(metric: metric)
    }

    /// Index of an unclosed `"` before `caret`, if the caret is inside a string.
    static func openQuote(_ chars: [Character], before caret: Int) -> Int? {
        var open: Int?
        var i = 0
        while i < min(caret, chars.count) {
            if chars[i] == "\\" { i += 2; continue }
            if chars[i] == "\"" { open = open == nil ? i : nil }
            i += 1
        }
        return open
    }

    /// Candidates for the word at the caret, best first: prefix matches, shortest first, with their kind.
    public static func candidates(_ text: String, caret: Int, vocabulary: CompletionVocabulary, limit: Int = 50)
        -> [(String, String)] {
        let (start, end) = wordBounds(text, caret: caret)
        let word = String(Array(text)[start..<end])
        let pool: [(String, String)]
        switch slot(text, caret: caret) {
        case .name:
            guard !word.isEmpty else { return [] }
            pool = CompletionVocabulary.functions.map { ($0, "function") } + vocabulary.metrics.map { ($0, "metric") }
        case .labelName(let metric):
            pool = (vocabulary.labelNames[metric] ?? []).map { ($0, "label") }
        case .labelValue(let metric, let label):
            pool = (vocabulary.labelValues[metric + " " + label] ?? []).map { ($0, "value") }
        }
        let matches = pool.filter { $0.0.hasPrefix(word) && $0.0 != word }
        return Array(matches.sorted { $0.0.count != $1.0.count ? $0.0.count < $1.0.count : $0.0 < $1.0 }.prefix(limit))
    }

    /// The parse error of a `:` line as typed (commands are not PromQL): column and message.
    public static func parseError(_ text: String) -> (column: Int, message: String)? {
        let line = text.trimmingCharacters(in: .whitespaces)
        let first = line.split(separator: " ").first.map(String.init) ?? ""
        guard !line.isEmpty, !["time", "save", "live", "now"].contains(first) else { return nil }
        do {
            _ = try PromQLParser.parse(text)
            return nil
        } catch {
            return (error.column, "\(error.line):\(error.column): parse error: \(error.message)")
        }
    }
}
