import MetricsCore

/// A place in a file: 1-based line and column.
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A problem in a rule file or rule test file, with where it is.
public struct RuleFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var position: SourcePosition
    public var message: String
    /// A lint finding (duplicate rules): reported by `lookout check`, but the file still loads,
    /// as Prometheus loads it (promtool reports the same finding without failing).
    public var isLint: Bool

    public init(_ message: String, at position: SourcePosition, isLint: Bool = false) {
        self.message = message
        self.position = position
        self.isLint = isLint
    }

    /// `rules/x.yml:12:15: message`, the form editors jump to.
    public var description: String { "\(position): \(message)" }
}

/// Every problem found while loading one or more files.
public struct RuleFileErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [RuleFileError]
    public init(_ errors: [RuleFileError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// One recording or alerting rule as written in a rule file.
public struct RuleDefinition: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case recording, alerting }

    public var kind: Kind
    /// The `record` metric name or the `alert` name.
    public var name: String
    public var expr: String
    /// `for`, in milliseconds (alerting rules only).
    public var holdDuration: Int64
    /// `keep_firing_for`, in milliseconds (alerting rules only).
    public var keepFiringFor: Int64
    /// Label names and (template) values, in file order.
    public var labels: [(String, String)]
    /// Annotation names and template texts, in file order (alerting rules only).
    public var annotations: [(String, String)]
    /// Where the rule starts in its file.
    public var position: SourcePosition

    public init(kind: Kind, name: String, expr: String, holdDuration: Int64 = 0, keepFiringFor: Int64 = 0,
                labels: [(String, String)] = [], annotations: [(String, String)] = [],
                position: SourcePosition = SourcePosition(file: "", line: 0, column: 0)) {
        self.kind = kind
        self.name = name
        self.expr = expr
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.position = position
    }

    public static func == (a: RuleDefinition, b: RuleDefinition) -> Bool {
        a.kind == b.kind && a.name == b.name && a.expr == b.expr && a.holdDuration == b.holdDuration
            && a.keepFiringFor == b.keepFiringFor && a.labels.elementsEqual(b.labels, by: ==)
            && a.annotations.elementsEqual(b.annotations, by: ==)
    }

    public func hash(into h: inout Hasher) {
        h.combine(kind)
        h.combine(name)
        h.combine(expr)
    }

    /// What identifies a rule across reloads: its kind, name, expression and labels. A rule that
    /// keeps these keeps its alert state when the file is reloaded.
    var identity: String {
        "\(kind.rawValue)\u{0}\(name)\u{0}\(expr)\u{0}" + labels.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{0}")
    }
}

/// A group of rules evaluated together, in order, on one interval.
public struct RuleGroupDefinition: Hashable, Sendable {
    public var name: String
    public var file: String
    /// Evaluation interval in milliseconds; nil means the manager's default.
    public var interval: Int64?
    /// Maximum number of series a rule may produce (0: no limit), as Prometheus' `limit`.
    public var limit: Int
    public var rules: [RuleDefinition]
    public var position: SourcePosition

    public init(name: String, file: String = "", interval: Int64? = nil, limit: Int = 0, rules: [RuleDefinition],
                position: SourcePosition = SourcePosition(file: "", line: 0, column: 0)) {
        self.name = name
        self.file = file
        self.interval = interval
        self.limit = limit
        self.rules = rules
        self.position = position
    }

    /// Groups are identified by file and name, as in Prometheus.
    var key: String { file + "\u{0}" + name }
}
