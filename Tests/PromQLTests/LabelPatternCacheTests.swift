import Foundation
import MetricsCore
import SeriesStore
import Testing
@testable import PromQL

/// label_replace's patterns are compiled once per memo: later evaluations must answer as the first,
/// and a pattern that does not compile must fail every time.
@Suite struct LabelPatternCacheTests {
    @Test func aKeptPatternAnswersAsAFreshOne() throws {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for h in ["/api/a", "/api/b", "/static"] {
            store.append(Labels(["__name__": "up", "handler": h]), Sample(t: 1000, v: 1))
        }
        let memo = SubexpressionMemo()
        let engine = Engine(storage: store, memo: memo, stamp: { store.changeStamp(metricNames: $0) })
        let queries = [#"label_replace(up, "area", "$1", "handler", "/(api|static).*")"#,
                       #"label_replace(up, "area", "${first}x", "handler", "/(?P<first>[a-z]+)/?(.*)")"#]
        for q in queries {
            let expected = "\(try Engine(storage: store).instant(try PromQLParser.parse(q), at: 1000).value)"
            for _ in 0..<3 { #expect("\(try engine.instant(try PromQLParser.parse(q), at: 1000).value)" == expected) }
        }
        let bad = try PromQLParser.parse(#"label_replace(up, "area", "$1", "handler", "(unclosed")"#)
        for _ in 0..<2 { #expect(throws: PromQLEvalError.self) { try engine.instant(bad, at: 1000) } }
    }

    @Test func theCacheIsBounded() throws {
        let cache = LabelPatternCache()
        for k in 0..<(LabelPatternCache.maxEntries + 10) {
            _ = try cache.compiled("p\(k)") { () throws -> LabelPatternCache.Compiled in
                LabelPatternCache.Compiled(regex: try NSRegularExpression(pattern: "p\(k)"), names: [:])
            }
        }
        var made = false
        _ = try cache.compiled("p\(LabelPatternCache.maxEntries + 9)") { () throws -> LabelPatternCache.Compiled in
            made = true
            return LabelPatternCache.Compiled(regex: try NSRegularExpression(pattern: "x"), names: [:])
        }
        #expect(!made)
    }
}
