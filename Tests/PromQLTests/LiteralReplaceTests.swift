import MetricsCore
import SeriesStore
import Testing
@testable import PromQL

/// label_replace with a plain-text pattern and a replacement without `$` skips the regular
/// expression: it must answer exactly as the regular expression does.
@Suite struct LiteralReplaceTests {
    static let values = ["", "/api/auth/login", "200 ms", "/API/auth/login", "/api/auth/login ", "a-b:c,d;e=f@g#h%i&j!k~l<m>n'o\"p",
                         "e\u{301}", "é", "200", "2000"]
    static let patterns = ["", "/api/auth/login", "200 ms", "200", "a-b:c,d;e=f@g#h%i&j!k~l<m>n'o\"p", "é", "api"]

    @Test func aPlainPatternAnswersAsItsRegularExpression() throws {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for (i, v) in Self.values.enumerated() {
            store.append(Labels(["__name__": "m", "i": "\(i)", "src": v, "dst": "old"]), Sample(t: 1000, v: Double(i)))
        }
        store.append(Labels(["__name__": "m", "i": "none"]), Sample(t: 1000, v: -1))
        let engine = Engine(storage: store)
        var literalPatterns = 0
        for p in Self.patterns {
            for repl in ["new", "", "with space"] {
                for dst in ["dst", "fresh", "__name__"] {
                    let quoted = StringLiteral.quote(p)
                    if LiteralReplace(pattern: p, replacement: repl) != nil { literalPatterns += 1 }
                    // The same pattern in a non-capturing group: not plain text, so the general way.
                    let fast = #"label_replace(m, "\#(dst)", "\#(repl)", "src", \#(quoted))"#
                    let general = #"label_replace(m, "\#(dst)", "\#(repl)", "src", \#(StringLiteral.quote("(?:" + p + ")")))"#
                    let a = try engine.instant(try PromQLParser.parse(fast), at: 1000).value
                    let b = try engine.instant(try PromQLParser.parse(general), at: 1000).value
                    #expect("\(a)" == "\(b)", "\(fast)")
                }
            }
        }
        // Every pattern here but the non-ASCII one takes the plain path (3 replacements × 3 labels).
        #expect(literalPatterns == (Self.patterns.count - 1) * 9)
    }

    @Test func patternsWithMeaningOrDollarsGoTheGeneralWay() {
        for p in [".", "a.b", "a*", "(a)", "a|b", "[a]", "a{2}", "^a", "a$", "a+", "a?", "\\d", "é"] {
            #expect(LiteralReplace(pattern: p, replacement: "x") == nil, "\(p)")
        }
        #expect(LiteralReplace(pattern: "a", replacement: "$1") == nil)
        #expect(LiteralReplace(pattern: "a", replacement: "x") != nil)
    }

    @Test func aClashAfterAPlainReplaceIsStillAnError() throws {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        store.append(Labels(["__name__": "m", "a": "1", "b": "x"]), Sample(t: 1000, v: 1))
        store.append(Labels(["__name__": "m", "a": "2", "b": "x"]), Sample(t: 1000, v: 2))
        let q = try PromQLParser.parse(#"label_replace(m, "a", "same", "b", "x")"#)
        #expect(throws: PromQLEvalError.self) { try Engine(storage: store).instant(q, at: 1000) }
        // An empty destination name is refused on both ways, with the same words.
        for pattern in ["x", "(?:x)"] {
            let badName = try PromQLParser.parse(#"label_replace(m, "", "v", "b", "\#(pattern)")"#)
            #expect(throws: PromQLEvalError("invalid destination label name in label_replace(): ")) {
                try Engine(storage: store).instant(badName, at: 1000)
            }
        }
    }
}
