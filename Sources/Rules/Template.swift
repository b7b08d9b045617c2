import Foundation

/// A template error: where in the template text (UTF-8 byte offset) and why.
public struct TemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
    public var description: String { "template: \(offset): \(message)" }
}

/// What a rule's labels and annotations see, as in Prometheus: `$labels`/`.Labels`,
/// `$value`/`.Value`, `$externalLabels`/`.ExternalLabels`, `$externalURL`/`.ExternalURL`.
public struct TemplateData: Sendable {
    public var labels: [String: String]
    public var value: Double
    public var externalLabels: [String: String]
    public var externalURL: String

    public init(labels: [String: String], value: Double, externalLabels: [String: String] = [:], externalURL: String = "") {
        self.labels = labels
        self.value = value
        self.externalLabels = externalLabels
        self.externalURL = externalURL
    }
}

/// A small evaluator for the subset of Go templates that alerting rules use: text and
/// `{{ pipeline }}` actions with variables, fields, string and number literals, parentheses,
/// `|` pipes, `{{-`/`-}}` trimming, comments, and Prometheus' number functions plus `printf`.
/// Control structures (`if`, `range`, `with`) and query functions are not supported.
public struct AlertTemplate: Sendable {
    enum Part: Sendable {
        case text(String)
        case action(Pipeline, offset: Int)
    }

    indirect enum Term: Sendable {
        case literal(TemplateValue)
        /// `$name.field.field`; an empty name is `$`.
        case variable(String, fields: [String])
        /// `.Field.field`; empty fields is `.`.
        case field([String])
        case function(String)
        case paren(Pipeline)
    }

    struct Command: Sendable {
        var terms: [Term]
        var offset: Int
    }

    struct Pipeline: Sendable {
        var commands: [Command]
    }

    /// Output longer than this is cut, so a template cannot blow up memory or the screen.
    public static let maxOutputBytes = 16 * 1024

    let parts: [Part]

    /// Parses a template; unknown functions and syntax errors are reported with their offset.
    public static func parse(_ text: String) throws(TemplateError) -> AlertTemplate {
        var parser = TemplateParser(text)
        return AlertTemplate(parts: try parser.parseParts())
    }

    /// Expands a template as Prometheus does for alerts: on any error the result is the text
    /// `<error expanding template: ...>` instead of a failure, so the alert still shows.
    public static func expand(_ text: String, data: TemplateData) -> String {
        // Most labels and many annotations have no action at all.
        guard text.contains("{{") else { return text }
        do {
            return try parse(text).execute(data)
        } catch {
            return "<error expanding template: \(error.description)>"
        }
    }

    public func execute(_ data: TemplateData) throws(TemplateError) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let s): out += s
            case .action(let pipeline, _):
                if let v = try evaluate(pipeline, data) { out += v.printed }
            }
            if out.utf8.count > Self.maxOutputBytes {
                return String(decoding: out.utf8.prefix(Self.maxOutputBytes), as: UTF8.self)
            }
        }
        return out
    }

    private func evaluate(_ pipeline: Pipeline, _ data: TemplateData) throws(TemplateError) -> TemplateValue? {
        var piped: TemplateValue?
        for command in pipeline.commands {
            piped = try evaluate(command, piped: piped, data)
        }
        return piped
    }

    private func evaluate(_ command: Command, piped: TemplateValue?, _ data: TemplateData) throws(TemplateError) -> TemplateValue {
        guard let first = command.terms.first else {
            throw TemplateError(message: "missing value for command", offset: command.offset)
        }
        if case .function(let name) = first {
            var args: [TemplateValue] = []
            for term in command.terms.dropFirst() { args.append(try value(of: term, data, at: command.offset)) }
            if let piped { args.append(piped) }
            do {
                return try TemplateFunctions.call(name, args)
            } catch {
                throw TemplateError(message: "error calling \(name): \(error.message)", offset: command.offset)
            }
        }
        guard command.terms.count == 1, piped == nil else {
            throw TemplateError(message: "can't give argument to non-function", offset: command.offset)
        }
        return try value(of: first, data, at: command.offset)
    }

    private func value(of term: Term, _ data: TemplateData, at offset: Int) throws(TemplateError) -> TemplateValue {
        switch term {
        case .literal(let v): return v
        case .paren(let p):
            guard let v = try evaluate(p, data) else { throw TemplateError(message: "empty pipeline", offset: offset) }
            return v
        case .function(let name):
            // A bare function name used as an argument is called without arguments, as in Go.
            do {
                return try TemplateFunctions.call(name, [])
            } catch {
                throw TemplateError(message: "error calling \(name): \(error.message)", offset: offset)
            }
        case .field(let fields):
            guard let head = fields.first else { return .map(data.labels) } // `.` has no printable form here
            let root: TemplateValue
            switch head {
            case "Value": root = .float(data.value)
            case "Labels": root = .map(data.labels)
            case "ExternalLabels": root = .map(data.externalLabels)
            case "ExternalURL": root = .string(data.externalURL)
            default: throw TemplateError(message: "can't evaluate field \(head) in template data", offset: offset)
            }
            return try select(Array(fields.dropFirst()), from: root, at: offset)
        case .variable(let name, let fields):
            let root: TemplateValue
            switch name {
            case "value": root = .float(data.value)
            case "labels": root = .map(data.labels)
            case "externalLabels": root = .map(data.externalLabels)
            case "externalURL": root = .string(data.externalURL)
            case "":
                return try value(of: .field(fields), data, at: offset)
            default: throw TemplateError(message: "undefined variable \"$\(name)\"", offset: offset)
            }
            return try select(fields, from: root, at: offset)
        }
    }

    private func select(_ fields: [String], from root: TemplateValue, at offset: Int) throws(TemplateError) -> TemplateValue {
        var current = root
        for field in fields {
            guard case .map(let m) = current else {
                throw TemplateError(message: "can't evaluate field \(field) in type \(current.goTypeName)", offset: offset)
            }
            // Prometheus runs templates with missingkey=zero: a missing label is "".
            current = .string(m[field] ?? "")
        }
        return current
    }
}
