import Foundation
import MetricsCore
@testable import PromQL

/// Runs promqltest scripts against the engine over an in-memory store and reports each eval case.
struct ScriptRunner {
    struct Outcome {
        var line: Int
        var expr: String
        /// nil when the case passed.
        var failure: String?
    }

    /// Runs every command; `shouldRun(line)` decides which eval cases are executed (others are skipped).
    static func run(_ text: String, shouldRun: (Int) -> Bool = { _ in true }) throws -> [Outcome] {
        var storage = MemoryStorage()
        var outcomes: [Outcome] = []
        for cmd in try PromQLScript.parse(text) {
            switch cmd {
            case .clear: storage = MemoryStorage()
            case .load(let interval, let series):
                for (labels, values) in series {
                    var samples: [Sample] = []
                    for (i, v) in values.enumerated() { if let v { samples.append(Sample(t: Int64(i) * interval, v: v)) } }
                    storage.add(labels, samples)
                }
            case .eval(let c):
                guard shouldRun(c.line) else { continue }
                outcomes.append(Outcome(line: c.line, expr: c.expr, failure: check(c, Engine(storage: storage))))
            }
        }
        return outcomes
    }

    /// Returns why the case failed, or nil.
    static func check(_ c: EvalCase, _ engine: Engine) -> String? {
        let result: EvalResult
        do {
            let expr = try PromQLParser.parse(c.expr)
            switch c.kind {
            case .instant(let t): result = try engine.instant(expr, at: t)
            case .range(let a, let b, let s): result = try engine.range(expr, start: a, end: b, step: s)
            }
        } catch {
            guard c.expectFail else { return "unexpected error: \(error)" }
            let msg = (error as? PromQLEvalError)?.message ?? "\(error)"
            if let want = c.failMessage, want != msg { return "error \"\(msg)\", want \"\(want)\"" }
            if let re = c.failRegex, msg.range(of: re, options: .regularExpression) == nil {
                return "error \"\(msg)\" does not match /\(re)/"
            }
            return nil
        }
        if c.expectFail { return "expected an error, got \(result.value)" }
        return compare(c, result.value)
    }

    static func almostEqual(_ a: Double, _ b: Double) -> Bool {
        if StaleNaN.isStale(a) || StaleNaN.isStale(b) { return StaleNaN.isStale(a) && StaleNaN.isStale(b) }
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        let diff = abs(a - b)
        if a == 0 || b == 0 || abs(a) + abs(b) < Double.leastNormalMagnitude {
            return diff < 1e-6 * Double.leastNormalMagnitude
        }
        return diff / min(abs(a) + abs(b), Double.greatestFiniteMagnitude) < 1e-6
    }

    private static func compare(_ c: EvalCase, _ value: QueryValue) -> String? {
        if let want = c.scalar {
            guard case .scalar(let s) = value else { return "expected scalar \(want), got \(value)" }
            return almostEqual(s.v, want) ? nil : "scalar \(s.v), want \(want)"
        }
        if let want = c.string {
            guard case .string(_, let s) = value else { return "expected string, got \(value)" }
            return s == want ? nil : "string \(s), want \(want)"
        }
        switch value {
        case .vector(let v):
            if c.rangeVector != nil { return "expected a range vector, got \(value)" }
            if case .range = c.kind { return "range query returned a vector" }
            if v.count != c.series.count {
                return "got \(v.count) series, want \(c.series.count): \(v.map { "\($0.labels) \($0.sample.v)" })"
            }
            for (k, want) in c.series.enumerated() {
                guard want.values.count == 1, let wv = want.values[0] else { return "bad expectation for \(want.labels)" }
                guard let idx = v.firstIndex(where: { $0.labels == want.labels }) else {
                    return "missing \(want.labels); got \(v.map { "\($0.labels)" })"
                }
                if c.ordered && idx != k { return "order: \(want.labels) at \(idx), want \(k)" }
                if !almostEqual(v[idx].sample.v, wv) { return "\(want.labels): \(v[idx].sample.v), want \(wv)" }
            }
            return nil
        case .matrix(let m):
            let steps: [Timestamp]
            if let rv = c.rangeVector {
                steps = Array(stride(from: rv.start, through: rv.end, by: Int(rv.step)))
            } else if case .range(let a, let b, let s) = c.kind {
                steps = Array(stride(from: a, through: b, by: Int(s)))
            } else {
                return "unexpected range vector result"
            }
            if m.count != c.series.count {
                return "got \(m.count) series, want \(c.series.count): \(m.map { "\($0.labels)" })"
            }
            for want in c.series {
                guard let got = m.first(where: { $0.labels == want.labels }) else {
                    return "missing \(want.labels); got \(m.map { "\($0.labels)" })"
                }
                var expected: [Sample] = []
                for (i, v) in want.values.enumerated() where i < steps.count { if let v { expected.append(Sample(t: steps[i], v: v)) } }
                if got.samples.count != expected.count || !zip(got.samples, expected).allSatisfy({ $0.t == $1.t && almostEqual($0.v, $1.v) }) {
                    return "\(want.labels): got \(got.samples.map { "\($0.v)@\($0.t)" }), want \(expected.map { "\($0.v)@\($0.t)" })"
                }
            }
            return nil
        case .scalar(let s):
            return "got scalar \(s.v), want \(c.series.count) series"
        case .string(_, let s):
            return "got string \(s)"
        }
    }
}
