import Foundation
import MetricsCore
import Yams

/// Reads a YAML document as a tree of nodes with positions, collecting errors that carry the
/// file, line and column (rule files and rule test files share it).
struct YAMLReader {
    let file: String
    let text: String
    private(set) var errors: [RuleFileError] = []
    /// Aliases share nodes, so a small file can expand to billions of entries ("billion laughs");
    /// the walk gives up after this many mapping entries and list items.
    static let maxEntries = 200_000
    private var entriesLeft = YAMLReader.maxEntries

    /// Files larger than this are refused: rule files are hand-written and small.
    static let maxFileBytes = 8 * 1024 * 1024

    init(file: String, text: String) {
        self.file = file
        self.text = text
    }

    /// The document's root node, or nil after recording the YAML error.
    mutating func root() -> Node? {
        guard text.utf8.count <= Self.maxFileBytes else {
            fail("file is larger than \(Self.maxFileBytes / 1024 / 1024) MiB", line: 1, column: 1)
            return nil
        }
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            record(error)
        } catch {
            fail("YAML error: \(error)", line: 1, column: 1)
        }
        return nil
    }

    private mutating func record(_ error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let what = context.map { "\(problem) (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? problem
            fail("YAML error: \(what)", line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            fail("duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) in mapping",
                 line: context.mark.line, column: context.mark.column)
        case .reader(let problem, let offset, _, _):
            let (line, column) = lineAndColumn(ofUTF8Offset: offset ?? 0)
            fail("cannot read file: \(problem)", line: line, column: column)
        default:
            fail("YAML error: \(error)", line: 1, column: 1)
        }
    }

    func position(_ node: Node) -> SourcePosition {
        SourcePosition(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func fail(_ message: String, at node: Node) {
        errors.append(RuleFileError(message, at: position(node)))
    }

    mutating func fail(_ message: String, line: Int, column: Int) {
        errors.append(RuleFileError(message, at: SourcePosition(file: file, line: line, column: column)))
    }

    mutating func fail(_ message: String, at position: SourcePosition) {
        errors.append(RuleFileError(message, at: position))
    }

    mutating func lint(_ message: String, at position: SourcePosition) {
        errors.append(RuleFileError(message, at: position, isLint: true))
    }

    /// The pairs of a mapping with string keys; records an error for anything else. Keys not in
    /// `allowed` are reported as unknown fields, like Prometheus' strict YAML decoding.
    mutating func mapping(_ node: Node, what: String, allowed: Set<String>) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let m) = node else {
            fail("\(what) must be a mapping", at: node)
            return nil
        }
        guard spend(m.count, at: node) else { return nil }
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard case .scalar(let s) = k else {
                fail("\(what) has a key that is not a string", at: k)
                continue
            }
            if !allowed.contains(s.string) {
                fail("field \"\(s.string)\" not found in \(what) (allowed: \(allowed.sorted().joined(separator: ", ")))", at: k)
                continue
            }
            out.append((s.string, k, v))
        }
        return out
    }

    /// A sequence's items; a null value is an empty sequence.
    mutating func sequence(_ node: Node, what: String) -> [Node]? {
        if isNull(node) { return [] }
        guard case .sequence(let s) = node else {
            fail("\(what) must be a list", at: node)
            return nil
        }
        guard spend(s.count, at: node) else { return nil }
        return Array(s)
    }

    /// A scalar's text; null becomes "".
    mutating func string(_ node: Node, what: @autoclosure () -> String) -> String? {
        guard case .scalar(let s) = node else {
            fail("\(what()) must be a string", at: node)
            return nil
        }
        return isNull(node) ? "" : s.string
    }

    /// A Prometheus duration (`5m`, `1h30m`) in milliseconds.
    mutating func duration(_ node: Node, what: String) -> Int64? {
        guard let text = string(node, what: what) else { return nil }
        do {
            return try PromDuration.parse(text)
        } catch {
            fail("\(what): \(error.description)", at: node)
            return nil
        }
    }

    /// A mapping of strings to strings (labels, annotations), in file order.
    mutating func stringMap(_ node: Node, what: String) -> [(String, String, Node)] {
        if isNull(node) { return [] }
        guard case .mapping(let m) = node else {
            fail("\(what) must be a mapping", at: node)
            return []
        }
        guard spend(m.count, at: node) else { return [] }
        var out: [(String, String, Node)] = []
        for (k, v) in m {
            guard let key = string(k, what: "\(what) name"), let value = string(v, what: "\(what) \"\(k.scalar?.string ?? "")\"")
            else { continue }
            out.append((key, value, v))
        }
        return out
    }

    /// True once the entry budget is used up: callers stop walking.
    var exhausted: Bool { entriesLeft <= 0 }

    private mutating func spend(_ count: Int, at node: Node) -> Bool {
        guard entriesLeft > 0 else { return false }
        entriesLeft -= count
        if entriesLeft <= 0 {
            fail("document has more than \(Self.maxEntries) entries once aliases are expanded", at: node)
            return false
        }
        return true
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node else { return false }
        return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// Where a position inside a scalar's text lies in the file. Exact for single-line scalars and
    /// literal blocks (`|`); for folded and multi-line plain scalars it follows the text's offset.
    func position(inScalar node: Node, line: Int, column: Int, offset: Int) -> SourcePosition {
        guard case .scalar(let s) = node, let mark = node.mark else { return position(node) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        switch s.style {
        case .literal, .folded:
            // The content starts on the line after the `|` or `>` indicator.
            let first = mark.line + 1
            let indent = lines.dropFirst(first - 1).first(where: { !$0.allSatisfy(\.isWhitespace) })
                .map { $0.prefix(while: { $0 == " " }).count } ?? 0
            if s.style == .literal {
                return SourcePosition(file: file, line: first + line - 1, column: indent + column)
            }
            return walk(lines: lines, fromLine: first, firstColumn: indent + 1, indent: indent, offset: offset)
        default:
            let quote = (s.style == .singleQuoted || s.style == .doubleQuoted) ? 1 : 0
            if line == 1, !s.string.contains("\n"), offset <= s.string.utf8.count {
                return SourcePosition(file: file, line: mark.line, column: mark.column + quote + column - 1)
            }
            return walk(lines: lines, fromLine: mark.line, firstColumn: mark.column + quote, indent: nil, offset: offset)
        }
    }

    /// Follows `offset` bytes of folded text (each line break became one character) from a start.
    private func walk(lines: [Substring], fromLine: Int, firstColumn: Int, indent: Int?, offset: Int) -> SourcePosition {
        var remaining = offset
        var lineNo = fromLine
        var column = firstColumn
        while lineNo - 1 < lines.count {
            let line = lines[lineNo - 1]
            let startCol = lineNo == fromLine ? column : (indent ?? line.prefix(while: { $0 == " " }).count) + 1
            let available = max(0, line.utf8.count - (startCol - 1))
            if remaining <= available { return SourcePosition(file: file, line: lineNo, column: startCol + remaining) }
            remaining -= available + 1
            lineNo += 1
            column = 1
        }
        return SourcePosition(file: file, line: fromLine, column: firstColumn)
    }

    func lineAndColumn(ofUTF8Offset offset: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        for (i, b) in text.utf8.enumerated() {
            if i >= offset { break }
            if b == 0x0a {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
