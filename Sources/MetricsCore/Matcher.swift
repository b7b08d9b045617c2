import Foundation

/// A label matcher (`=`, `!=`, `=~`, `!~`). Regexes are fully anchored, as in Prometheus.
public struct LabelMatcher: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"
    }

    public let name: String
    public let kind: Kind
    public let value: String
    private let regex: AnchoredRegex?

    /// Throws `MatcherError.invalidRegex` for a regex that does not compile.
    public init(_ kind: Kind, _ name: String, _ value: String) throws(MatcherError) {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch: regex = try AnchoredRegex(value)
        }
    }

    public func matches(_ labelValue: String) -> Bool {
        switch kind {
        case .equal: return labelValue == value
        case .notEqual: return labelValue != value
        case .regexMatch: return regex!.matches(labelValue)
        case .regexNoMatch: return !regex!.matches(labelValue)
        }
    }

    /// Whether a series with these labels passes (a missing label counts as the empty string).
    public func matches(_ labels: Labels) -> Bool { matches(labels[name] ?? "") }

    /// Whether the matcher accepts the empty string (such a matcher alone selects too much).
    public var matchesEmpty: Bool { matches("") }

    public var description: String {
        "\(name)\(kind.rawValue)\"\(Labels.escape(value))\""
    }

    public static func == (a: LabelMatcher, b: LabelMatcher) -> Bool {
        a.name == b.name && a.kind == b.kind && a.value == b.value
    }

    public func hash(into h: inout Hasher) {
        h.combine(name)
        h.combine(kind)
        h.combine(value)
    }
}

public struct MatcherError: Error, Hashable, Sendable, CustomStringConvertible {
    public let pattern: String
    public let reason: String
    public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}

/// A compiled, fully anchored regular expression with RE2's syntax and meaning, as Prometheus reads
/// it: what RE2 rejects is rejected with Go's message; `.` matches newlines too (Prometheus 3).
public final class AnchoredRegex: @unchecked Sendable, Hashable {
    // NSRegularExpression is immutable after creation and documented thread-safe for matching.
    private let re: NSRegularExpression
    public let pattern: String
    /// Fast path for plain literals and `a|b|c` alternations of literals.
    private let literals: Set<String>?

    public init(_ pattern: String) throws(MatcherError) {
        self.pattern = pattern
        do {
            let re2 = try RE2Pattern(pattern)
            re = try NSRegularExpression(pattern: "\\A(?:" + re2.icu + ")\\z")
        } catch let error as RE2SyntaxError {
            throw MatcherError(pattern: pattern, reason: error.description)
        } catch {
            // Valid RE2 that ICU cannot build (it bounds nesting more tightly than RE2).
            throw MatcherError(pattern: pattern, reason: "too deeply nested for Lookout's regex engine")
        }
        let special = CharacterSet(charactersIn: "\\^$.[]()*+?{}")
        if pattern.unicodeScalars.allSatisfy({ !special.contains($0) }) {
            literals = Set(pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
        } else {
            literals = nil
        }
    }

    public func matches(_ s: String) -> Bool {
        if let literals { return literals.contains(s) }
        let range = NSRange(s.startIndex..., in: s)
        return re.firstMatch(in: s, options: [], range: range) != nil
    }

    public static func == (a: AnchoredRegex, b: AnchoredRegex) -> Bool { a.pattern == b.pattern }
    public func hash(into h: inout Hasher) { h.combine(pattern) }
}
