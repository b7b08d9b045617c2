import Foundation
import MetricsCore
@testable import PromQL
import SeriesStore

/// Runs promqltest scripts against the engine over an in-memory store and reports each eval case.
/// Every case goes through one SubexpressionMemo per script (invalidated by each load and clear, as
/// a store's change counter would be), so the corpus also checks that sharing results changes none.
struct ScriptRunner {
    struct Outcome {
        var line: Int
        var expr: String
        /// nil when the case passed.
        var failure: String?
    }

    /// Where a script's samples are loaded: the plain test storage, or the product's store, whose
    /// range selects hand out views of its decoded chunks (`MemoryStore.selectWindows`).
    enum Storage: Sendable, CaseIterable { case plain, memoryStore }

    /// Runs every command; `shouldRun(line)` decides which eval cases are executed (others are skipped).
    static func run(_ text: String, on kind: Storage = .plain, shouldRun: (Int) -> Bool = { _ in true }) throws -> [Outcome] {
        var storage = MemoryStorage()
        // Filled from `storage` when an eval needs it, so it holds the same samples (a later load
        // of a series at a loaded time replaces that sample, as the scripts expect).
        var store = MemoryStore(options: StoreOptions(retention: nil))
        var storeVersion: UInt64? = nil
        var outcomes: [Outcome] = []
        let memo = SubexpressionMemo()
        var version: UInt64 = 0
        for cmd in try PromQLScript.parse(text) {
            switch cmd {
            case .clear:
                storage = MemoryStorage()
                version += 1
            case .load(let interval, let series):
                version += 1
                for (labels, values) in series {
                    var samples: [Sample] = []
                    for (i, v) in values.enumerated() { if let v { samples.append(Sample(t: Int64(i) * interval, v: v)) } }
                    storage.add(labels, samples)
                }
            case .eval(let c):
                guard shouldRun(c.line) else { continue }
                if kind == .memoryStore && storeVersion != version {
                    store = MemoryStore(options: StoreOptions(retention: nil))
                    for (labels, samples) in storage.series { for s in samples { store.append(labels, s) } }
                    storeVersion = version
                }
                let queried: any SeriesQueryable = kind == .plain ? storage : store
                outcomes.append(Outcome(line: c.line, expr: c.expr, failure: check(c, Engine(storage: queried, memo: memo, version: { [version] in version }))))
            }
        }
        return outcomes
    }

    /// Returns why the case failed, or nil.
    static func check(_ c: EvalCase, _ engine: Engine, variants: Bool = true) -> String? {
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
        if let why = compare(c, result.value) { return why }
        if let why = checkAnnotations(c, result) { return why }
        guard variants else { return nil }
        return rangeVariant(c, engine) ?? atVariant(c, engine) ?? printedVariant(c, engine)
    }

    /// Warnings and infos as the Go harness checks them: `expect warn` needs one, `no_warn` none,
    /// `msg:`/`regex:` must match one, and once any is given every annotation of that kind must match.
    static func checkAnnotations(_ c: EvalCase, _ r: EvalResult) -> String? {
        for kind in ["warn", "info"] {
            let got = kind == "warn" ? r.warnings : r.infos
            let wants = c.annotations.filter { $0.kind == kind }
            if wants.contains(where: { $0.text.hasPrefix("no_") }) {
                if !got.isEmpty { return "unexpected \(kind): \(got)" }
                continue
            }
            if wants.isEmpty { continue }
            var patterns: [(String) -> Bool] = []
            for w in wants {
                let rest = w.text.dropFirst(kind.count).trimmingCharacters(in: .whitespaces)
                if rest.hasPrefix("msg:") {
                    let msg = rest.dropFirst(4).trimmingCharacters(in: .whitespaces)
                    patterns.append { $0 == msg }
                } else if rest.hasPrefix("regex:") {
                    let re = rest.dropFirst(6).trimmingCharacters(in: .whitespaces)
                    patterns.append { $0.range(of: re, options: .regularExpression) != nil }
                } else {
                    patterns.append { _ in true }
                }
            }
            if got.isEmpty { return "missing \(wants.map(\.text))" }
            for g in got where !patterns.contains(where: { $0(g) }) { return "unexpected \(kind) \"\(g)\"" }
            for (k, p) in patterns.enumerated() where !got.contains(where: p) { return "missing \(wants[k].text)" }
        }
        return nil
    }

    /// The printed form of the expression must evaluate to the same result (the printer is used by
    /// rules and lints, so it must not change meaning).
    static func printedVariant(_ c: EvalCase, _ engine: Engine) -> String? {
        guard let expr = try? PromQLParser.parse(c.expr) else { return nil }
        var printed = c
        printed.expr = "\(expr)"
        guard printed.expr != c.expr else { return nil }
        return check(printed, engine, variants: false).map { "printed as \(printed.expr): \($0)" }
    }

    /// Like the Go harness: an instant case must also hold as the middle step of a range query
    /// from t-1m to t+1m (skipped for ordered, string, range-vector results and query-time functions).
    static func rangeVariant(_ c: EvalCase, _ engine: Engine) -> String? {
        guard case .instant(let t) = c.kind, !c.ordered, c.string == nil, c.rangeVector == nil else { return nil }
        let lower = c.expr.lowercased()
        if ["start()", "end()", "range()", "step()"].contains(where: lower.contains) { return nil }
        guard let expr = try? PromQLParser.parse(c.expr) else { return nil }
        if expr.type == .matrix || expr.type == .string { return nil }
        let r: EvalResult
        do {
            r = try engine.range(expr, start: t - 60_000, end: t + 60_000, step: 60_000)
        } catch {
            return "range variant failed: \(error)"
        }
        guard case .matrix(let m) = r.value else { return "range variant did not return a matrix" }
        let middle: [InstantSample] = m.compactMap { s in
            s.samples.first { $0.t == t }.map { InstantSample(labels: s.labels, sample: $0) }
        }
        if let want = c.scalar {
            guard let v = middle.first?.sample.v, middle.count == 1, almostEqual(v, want) else {
                return "range variant: scalar \(middle.map(\.sample.v)), want \(want)"
            }
            return nil
        }
        return compare(c, .vector(middle)).map { "range variant: " + $0 }
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

    static func compareForAt(_ c: EvalCase, _ value: QueryValue) -> String? { compare(c, value) }

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

/// The Go harness' `@` invariance check: pinning every selector to the case's time with `@` must give
/// the same result at any evaluation time.
extension ScriptRunner {
    static let stepVariant: Set<String> = [
        "time", "timestamp", "predict_linear", "start", "end", "range", "step", "day_of_month", "day_of_week",
        "day_of_year", "days_in_month", "hour", "minute", "month", "year",
    ]

    static func atVariant(_ c: EvalCase, _ engine: Engine) -> String? {
        guard case .instant(let t) = c.kind, c.rangeVector == nil, c.string == nil else { return nil }
        guard let expr = try? PromQLParser.parse(c.expr) else { return nil }
        var skip = false
        expr.walk { e in
            if case .call(let f) = e, stepVariant.contains(f.name) { skip = true }
            return true
        }
        if skip { return nil }
        let pinned = pin(expr, t)
        for evalTime in [-10 * t, 0, t / 5, t, 10 * t] {
            do {
                let r = try engine.instant(pinned, at: evalTime)
                if let why = compareValue(c, r.value) { return "@ variant at \(evalTime): \(why)" }
            } catch {
                return "@ variant at \(evalTime) failed: \(error)"
            }
        }
        return nil
    }

    private static func compareValue(_ c: EvalCase, _ v: QueryValue) -> String? {
        if let want = c.scalar, case .scalar(let s) = v { return almostEqual(s.v, want) ? nil : "scalar \(s.v), want \(want)" }
        return compareForAt(c, v)
    }

    /// Sets `@ t` on every selector and subquery that has none (not descending into subqueries).
    static func pin(_ e: Expr, _ t: Timestamp) -> Expr {
        switch e {
        case .number, .string: return e
        case .vectorSelector(var vs):
            if vs.at == nil { vs.at = .timestamp(t) }
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            if ms.vector.at == nil { ms.vector.at = .timestamp(t) }
            return .matrixSelector(ms)
        case .subquery(var sq):
            if sq.at == nil { sq.at = .timestamp(t) }
            return .subquery(sq)
        case .paren(let inner, let p): return .paren(pin(inner, t), p)
        case .unary(let op, let inner, let p): return .unary(op, pin(inner, t), p)
        case .binary(var b):
            b.lhs = pin(b.lhs, t)
            b.rhs = pin(b.rhs, t)
            return .binary(b)
        case .aggregate(var a):
            a.expr = pin(a.expr, t)
            a.param = a.param.map { pin($0, t) }
            return .aggregate(a)
        case .call(var f):
            f.args = f.args.map { pin($0, t) }
            return .call(f)
        }
    }
}
