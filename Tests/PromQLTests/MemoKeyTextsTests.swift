import MetricsCore
import SeriesStore
import Testing
@testable import PromQL

/// The memo's key texts kept per parsed query must give the keys printing gives, so queries of
/// different texts still share a subexpression, and results must not change.
@Suite struct MemoKeyTextsTests {
    static let inner = "sum by (le) (rate(http_request_duration_seconds_bucket[1m]))"

    @Test func keptTextsAreThePrintedKeys() throws {
        let cache = PromQLParseCache()
        let text = "histogram_quantile(0.9, \(Self.inner)) / on() group(rate(other_total[5m]))"
        let (parsed, keys) = cache.parsedWithKeys(text)
        let expr = try parsed.get()
        let ev = Evaluator(storage: MemoryStore(options: StoreOptions(retention: nil)), options: EngineOptions(),
                           grid: StepGrid(start: 1000, end: 1000, interval: 1), queryStart: 1000, queryEnd: 1000,
                           annotations: Annotations(),
                           memo: MemoContext(memo: SubexpressionMemo(), stamp: { _ in 0 }, texts: keys))
        var seen = 0
        // Twice: the first fills the table, the second reads it.
        for _ in 0..<2 {
            expr.walk { node in
                if Evaluator.isMemoisable(node) {
                    let facts = ev.memoFacts(node)
                    #expect(facts.text == node.description)
                    #expect(facts.metricNames == Evaluator.metricNames(node))
                    #expect(facts.readsQueryBounds == Evaluator.readsQueryBounds(node))
                    seen += 1
                }
                return true
            }
        }
        #expect(seen == 8)
        // The same text gives the same table.
        #expect(cache.parsedWithKeys(text).1 === keys)
    }

    @Test func queriesOfDifferentTextsShareASubexpression() throws {
        let store = MemoStampTests.store()
        let memo = SubexpressionMemo()
        let engine = MemoStampTests.engine(store, memo)
        let cache = PromQLParseCache()
        var results: [String] = []
        for q in ["0.5", "0.9", "0.99"] {
            let (parsed, keys) = cache.parsedWithKeys("histogram_quantile(\(q), \(Self.inner))")
            let withKeys = try engine.instant(try parsed.get(), at: 119_000, keyTexts: keys)
            let plain = try Engine(storage: store).instant(try parsed.get(), at: 119_000)
            #expect("\(withKeys.value)" == "\(plain.value)")
            results.append("\(withKeys.value)")
        }
        // One aggregation and one rate computed, then the aggregation served to the other two.
        #expect(memo.counts.misses == 2)
        #expect(memo.counts.hits == 2)
        #expect(results[0] != results[1])
    }
}
