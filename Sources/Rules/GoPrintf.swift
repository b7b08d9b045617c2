import Foundation
import PromQL

/// A value inside a template: what `$value`, `$labels`, literals and functions produce.
enum TemplateValue: Sendable, Equatable {
    case string(String)
    case float(Double)
    case int(Int64)
    case bool(Bool)
    case map([String: String])

    /// How Go's text/template prints the value (`fmt.Sprint`).
    var printed: String {
        switch self {
        case .string(let s): return s
        case .float(let v): return GoFormat.shortest(v)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .map(let m):
            // Go prints maps with sorted keys: map[a:b c:d].
            return "map[" + m.keys.sorted().map { "\($0):\(m[$0] ?? "")" }.joined(separator: " ") + "]"
        }
    }

    /// Go's type name, used in `%!d(float64=1.5)` style messages.
    var goTypeName: String {
        switch self {
        case .string: return "string"
        case .float: return "float64"
        case .int: return "int"
        case .bool: return "bool"
        case .map: return "map[string]string"
        }
    }
}

/// Go's `fmt.Sprintf` for the verbs templates use: `%v %s %q %d %f %F %e %E %g %G %x %%`, with
/// flags `-+ 0#`, width and precision. Unsupported combinations print Go's `%!verb(type=value)`.
enum GoPrintf {
    /// Width and precision are capped so a hostile format cannot allocate gigabytes.
    static let maxWidth = 1000

    static func format(_ format: String, _ args: [TemplateValue]) -> String {
        var out = ""
        var argIndex = 0
        var chars = Array(format)
        var i = 0
        chars.reserveCapacity(chars.count)
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < chars.count else {
                out += "%!(NOVERB)"
                break
            }
            var flags = Set<Character>()
            while i < chars.count, "-+ 0#".contains(chars[i]) {
                flags.insert(chars[i])
                i += 1
            }
            var width: Int?
            while i < chars.count, let d = chars[i].wholeNumberValue, chars[i].isASCII {
                width = min((width ?? 0) * 10 + d, maxWidth)
                i += 1
            }
            var precision: Int?
            if i < chars.count, chars[i] == "." {
                i += 1
                precision = 0
                while i < chars.count, let d = chars[i].wholeNumberValue, chars[i].isASCII {
                    precision = min((precision ?? 0) * 10 + d, maxWidth)
                    i += 1
                }
            }
            guard i < chars.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = chars[i]
            i += 1
            if verb == "%" {
                out += "%"
                continue
            }
            guard argIndex < args.count else {
                out += "%!\(verb)(MISSING)"
                continue
            }
            let arg = args[argIndex]
            argIndex += 1
            let body = formatOne(verb: verb, arg: arg, flags: flags, precision: precision)
            out += pad(body, width: width, flags: flags, numeric: isNumeric(arg))
        }
        if argIndex < args.count {
            out += "%!(EXTRA " + args[argIndex...].map { "\($0.goTypeName)=\($0.printed)" }.joined(separator: ", ") + ")"
        }
        return out
    }

    private static func isNumeric(_ v: TemplateValue) -> Bool {
        switch v {
        case .float, .int: return true
        default: return false
        }
    }

    private static func formatOne(verb: Character, arg: TemplateValue, flags: Set<Character>, precision: Int?) -> String {
        let bad = "%!\(verb)(\(arg.goTypeName)=\(arg.printed))"
        switch (verb, arg) {
        case ("v", _):
            if case .float(let v) = arg, let p = precision { return sign(GoFormat.general(v, precision: p), v, flags) }
            if case .float(let v) = arg { return sign(GoFormat.shortest(v), v, flags) }
            if case .int(let n) = arg { return sign(String(n), Double(n), flags) }
            return arg.printed
        case ("s", .string(let s)):
            return precision.map { String(s.prefix($0)) } ?? s
        case ("q", .string(let s)):
            return "\"" + goQuote(s) + "\""
        case ("d", .int(let n)):
            return sign(String(n), Double(n), flags)
        case ("x", .int(let n)):
            return n < 0 ? "-" + String(-n, radix: 16) : String(n, radix: 16)
        case ("x", .string(let s)):
            return s.utf8.map { String(format: "%02x", $0) }.joined()
        case ("t", .bool(let b)):
            return b ? "true" : "false"
        case (_, .float(let v)) where "fFeEgG".contains(verb):
            return sign(floatVerb(verb, v, precision: precision, sharp: flags.contains("#")), v, flags)
        case (_, .int(let n)) where "fFeEgG".contains(verb):
            // Go refuses float verbs on ints.
            return "%!\(verb)(int=\(n))"
        default:
            return bad
        }
    }

    private static func floatVerb(_ verb: Character, _ v: Double, precision: Int?, sharp: Bool) -> String {
        if let special = GoFormat.nonFinite(v) { return special }
        switch verb {
        case "f", "F": return String(format: "%.\(precision ?? 6)f", v)
        case "e": return String(format: "%.\(precision ?? 6)e", v)
        case "E": return String(format: "%.\(precision ?? 6)E", v)
        case "G":
            return (precision.map { GoFormat.general(v, precision: $0) } ?? GoFormat.shortest(v)).uppercased()
        default:
            return precision.map { GoFormat.general(v, precision: $0) } ?? GoFormat.shortest(v)
        }
    }

    /// The `+` and space flags for numbers.
    private static func sign(_ s: String, _ v: Double, _ flags: Set<Character>) -> String {
        guard !s.hasPrefix("-"), !s.hasPrefix("+"), !v.isNaN else { return s }
        if flags.contains("+") { return "+" + s }
        if flags.contains(" ") { return " " + s }
        return s
    }

    private static func pad(_ s: String, width: Int?, flags: Set<Character>, numeric: Bool) -> String {
        guard let width, s.count < width else { return s }
        let fill = width - s.count
        if flags.contains("-") { return s + String(repeating: " ", count: fill) }
        if flags.contains("0"), numeric {
            // Zero padding goes after the sign.
            if let first = s.first, first == "-" || first == "+" || first == " " {
                return String(first) + String(repeating: "0", count: fill) + s.dropFirst()
            }
            return String(repeating: "0", count: fill) + s
        }
        return String(repeating: " ", count: fill) + s
    }

    /// The inside of Go's `%q`: one escaping, shared with the PromQL printer.
    static func goQuote(_ s: String) -> String { StringLiteral.escape(s) }
}
