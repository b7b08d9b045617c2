import Foundation
import MetricsCore
import PromQL
import Yams

/// Loads and validates rule files in Prometheus' format. Validation follows Prometheus'
/// `rulefmt` (unknown fields, record/alert exclusivity, names, durations, PromQL syntax, templates)
/// plus a check for duplicate rules in a group; every error carries file, line and column.
public enum RuleFileLoader {
    static let groupFields: Set<String> = ["name", "interval", "limit", "query_offset", "rules", "labels"]
    static let ruleFields: Set<String> = ["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]

    /// Parses rule-file text. Returns the groups that are valid and every error and lint found.
    public static func parse(_ text: String, file: String) -> (groups: [RuleGroupDefinition], errors: [RuleFileError]) {
        var reader = YAMLReader(file: file, text: text)
        guard let root = reader.root() else { return ([], reader.errors) }
        if reader.isNull(root) { return ([], reader.errors) }
        guard let top = reader.mapping(root, what: "rule file", allowed: ["groups"]) else { return ([], reader.errors) }
        var groups: [RuleGroupDefinition] = []
        var seenGroups: Set<String> = []
        for (_, _, value) in top {
            for groupNode in reader.sequence(value, what: "groups") ?? [] {
                guard let group = parseGroup(groupNode, file: file, reader: &reader) else { continue }
                if !seenGroups.insert(group.name).inserted {
                    reader.fail("group name \"\(group.name)\" is repeated in the same file", at: groupNode)
                    continue
                }
                groups.append(group)
            }
        }
        return (groups, reader.errors)
    }

    /// Reads and parses one file; throws every error found.
    public static func load(path: String) throws(RuleFileErrors) -> [RuleGroupDefinition] {
        let text = try readText(path)
        let (groups, errors) = parse(text, file: path)
        let fatal = errors.filter { !$0.isLint }
        guard fatal.isEmpty else { throw RuleFileErrors(fatal) }
        return groups
    }

    /// Loads several files; fails with the errors of all of them together.
    public static func load(paths: [String]) throws(RuleFileErrors) -> [RuleGroupDefinition] {
        var groups: [RuleGroupDefinition] = []
        var errors: [RuleFileError] = []
        for path in paths {
            do {
                groups += try load(path: path)
            } catch {
                errors += error.errors
            }
        }
        guard errors.isEmpty else { throw RuleFileErrors(errors) }
        return groups
    }

    static func readText(_ path: String) throws(RuleFileErrors) -> String {
        let here = SourcePosition(file: path, line: 1, column: 1)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > YAMLReader.maxFileBytes {
            throw RuleFileErrors([RuleFileError("file is larger than \(YAMLReader.maxFileBytes / 1024 / 1024) MiB", at: here)])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuleFileErrors([RuleFileError("cannot read file", at: SourcePosition(file: path, line: 0, column: 0))])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleFileErrors([RuleFileError("file is not valid UTF-8", at: here)])
        }
        return text
    }

    private static func parseGroup(_ node: Node, file: String, reader: inout YAMLReader) -> RuleGroupDefinition? {
        guard let fields = reader.mapping(node, what: "rule group", allowed: groupFields) else { return nil }
        var name = ""
        var interval: Int64?
        var limit = 0
        var ruleNodes: [Node] = []
        var groupLabels: [(String, String)] = []
        for (key, _, value) in fields {
            switch key {
            case "name": name = reader.string(value, what: "group name") ?? ""
            case "interval":
                interval = reader.duration(value, what: "group interval")
                if interval == 0 { reader.fail("group interval must be greater than 0", at: value) }
            case "limit":
                guard let text = reader.string(value, what: "limit"), let n = Int(text), n >= 0 else {
                    reader.fail("limit must be a non-negative integer", at: value)
                    continue
                }
                limit = n
            case "query_offset": _ = reader.duration(value, what: "query_offset")
            case "labels": groupLabels = reader.stringMap(value, what: "group label").map { ($0.0, $0.1) }
            default: ruleNodes = reader.sequence(value, what: "rules") ?? []
            }
        }
        if name.isEmpty {
            reader.fail("group name must not be empty", at: node)
            return nil
        }
        var rules: [RuleDefinition] = []
        for ruleNode in ruleNodes {
            if reader.exhausted { break }
            guard var rule = parseRule(ruleNode, reader: &reader) else { continue }
            // Group labels (Prometheus 3) apply to every rule; a rule's own label wins.
            let own = Set(rule.labels.map(\.0))
            rule.labels = groupLabels.filter { !own.contains($0.0) } + rule.labels
            rules.append(rule)
        }
        reportDuplicates(rules, group: name, reader: &reader)
        return RuleGroupDefinition(name: name, file: file, interval: interval, limit: limit, rules: rules,
                                   position: reader.position(node))
    }

    private static func parseRule(_ node: Node, reader: inout YAMLReader) -> RuleDefinition? {
        guard let fields = reader.mapping(node, what: "rule", allowed: ruleFields) else { return nil }
        let errorsBefore = reader.errors.count
        var record: (String, Node)?
        var alert: (String, Node)?
        var expr: (String, Node)?
        var hold: Int64 = 0
        var keepFiring: Int64 = 0
        var labels: [(String, String, Node)] = []
        var annotations: [(String, String, Node)] = []
        var present: [String: Node] = [:]
        for (key, keyNode, value) in fields {
            present[key] = keyNode
            switch key {
            case "record": record = reader.string(value, what: "record").map { ($0, value) }
            case "alert": alert = reader.string(value, what: "alert").map { ($0, value) }
            case "expr": expr = reader.string(value, what: "expr").map { ($0, value) }
            case "for": hold = reader.duration(value, what: "for") ?? 0
            case "keep_firing_for": keepFiring = reader.duration(value, what: "keep_firing_for") ?? 0
            case "labels": labels = reader.stringMap(value, what: "label")
            default: annotations = reader.stringMap(value, what: "annotation")
            }
        }
        let kind: RuleDefinition.Kind
        let name: String
        switch (record, alert) {
        case (let r?, nil):
            kind = .recording
            name = r.0
            if !isValidMetricName(name) { reader.fail("invalid recording rule name \"\(name)\"", at: r.1) }
            for field in ["for", "keep_firing_for", "annotations"] {
                if let at = present[field] { reader.fail("invalid field \"\(field)\" in recording rule", at: at) }
            }
        case (nil, let a?):
            kind = .alerting
            name = a.0
            if name.isEmpty { reader.fail("alert name must not be empty", at: a.1) }
        case (nil, nil):
            reader.fail("one of \"record\" or \"alert\" must be set", at: node)
            return nil
        case (_?, _?):
            reader.fail("only one of \"record\" and \"alert\" must be set", at: node)
            return nil
        }
        guard let (exprText, exprNode) = expr, !exprText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            reader.fail("field \"expr\" must be set in rule \"\(name)\"", at: node)
            return nil
        }
        do {
            _ = try PromQLParser.parse(exprText)
        } catch {
            let at = reader.position(inScalar: exprNode, line: error.line, column: error.column, offset: error.offset)
            reader.fail("rule \"\(name)\": \(error.message)", at: at)
        }
        for (labelName, value, valueNode) in labels {
            if !isValidLabelName(labelName) || labelName == Labels.metricName {
                reader.fail("invalid label name \"\(labelName)\"", at: valueNode)
            }
            if kind == .alerting { checkTemplate(value, node: valueNode, reader: &reader) }
        }
        for (annotationName, value, valueNode) in annotations {
            if !isValidLabelName(annotationName) { reader.fail("invalid annotation name \"\(annotationName)\"", at: valueNode) }
            checkTemplate(value, node: valueNode, reader: &reader)
        }
        guard reader.errors.count == errorsBefore else { return nil }
        return RuleDefinition(kind: kind, name: name, expr: exprText, holdDuration: hold, keepFiringFor: keepFiring,
                              labels: labels.map { ($0.0, $0.1) }, annotations: annotations.map { ($0.0, $0.1) },
                              position: reader.position(node))
    }

    private static func checkTemplate(_ text: String, node: Node, reader: inout YAMLReader) {
        guard text.contains("{{") else { return }
        do {
            _ = try AlertTemplate.parse(text)
        } catch {
            let prefix = String(decoding: text.utf8.prefix(error.offset), as: UTF8.self)
            let line = prefix.filter { $0 == "\n" }.count + 1
            let column = (prefix.split(separator: "\n", omittingEmptySubsequences: false).last?.utf8.count ?? 0) + 1
            let at = reader.position(inScalar: node, line: line, column: column, offset: error.offset)
            reader.fail("template: \(error.message)", at: at)
        }
    }

    /// Rules with the same name and the same labels in one group would overwrite each other's
    /// series or alerts (promtool reports them as duplicates too).
    private static func reportDuplicates(_ rules: [RuleDefinition], group: String, reader: inout YAMLReader) {
        var seen: [String: SourcePosition] = [:]
        for rule in rules {
            let key = rule.name + "\u{0}" + rule.labels.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
            if let first = seen[key] {
                reader.lint("duplicate rule \"\(rule.name)\" in group \"\(group)\" (same name and labels as line \(first.line))",
                            at: rule.position)
            } else {
                seen[key] = rule.position
            }
        }
    }

    static func isValidMetricName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return s.utf8.allSatisfy { isAlnum($0) || $0 == 0x5f || $0 == 0x3a }
    }

    static func isValidLabelName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return s.utf8.allSatisfy { isAlnum($0) || $0 == 0x5f }
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
    }
}

/// The `lookout check` entry point for rule files.
public enum RuleFileChecker {
    public struct Report: Sendable {
        public var file: String
        public var ruleCount: Int
        /// Errors and lint findings (`isLint`).
        public var errors: [RuleFileError]
        /// No errors; lint findings alone do not fail a check (as with promtool).
        public var ok: Bool { errors.allSatisfy(\.isLint) }
    }

    /// Checks each file and reports, like `promtool check rules`, how many rules it holds or what is wrong.
    public static func check(paths: [String]) -> [Report] {
        paths.map { path -> Report in
            let text: String
            do throws(RuleFileErrors) {
                text = try RuleFileLoader.readText(path)
            } catch {
                return Report(file: path, ruleCount: 0, errors: error.errors)
            }
            let (groups, errors) = RuleFileLoader.parse(text, file: path)
            return Report(file: path, ruleCount: groups.reduce(0) { $0 + $1.rules.count }, errors: errors)
        }
    }

    /// The text `lookout check` prints for reports: `SUCCESS: N rules found` or each error.
    public static func render(_ reports: [Report]) -> String {
        var out = ""
        for r in reports {
            out += "Checking \(r.file)\n"
            if r.ok {
                out += "  SUCCESS: \(r.ruleCount) rules found\n"
            } else {
                out += "  FAILED:\n" + r.errors.filter { !$0.isLint }.map { "    \($0.description)\n" }.joined()
            }
            for lint in r.errors where lint.isLint { out += "  LINT: \(lint.description)\n" }
        }
        return out
    }
}
