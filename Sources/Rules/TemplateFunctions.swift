import Foundation
import MetricsCore
import PromQL

/// The functions a template may call: Prometheus' formatting functions and a few of Go's.
enum TemplateFunctions {
    struct CallError: Error {
        var message: String
    }

    /// Names accepted by the parser. Prometheus' query functions (`query`, `first`, `label`...)
    /// are deliberately absent: they would need a query engine inside the template.
    static let names: Set<String> = [
        "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
        "printf", "print", "toUpper", "toLower", "title", "stripPort", "index", "reReplaceAll", "match",
    ]

    static func call(_ name: String, _ args: [TemplateValue]) throws(CallError) -> TemplateValue {
        switch name {
        case "humanize": return .string(Humanize.metric(try float(one(args, name))))
        case "humanize1024": return .string(Humanize.binary(try float(one(args, name))))
        case "humanizeDuration": return .string(Humanize.duration(try float(one(args, name))))
        case "humanizePercentage": return .string(Humanize.percentage(try float(one(args, name))))
        case "humanizeTimestamp": return .string(Humanize.timestamp(try float(one(args, name))))
        case "printf":
            guard case .string(let format)? = args.first else {
                throw CallError(message: "printf needs a format string as its first argument")
            }
            return .string(GoPrintf.format(format, Array(args.dropFirst())))
        case "print":
            // fmt.Sprint: a space between operands when neither side is a string.
            var out = ""
            for (i, a) in args.enumerated() {
                if i > 0, !isString(a), !isString(args[i - 1]) { out += " " }
                out += a.printed
            }
            return .string(out)
        case "toUpper": return .string(try string(one(args, name)).uppercased())
        case "toLower": return .string(try string(one(args, name)).lowercased())
        case "title":
            let s = try string(one(args, name))
            var out = ""
            var atWordStart = true
            for ch in s {
                out += atWordStart ? ch.uppercased() : String(ch)
                atWordStart = ch.isWhitespace || ch.isPunctuation
            }
            return .string(out)
        case "stripPort":
            return .string(stripPort(try string(one(args, name))))
        case "index":
            guard args.count == 2, case .map(let m) = args[0], case .string(let key) = args[1] else {
                throw CallError(message: "index needs a label map and a name")
            }
            return .string(m[key] ?? "")
        case "reReplaceAll":
            guard args.count == 3 else { throw CallError(message: "wrong number of args: want 3 got \(args.count)") }
            let (re, names) = try regex(string(args[0]))
            let text = try string(args[2]), template = try string(args[1])
            let ns = text as NSString
            var out = "", last = 0
            for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
                out += GoRegex.expand(template, match: m, in: ns, names: names)
                last = m.range.location + m.range.length
            }
            return .string(out + ns.substring(from: last))
        case "match":
            guard args.count == 2 else { throw CallError(message: "wrong number of args: want 2 got \(args.count)") }
            let (re, _) = try regex(string(args[0]))
            let text = try string(args[1])
            return .bool(re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil)
        default:
            throw CallError(message: "function \"\(name)\" not defined")
        }
    }

    private static func one(_ args: [TemplateValue], _ name: String) throws(CallError) -> TemplateValue {
        guard args.count == 1, let a = args.first else {
            throw CallError(message: "wrong number of args for \(name): want 1 got \(args.count)")
        }
        return a
    }

    private static func isString(_ v: TemplateValue) -> Bool {
        if case .string = v { return true }
        return false
    }

    /// Prometheus' convertToFloat: numbers as they are, strings parsed as Go's ParseFloat would.
    private static func float(_ v: TemplateValue) throws(CallError) -> Double {
        switch v {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .string(let s):
            if let d = parseGoFloat(s) { return d }
            throw CallError(message: "strconv.ParseFloat: parsing \"\(s)\": invalid syntax")
        default:
            throw CallError(message: "can't convert \(v.goTypeName) to float")
        }
    }

    static func parseGoFloat(_ s: String) -> Double? {
        switch s.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return Double(s)
        }
    }

    private static func string(_ v: TemplateValue) throws(CallError) -> String {
        if case .string(let s) = v { return s }
        throw CallError(message: "expected string; found \(v.goTypeName)")
    }

    /// Go's `regexp.MustCompile` as the template functions use it: RE2, unanchored, `.` not across newlines.
    private static func regex(_ pattern: String) throws(CallError) -> (NSRegularExpression, [String: Int]) {
        do {
            let re2 = try RE2Pattern(pattern, dotMatchesNewline: false, anchoredFirst: false, captures: true)
            return (try NSRegularExpression(pattern: re2.icu), re2.groupNames)
        } catch let error as RE2SyntaxError {
            throw CallError(message: "error parsing regexp: \(error)")
        } catch {
            throw CallError(message: "invalid regular expression \"\(pattern)\"")
        }
    }

    /// `host:port` → `host`; `[::1]:80` → `::1`; anything without a port is returned unchanged.
    static func stripPort(_ s: String) -> String {
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
            return String(s[s.index(after: s.startIndex)..<close])
        }
        let colons = s.filter { $0 == ":" }.count
        if colons == 1, let i = s.firstIndex(of: ":") { return String(s[..<i]) }
        return s
    }
}
