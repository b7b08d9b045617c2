import MetricsCore
import SeriesStore
import Testing
@testable import PromQL

/// The memo dates each subexpression by the metric names it reads, so a recording rule's output
/// does not discard results that do not read it, and a write to a name that is read always does.
@Suite struct MemoStampTests {
    static let aggregation = "sum by (le) (rate(http_request_duration_seconds_bucket[1m]))"
    static let quantile = "histogram_quantile(0.9, \(aggregation))"

    static func store() -> MemoryStore {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for (k, le) in ["0.1", "0.5", "+Inf"].enumerated() {
            let labels = Labels(["__name__": "http_request_duration_seconds_bucket", "le": le])
            for t in 0..<120 { store.append(labels, Sample(t: Int64(t) * 1000, v: Double(t * (k + 1)))) }
        }
        return store
    }

    static func engine(_ store: MemoryStore, _ memo: SubexpressionMemo) -> Engine {
        Engine(storage: store, memo: memo, stamp: { store.changeStamp(metricNames: $0) })
    }

    func instant(_ engine: Engine, _ q: String, at t: Timestamp = 119_000) throws -> String {
        "\(try engine.instant(try PromQLParser.parse(q), at: t).value)"
    }

    @Test func storeStampsMoveOnlyForTheNameWritten() {
        let store = Self.store()
        let buckets = store.changeStamp(metricNames: ["http_request_duration_seconds_bucket"])
        let rule = store.changeStamp(metricNames: ["perfect21:score"])
        #expect(rule < buckets)
        store.append(Labels(["__name__": "perfect21:score"]), Sample(t: 119_000, v: 1))
        #expect(store.changeStamp(metricNames: ["http_request_duration_seconds_bucket"]) == buckets)
        #expect(store.changeStamp(metricNames: ["perfect21:score"]) > buckets)
        #expect(store.changeStamp(metricNames: nil) == store.changeCount)
        // Dropping samples moves every name's stamp.
        store.dropSamples(before: 1000)
        #expect(store.changeStamp(metricNames: ["http_request_duration_seconds_bucket"]) > buckets)
        #expect(store.changeStamp(metricNames: []) == store.changeCount)
    }

    @Test func aRuleWritingAnotherMetricKeepsTheResult() throws {
        let store = Self.store()
        let memo = SubexpressionMemo()
        let engine = Self.engine(store, memo)
        let first = try instant(engine, Self.quantile)
        #expect(memo.counts.misses == 2)
        // A recording rule's output lands between two queries of the refresh.
        store.append(Labels(["__name__": "perfect21:score", "instance": "a"]), Sample(t: 119_000, v: 93))
        #expect(try instant(engine, Self.quantile) == first)
        #expect(memo.counts.hits == 1)
        #expect(memo.counts.misses == 2)
    }

    @Test func aWriteToASelectedMetricIsNeverServedStale() throws {
        let store = Self.store()
        let memo = SubexpressionMemo()
        let engine = Self.engine(store, memo)
        let before = try instant(engine, Self.aggregation, at: 120_000)
        // A counter reset of one bucket inside the window changes the answer.
        let labels = Labels(["__name__": "http_request_duration_seconds_bucket", "le": "0.1"])
        store.append(labels, Sample(t: 119_500, v: 0))
        let after = try instant(engine, Self.aggregation, at: 120_000)
        #expect(after != before)
        #expect(after == (try instant(Engine(storage: store), Self.aggregation, at: 120_000)))
        #expect(memo.counts.hits == 0)
        // A selector without a metric name depends on every write.
        let unnamed = "sum(rate({le=\"0.1\"}[1m]))"
        let once = try instant(engine, unnamed)
        store.append(Labels(["__name__": "other_total"]), Sample(t: 119_000, v: 1))
        #expect(try instant(engine, unnamed) == once)
        #expect(memo.counts.hits == 0)
    }

    @Test func anInstantQueryAndAOneStepRangeQueryAtTheSameTimeShare() throws {
        let store = Self.store()
        let memo = SubexpressionMemo()
        let engine = Self.engine(store, memo)
        _ = try instant(engine, Self.quantile)
        let range = try engine.range(try PromQLParser.parse(Self.quantile), start: 119_000, end: 119_000, step: 15_000)
        #expect(memo.counts.hits == 1)
        #expect("\(range.value)" == "\(try Engine(storage: store).range(try PromQLParser.parse(Self.quantile), start: 119_000, end: 119_000, step: 15_000).value)")
        // A subexpression reading the query's step is not shared between the two.
        let stepped = "sum(http_request_duration_seconds_bucket offset step())"
        let asInstant = try instant(engine, stepped)
        let asRange = try engine.range(try PromQLParser.parse(stepped), start: 119_000, end: 119_000, step: 15_000)
        #expect(memo.counts.hits == 1)
        #expect("\(asRange.value)" != "\(asInstant)")
        #expect(Evaluator.readsQueryBounds(try PromQLParser.parse(stepped)))
        #expect(!Evaluator.readsQueryBounds(try PromQLParser.parse(Self.quantile)))
    }

    @Test func histogramGroupsKeptForTheNextQueryStillWarn() throws {
        let store = Self.store()
        let bad = Labels(["__name__": "http_request_duration_seconds_bucket", "le": "fast"])
        for t in 0..<120 { store.append(bad, Sample(t: Int64(t) * 1000, v: Double(t))) }
        let memo = SubexpressionMemo()
        let engine = Self.engine(store, memo)
        let plain = Engine(storage: store)
        for q in [Self.quantile, "histogram_quantile(0.5, \(Self.aggregation))", Self.quantile] {
            let expr = try PromQLParser.parse(q)
            let shared = try engine.instant(expr, at: 119_000)
            let fresh = try plain.instant(expr, at: 119_000)
            #expect("\(shared.value)" == "\(fresh.value)")
            #expect(shared.warnings == fresh.warnings)
            #expect(shared.warnings.count == 1)
        }
    }

    @Test func metricNamesOfSubexpressions() throws {
        func names(_ q: String) throws -> [String]? { Evaluator.metricNames(try PromQLParser.parse(q)) }
        #expect(try names("sum(rate(b_total[1m])) / sum(rate(a_total[1m]))") == ["a_total", "b_total"])
        #expect(try names("sum(rate({job=\"x\"}[1m]))") == nil)
        #expect(try names("sum({__name__=~\"a.*\"})") == nil)
        #expect(try names("max_over_time(sum(a)[5m:1m])") == ["a"])
        #expect(try names("info(a)") == nil)
        #expect(try names("sum(vector(1))") == [])
    }
}

/// `by` groups found from the grouped labels' values: a missing label is its own group, names are
/// taken once and in label order, and each group keeps the labels of its first series.
@Suite struct AggregationGroupTests {
    @Test func byGroupsFromValues() {
        let input = [["a": "1", "b": "2"], ["a": "1"], ["b": "2"], ["a": "1", "b": "2", "c": "3"], ["a": "1", "b": ""]]
            .map { StepSeries(labels: Labels($0), values: [1], dropName: false) }
        let (groupOf, keys) = Evaluator.groups(input, grouping: ["b", "a", "a"], without: false)
        #expect(groupOf == [0, 1, 2, 0, 3])
        #expect(keys == [Labels(["a": "1", "b": "2"]), Labels(["a": "1"]), Labels(["b": "2"]), Labels([Label("a", "1"), Label("b", "")])])
        let all = Evaluator.groups(input, grouping: [], without: false)
        #expect(all.groupOf == [0, 0, 0, 0, 0])
        #expect(all.keys == [Labels()])
        let without = Evaluator.groups(input, grouping: ["c"], without: true)
        #expect(without.groupOf == [0, 1, 2, 0, 3])
    }

    @Test func theGroupingCacheAnswersAsGroupingAgain() {
        let cache = GroupingCache()
        func series(_ sets: [[String: String]]) -> [StepSeries] {
            sets.map { StepSeries(labels: Labels($0), values: [1], dropName: false) }
        }
        let first = series([["le": "1", "h": "a"], ["le": "2", "h": "a"], ["le": "1", "h": "b"]])
        let changed = series([["le": "2", "h": "a"], ["le": "1", "h": "a"], ["le": "1", "h": "b"]])
        for input in [first, first, changed, first, Array(first.prefix(2))] {
            let got = cache.groups(input, grouping: ["le"], without: false)
            let expected = Evaluator.groups(input, grouping: ["le"], without: false)
            #expect(got.groupOf == expected.groupOf)
            #expect(got.keys == expected.keys)
            let other = cache.groups(input, grouping: ["h"], without: true)
            #expect(other.groupOf == Evaluator.groups(input, grouping: ["h"], without: true).groupOf)
        }
    }

    @Test func theGroupTableGrowsAndKeepsIds() {
        var table = Evaluator.GroupTable(expected: 1)
        for round in 0..<2 {
            for i in 0..<1000 {
                let key: [String?] = [i % 3 == 0 ? nil : "\(i)", "\(i)"]
                #expect(table.id(of: key) == (i, round == 0))
            }
        }
        #expect(table.values.count == 1000)
    }
}
