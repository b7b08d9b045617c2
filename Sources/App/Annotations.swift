import Foundation
import PromQL
import Render
import Rules

/// One alert transition seen while the dashboard ran: pending (P), firing (F) or resolved (R).
public struct AlertTransition: Hashable, Sendable {
    public var t: Int64
    public var letter: Character
    public var name: String
    public var severity: String?

    public init(t: Int64, letter: Character, name: String, severity: String?) {
        self.t = t
        self.letter = letter
        self.name = name
        self.severity = severity
    }
}

/// The transitions of every alert seen so far. Alerts leave the feed a while after resolving; their
/// marks on the graphs stay for as long as the graphs show that time. Bounded.
public struct AnnotationLog: Sendable {
    public private(set) var transitions: [AlertTransition] = []
    private var seen: Set<String> = []
    /// The alerts last observed: every frame passes the same ones, whose transitions are all in
    /// `seen` already (making and hashing their keys was a twentieth of composing a frame).
    private var lastObserved: [AlertInstance] = []
    static let limit = 1000

    public init() {}

    /// Takes the transitions of the current alerts; returns whether any was new.
    @discardableResult
    public mutating func observe(_ alerts: [AlertInstance]) -> Bool {
        if alerts.count == lastObserved.count && zip(alerts, lastObserved).allSatisfy(Self.sameTransitions) {
            return false
        }
        lastObserved = alerts
        var added = false
        for a in alerts {
            for (letter, date) in [("P", a.activeAt), ("F", a.firedAt), ("R", a.resolvedAt)] as [(Character, Date?)] {
                guard let date else { continue }
                let t = Int64((date.timeIntervalSince1970 * 1000).rounded())
                let key = "\(a.name)\u{0}\(a.labels.description)\u{0}\(letter)\u{0}\(t / 1000)"
                guard seen.insert(key).inserted else { continue }
                transitions.append(AlertTransition(t: t, letter: letter, name: a.name, severity: a.severity))
                added = true
            }
        }
        if transitions.count > Self.limit {
            transitions.removeFirst(transitions.count - Self.limit)
        }
        return added
    }

    /// Whether two alerts give the same transition keys (their values and annotations may differ).
    private static func sameTransitions(_ a: AlertInstance, _ b: AlertInstance) -> Bool {
        a.name == b.name && a.activeAt == b.activeAt && a.firedAt == b.firedAt && a.resolvedAt == b.resolvedAt
            && a.labels == b.labels
    }
}

/// Which graphs carry which marks: graphs whose expression names a metric of the alert's rule, and
/// every graph of the executive layout (the overview someone watches during an incident).
enum Annotations {
    static func markers(for exprs: [String], layoutName: String, transitions: [AlertTransition],
                        ruleExpressions: [String: String]) -> [TimeMarker] {
        let everything = layoutName == "executive"
        // Only graphs that choose their marks need their metrics (this runs for every panel of every frame).
        let panelMetrics = everything || transitions.isEmpty ? [] : Set(exprs.flatMap(metricNames))
        return transitions.compactMap { tr in
            if !everything {
                guard let rule = ruleExpressions[tr.name], !panelMetrics.isDisjoint(with: metricNames(rule)) else { return nil }
            }
            return TimeMarker(t: tr.t, letter: tr.letter, color: color(severity: tr.severity, letter: tr.letter),
                              label: "\(tr.letter) \(tr.name)")
        }
    }

    /// Critical red, warning yellow, others the plain foreground; resolved marks are green.
    static func color(severity: String?, letter: Character) -> Color {
        if letter == "R" { return .green }
        switch AlertRows.severityRank(severity) {
        case 3: return .red
        case 2: return .yellow
        default: return .cyan
        }
    }

    /// The metric names an expression selects (its vector selectors' names).
    static func metricNames(_ expr: String) -> [String] {
        // Identifiers that are neither functions, keywords, nor label names inside braces.
        var out: [String] = []
        var inBraces = 0
        var word = ""
        func flush(_ next: Character?) {
            defer { word = "" }
            guard !word.isEmpty, inBraces == 0, let first = word.first, !first.isNumber else { return }
            if next == "(" || QueryWords.reserved.contains(word.lowercased()) { return }
            out.append(word)
        }
        var quote: Character?
        for c in expr {
            if let q = quote { if c == q { quote = nil }; continue }
            if c.isLetter || c.isNumber || c == "_" || c == ":" { word.append(c); continue }
            flush(c == " " ? nil : c)
            if c == "\"" || c == "'" { quote = c }
            if c == "{" { inBraces += 1 }
            if c == "}" { inBraces = max(0, inBraces - 1) }
            if c == "[" { inBraces += 1 }
            if c == "]" { inBraces = max(0, inBraces - 1) }
        }
        flush(nil)
        return out
    }
}

enum QueryWords {
    static let reserved: Set<String> = Set(CompletionVocabulary.functions).union(
        ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
         "inf", "nan", "le"])
}
