import Foundation

/// The query forms of Grafana's Prometheus variables and what their answers become.
extension Templating {
    /// `label_values(metric, label)`, `label_values(label)`, `query_result(expr)`, `metrics(regex)`;
    /// nil for anything else.
    public static func parseVariableQuery(_ query: String) -> Variable.Kind? {
        let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if let lv = parseLabelValues(q) { return .labelValues(metric: lv.metric, label: lv.label) }
        if let inner = call("query_result", q) { return inner.isEmpty ? nil : .queryResult(inner) }
        if let inner = call("metrics", q) { return .metrics(inner) }
        return nil
    }

    /// The argument text of `name(...)` when `q` is exactly that call.
    static func call(_ name: String, _ q: String) -> String? {
        guard q.hasPrefix(name), q.hasSuffix(")") else { return nil }
        let rest = q.dropFirst(name.count).drop { $0 == " " }
        guard rest.first == "(" else { return nil }
        return rest.dropFirst().dropLast().trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Grafana's custom list: `a,b,c`, with `text : value` pairs and `\,` for a literal comma.
    public static func customOptions(_ query: String) -> [(text: String, value: String)] {
        var items: [String] = []
        var current = ""
        var escaped = false
        for c in query {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "," { items.append(current); current = ""; continue }
            current.append(c)
        }
        items.append(current)
        return items.compactMap { item in
            let parts = item.components(separatedBy: " : ")
            let text = parts[0].trimmingCharacters(in: .whitespaces)
            let value = (parts.count > 1 ? parts[1...].joined(separator: " : ") : parts[0]).trimmingCharacters(in: .whitespaces)
            return value.isEmpty && text.isEmpty ? nil : (text, value)
        }
    }

    /// One series of a `query_result` answer as Grafana prints it for the regex: `name{a="b"} value timestamp`
    /// (timestamp in milliseconds).
    public static func queryResultLine(name: String?, labels: [(String, String)], value: String, timestamp: Int64) -> String {
        let inner = labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",")
        return (name ?? "") + "{" + inner + "} " + value + " " + String(timestamp)
    }

    /// Grafana's variable regex over raw option texts: a `/pattern/flags` or bare pattern; capture group 1
    /// (or the groups named `text` / `value`) gives the option, the whole match when there is no group.
    /// Options the regex does not match are dropped; duplicates keep their first place.
    public static func applyRegex(_ regex: String?, to raw: [String]) -> [(text: String, value: String)] {
        guard let regex, !regex.isEmpty, let re = compile(regex) else {
            return dedup(raw.map { ($0, $0) })
        }
        var out: [(String, String)] = []
        for item in raw {
            let ns = item as NSString
            guard let m = re.firstMatch(in: item, range: NSRange(location: 0, length: ns.length)) else { continue }
            func group(_ name: String) -> String? {
                let r = m.range(withName: name)
                return r.location == NSNotFound ? nil : ns.substring(with: r)
            }
            let named = (text: group("text"), value: group("value"))
            if named.text != nil || named.value != nil {
                let value = named.value ?? named.text ?? ""
                out.append((named.text ?? value, value))
                continue
            }
            let r = m.numberOfRanges > 1 && m.range(at: 1).location != NSNotFound ? m.range(at: 1) : m.range
            let s = ns.substring(with: r)
            out.append((s, s))
        }
        return dedup(out)
    }

    /// The items in which `regex` (bare, as `metrics(...)` writes it) finds a match; none when it does not compile.
    public static func filterMatching(_ regex: String, _ items: [String]) -> [String] {
        guard let re = try? NSRegularExpression(pattern: regex.isEmpty ? ".*" : regex) else { return [] }
        return items.filter { re.firstMatch(in: $0, range: NSRange(location: 0, length: ($0 as NSString).length)) != nil }
    }

    static func dedup(_ options: [(text: String, value: String)]) -> [(text: String, value: String)] {
        var seen: Set<String> = []
        return options.filter { seen.insert($0.value).inserted }
    }

    /// `/re/flags` (Grafana's usual form, flags i/m/s honoured) or a bare pattern. Bounded in length.
    static func compile(_ text: String) -> NSRegularExpression? {
        guard text.utf8.count <= 2000 else { return nil }
        var pattern = text
        var options: NSRegularExpression.Options = []
        if text.hasPrefix("/"), let last = text.lastIndex(of: "/"), last > text.startIndex {
            pattern = String(text[text.index(after: text.startIndex)..<last])
            let flags = text[text.index(after: last)...]
            if flags.contains("i") { options.insert(.caseInsensitive) }
            if flags.contains("m") { options.insert(.anchorsMatchLines) }
            if flags.contains("s") { options.insert(.dotMatchesLineSeparators) }
        }
        return try? NSRegularExpression(pattern: pattern, options: options)
    }

    /// Grafana's `sort` of options: 1/2 alphabetical, 3/4 numerical (the first number in the text),
    /// 5/6 case-insensitive, 7/8 natural; odd ascending, even descending; 0 as returned.
    public static func sortOptions(_ options: [(text: String, value: String)], sort: Int) -> [(text: String, value: String)] {
        guard sort > 0 else { return options }
        func number(_ s: String) -> Double {
            let digits = s.drop { !$0.isNumber && $0 != "-" }.prefix { $0.isNumber || $0 == "." || $0 == "-" }
            return Double(digits) ?? -.infinity
        }
        let ascending: [(text: String, value: String)]
        switch (sort + 1) / 2 {
        case 2: ascending = options.sorted { number($0.text) < number($1.text) }
        case 3: ascending = options.sorted { $0.text.lowercased() < $1.text.lowercased() }
        case 4: ascending = options.sorted { $0.text.localizedStandardCompare($1.text) == .orderedAscending }
        default: ascending = options.sorted { $0.text < $1.text }
        }
        return sort % 2 == 0 ? ascending.reversed() : ascending
    }
}
