import Foundation
import MetricsCore
@testable import PromQL

/// One `eval` block of a promqltest script.
struct EvalCase {
    enum Kind { case instant(at: Timestamp), range(start: Timestamp, end: Timestamp, step: Int64) }
    struct ExpectedSeries {
        var labels: Labels
        var values: [Double?]
    }
    var line: Int
    var kind: Kind
    var expr: String
    var expectFail = false
    var failMessage: String?
    var failRegex: String?
    var ordered = false
    var scalar: Double?
    var string: String?
    /// Set by `expect range vector from a to b step s`.
    var rangeVector: (start: Timestamp, end: Timestamp, step: Int64)?
    var series: [ExpectedSeries] = []
    /// `expect warn`, `expect no_info`, `expect warn msg: ...` lines (checked only on request).
    var annotations: [AnnotationExpectation] = []
}

struct AnnotationExpectation {
    var kind: String
    var text: String
}

/// The commands of a script, in order.
enum ScriptCommand {
    case load(interval: Int64, series: [(Labels, [Double?])])
    case clear
    case eval(EvalCase)
}

struct ScriptError: Error, CustomStringConvertible {
    var line: Int
    var message: String
    var description: String { "line \(line): \(message)" }
}

/// Parses the promqltest script format described in the conformance README.
enum PromQLScript {
    static func parseTime(_ s: String) throws -> Int64 {
        if let d = try? PromDuration.parse(s) { return d }
        if let v = Double(s) { return Int64((v * 1000).rounded()) }
        throw ScriptError(line: 0, message: "bad time \(s)")
    }

    static func parse(_ text: String) throws -> [ScriptCommand] {
        let lines = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var out: [ScriptCommand] = []
        var i = 0
        func isBlank(_ l: String) -> Bool { l.isEmpty || l.hasPrefix("#") }
        while i < lines.count {
            let line = lines[i]
            let lineNo = i + 1
            i += 1
            if isBlank(line) { continue }
            var body: [(Int, String)] = []
            // `clear` is a single line; `load` and `eval` own every line up to the next blank one.
            while line != "clear", i < lines.count, !isBlank(lines[i]) {
                body.append((i + 1, lines[i]))
                i += 1
            }
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            switch words[0] {
            case "load", "load_with_nhcb":
                guard words.count >= 2 else { throw ScriptError(line: lineNo, message: "load needs an interval") }
                let interval = try parseTime(words[1])
                var series: [(Labels, [Double?])] = []
                for (n, l) in body {
                    // Native histograms and start-timestamp lines are not loaded (no native histogram support).
                    if l.contains("{{") { continue }
                    if let end = try? SeriesNotation.descriptorEnd(l), l.utf8.dropFirst(end).starts(with: "@st".utf8) { continue }
                    do {
                        let (labels, values) = try SeriesNotation.parseSeriesLine(l)
                        series.append((labels, values))
                    } catch {
                        throw ScriptError(line: n, message: "\(error)")
                    }
                }
                out.append(.load(interval: interval, series: series))
            case "clear":
                out.append(.clear)
            default:
                guard words[0].hasPrefix("eval") else { throw ScriptError(line: lineNo, message: "unknown command \(words[0])") }
                out.append(.eval(try parseEval(line, lineNo, body)))
            }
        }
        return out
    }

    private static func parseEval(_ line: String, _ lineNo: Int, _ body: [(Int, String)]) throws -> EvalCase {
        let tab = line.replacingOccurrences(of: "\t", with: " ")
        var rest = Substring(tab)
        func word() -> String {
            rest = rest.drop { $0 == " " }
            let w = rest.prefix { $0 != " " }
            rest = rest.dropFirst(w.count)
            return String(w)
        }
        let cmd = word()
        let mode = word()
        var c: EvalCase
        if mode == "instant" {
            guard word() == "at" else { throw ScriptError(line: lineNo, message: "expected at") }
            let t = try parseTime(word())
            c = EvalCase(line: lineNo, kind: .instant(at: t), expr: "")
        } else if mode == "range" {
            guard word() == "from" else { throw ScriptError(line: lineNo, message: "expected from") }
            let a = try parseTime(word())
            guard word() == "to" else { throw ScriptError(line: lineNo, message: "expected to") }
            let b = try parseTime(word())
            guard word() == "step" else { throw ScriptError(line: lineNo, message: "expected step") }
            let s = try parseTime(word())
            c = EvalCase(line: lineNo, kind: .range(start: a, end: b, step: s), expr: "")
        } else {
            throw ScriptError(line: lineNo, message: "bad eval mode \(mode)")
        }
        c.expr = rest.trimmingCharacters(in: .whitespaces)
        if cmd == "eval_fail" { c.expectFail = true }
        if cmd == "eval_ordered" { c.ordered = true }
        for (n, l) in body {
            if l.hasPrefix("expect ") {
                let e = l.dropFirst(7).trimmingCharacters(in: .whitespaces)
                if e.hasPrefix("fail") {
                    c.expectFail = true
                    let r = e.dropFirst(4).trimmingCharacters(in: .whitespaces)
                    if r.hasPrefix("msg:") { c.failMessage = r.dropFirst(4).trimmingCharacters(in: .whitespaces) }
                    if r.hasPrefix("regex:") { c.failRegex = r.dropFirst(6).trimmingCharacters(in: .whitespaces) }
                } else if e == "ordered" {
                    c.ordered = true
                } else if e.hasPrefix("string") {
                    let lit = e.dropFirst(6).trimmingCharacters(in: .whitespaces)
                    if case .string(let s, _) = try PromQLParser.parse(lit) { c.string = s }
                } else if e.hasPrefix("range vector") {
                    let w = e.split(separator: " ").map(String.init)
                    guard w.count == 8 else { throw ScriptError(line: n, message: "bad range vector expectation") }
                    c.rangeVector = (try parseTime(w[3]), try parseTime(w[5]), try parseTime(w[7]))
                }
                for kind in ["warn", "info"] where e.hasPrefix(kind) || e == "no_\(kind)" {
                    c.annotations.append(AnnotationExpectation(kind: kind, text: e))
                }
                continue
            }
            if l.hasPrefix("expected_fail_message") {
                c.failMessage = l.dropFirst("expected_fail_message".count).trimmingCharacters(in: .whitespaces)
                continue
            }
            if l.hasPrefix("expected_fail_regexp") {
                c.failRegex = l.dropFirst("expected_fail_regexp".count).trimmingCharacters(in: .whitespaces)
                continue
            }
            if l.contains("{{") {
                // A native histogram expectation: such cases are skipped by classification.
                c.series.append(EvalCase.ExpectedSeries(labels: Labels(["__histogram__": l]), values: []))
                continue
            }
            if let v = try? SeriesNotation.parseValues(l), v.count == 1, let x = v[0] {
                c.scalar = x
                continue
            }
            do {
                let (labels, values) = try SeriesNotation.parseSeriesLine(l)
                c.series.append(EvalCase.ExpectedSeries(labels: labels, values: values))
            } catch {
                throw ScriptError(line: n, message: "bad expectation: \(error)")
            }
        }
        return c
    }
}
