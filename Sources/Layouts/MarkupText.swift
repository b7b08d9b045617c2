/// Text panels are written in Markdown (or HTML); a terminal shows them as plain text: headings,
/// emphasis, code marks and tags dropped, links as `text (url)`, list items as `• item`, entities decoded.
public enum MarkupText {
    /// Bounds the work a hostile text panel can cause.
    static let maxLength = 64 * 1024

    public static func plain(_ text: String, html: Bool = false) -> String {
        let bounded = text.count > maxLength ? String(text.prefix(maxLength)) : text
        var lines: [String] = []
        var inFence = false
        for raw in bounded.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw).replacingTabs()
            let trimmed = line.drop { $0 == " " }
            if !html, trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if !inFence && !html { line = markdownLine(line) }
            lines.append(line)
        }
        var out = stripTags(lines.joined(separator: "\n"))
        out = decodeEntities(out)
        // Collapse the blank lines that removed tags and fences leave behind.
        while out.contains("\n\n\n") { out = out.markupReplacing("\n\n\n", with: "\n\n") }
        return String(out.drop { $0 == "\n" }.reversed().drop { $0 == "\n" || $0 == " " }.reversed())
    }

    static func markdownLine(_ line: String) -> String {
        var s = Substring(line)
        let indent = s.prefix { $0 == " " }
        s = s.dropFirst(indent.count)
        while s.hasPrefix(">") { s = s.dropFirst().drop { $0 == " " } }
        if s.hasPrefix("#") {
            let hashes = s.prefix { $0 == "#" }
            if hashes.count <= 6, s.dropFirst(hashes.count).first == " " || s.count == hashes.count {
                s = s.dropFirst(hashes.count).drop { $0 == " " }
            }
        }
        var prefix = ""
        if s.hasPrefix("- ") || s.hasPrefix("* ") || s.hasPrefix("+ ") {
            prefix = "• "
            s = s.dropFirst(2)
        }
        if s.allSatisfy({ $0 == "-" || $0 == "*" || $0 == "_" || $0 == "=" }) && s.count >= 3 { return "" }
        return String(indent) + prefix + inline(String(s))
    }

    /// `![alt](url)` → alt, `[text](url)` → `text (url)`, `**x**`/`__x__`/`*x*`/`` `x` `` → x.
    static func inline(_ s: String) -> String {
        var out = ""
        var chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "!", i + 1 < chars.count, chars[i + 1] == "[", let (text, _, end) = link(chars, at: i + 1) {
                out += text
                i = end
                continue
            }
            if c == "[", let (text, url, end) = link(chars, at: i) {
                out += url.isEmpty || url == text ? text : "\(text) (\(url))"
                i = end
                continue
            }
            // `_` marks emphasis at a word's edge; inside a word (snake_case) it is a letter.
            let inWord = i > 0 && i + 1 < chars.count && (chars[i - 1].isLetter || chars[i - 1].isNumber)
                && (chars[i + 1].isLetter || chars[i + 1].isNumber)
            if c == "`" || c == "*" || (c == "_" && !inWord) {
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        chars = []
        return out
    }

    private static func link(_ chars: [Character], at i: Int) -> (String, String, Int)? {
        guard i < chars.count, chars[i] == "[", let close = chars[i...].firstIndex(of: "]"),
              close + 1 < chars.count, chars[close + 1] == "(", let paren = chars[(close + 1)...].firstIndex(of: ")")
        else { return nil }
        return (String(chars[(i + 1)..<close]), String(chars[(close + 2)..<paren]), paren + 1)
    }

    /// Removes `<tag ...>`; block tags (`br`, `p`, `div`, `li`, `h1`...) leave a line break, `li` a bullet.
    static func stripTags(_ s: String) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            guard c == "<", let close = s[i...].firstIndex(of: ">"),
                  let first = s[s.index(after: i)...].first, first.isLetter || first == "/" || first == "!" else {
                out.append(c)
                i = s.index(after: i)
                continue
            }
            let name = s[s.index(after: i)..<close].drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
            let closing = s[s.index(after: i)] == "/"
            if name == "li" && !closing {
                out += out.isEmpty || out.hasSuffix("\n") ? "• " : "\n• "
            } else if ["br", "p", "div", "tr", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr"].contains(name) {
                if !out.hasSuffix("\n") { out += "\n" }
            } else if name == "td" || name == "th", closing {
                out += " "
            }
            i = s.index(after: close)
        }
        return out
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = s
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"),
                                ("&nbsp;", " "), ("&amp;", "&")] {
            out = out.markupReplacing(entity, with: value)
        }
        return out
    }
}

private extension String {
    func replacingTabs() -> String { markupReplacing("\t", with: "    ") }

    func markupReplacing(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
