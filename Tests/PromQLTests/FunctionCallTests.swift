import MetricsCore
import SeriesStore
import Testing
@testable import PromQL

/// A call node keeps its range function resolved from its name (evaluation and the memo ask for it
/// at every node); renaming the call must move that along.
@Suite struct FunctionCallTests {
    static func store() -> MemoryStore {
        let store = MemoryStore(options: StoreOptions(retention: nil))
        for (i, v) in [0.0, 10, 30, 60].enumerated() {
            store.append(Labels(["__name__": "c"]), Sample(t: Int64(i) * 15_000, v: v))
        }
        return store
    }

    @Test func aParsedCallKnowsItsRangeFunction() throws {
        guard case .call(let rate) = try PromQLParser.parse("rate(c[1m])") else { Issue.record("not a call"); return }
        #expect(rate.rangeFunction == .rate)
        guard case .call(let abs) = try PromQLParser.parse("abs(c)") else { Issue.record("not a call"); return }
        #expect(abs.rangeFunction == nil)
    }

    @Test func aRenamedCallEvaluatesAsItsNewName() throws {
        guard case .call(var call) = try PromQLParser.parse("rate(c[1m])") else { Issue.record("not a call"); return }
        call.name = "increase"
        #expect(call.rangeFunction == .increase)
        let engine = Engine(storage: Self.store())
        let renamed = try engine.instant(.call(call), at: 45_000).value
        let written = try engine.instant(try PromQLParser.parse("increase(c[1m])"), at: 45_000).value
        let rate = try engine.instant(try PromQLParser.parse("rate(c[1m])"), at: 45_000).value
        #expect("\(renamed)" == "\(written)")
        #expect("\(renamed)" != "\(rate)")
        call.name = "abs"
        #expect(call.rangeFunction == nil)
    }
}
