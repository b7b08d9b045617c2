import Foundation
import Layouts
import PromQL

/// Grafana's ad hoc filters: each becomes a label matcher added to every selector of an expression.
enum AdhocFilters {
    /// `expr` with `filters` added to each of its selectors; unchanged when it does not parse.
    static func apply(_ filters: [AdhocFilter], to expr: String) -> String {
        guard !filters.isEmpty, let parsed = try? PromQLParser.parse(expr) else { return expr }
        let matchers = filters.map { "\($0.key)\($0.op)\"\(StringLiteral.escape($0.value))\"" }.joined(separator: ",")
        var inserts: [(offset: Int, text: String)] = []
        let bytes = Array(expr.utf8)
        parsed.walk { node in
            guard case .vectorSelector(let vs) = node else { return true }
            if let at = insertion(in: bytes, vs) { inserts.append((at.offset, at.braces ? "{\(matchers)}" : at.comma ? ",\(matchers)" : matchers)) }
            return true
        }
        var out = bytes
        for insert in inserts.sorted(by: { $0.offset > $1.offset }) {
            out.insert(contentsOf: Array(insert.text.utf8), at: insert.offset)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where to write the matchers: before the closing brace (after a comma when others precede),
    /// or in new braces after a bare metric name.
    static func insertion(in bytes: [UInt8], _ vs: VectorSelector) -> (offset: Int, braces: Bool, comma: Bool)? {
        let start = max(0, vs.position.start), end = min(bytes.count, vs.position.end)
        guard start < end else { return nil }
        var i = start
        if let name = vs.name { i += name.utf8.count }
        while i < end, bytes[i] == UInt8(ascii: " ") { i += 1 }
        guard i < end, bytes[i] == UInt8(ascii: "{") else {
            guard let name = vs.name else { return nil }
            return (start + name.utf8.count, true, false)
        }
        var quote: UInt8?
        var j = i + 1
        var sawContent = false
        while j < end {
            let c = bytes[j]
            if let q = quote {
                if c == UInt8(ascii: "\\") { j += 1 } else if c == q { quote = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
                quote = c
                sawContent = true
            } else if c == UInt8(ascii: "}") {
                var k = j - 1
                while k > i, bytes[k] == UInt8(ascii: " ") { k -= 1 }
                let trailingComma = bytes[k] == UInt8(ascii: ",")
                return (j, false, sawContent && !trailingComma)
            } else if c != UInt8(ascii: " ") {
                sawContent = true
            }
            j += 1
        }
        return nil
    }
}
