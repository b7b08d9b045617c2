import MetricsCore
import Testing
@testable import PromQL

/// Label functions and histogram_quantile end by merging series whose labels became equal. Most of
/// the time none did, and the input comes back as it was: the answers must be the assembler's.
@Suite struct RejectDuplicatesTests {
    static func series(_ name: String, _ values: [Double?], dropName: Bool = false) -> StepSeries {
        StepSeries(labels: Labels(["__name__": "m", "k": name]), values: StepValues(values), dropName: dropName)
    }

    @Test func distinctSeriesComeBackAsTheyWere() throws {
        for count in [0, 1, 2, 16, 17, 40] {
            let input = (0..<count).map { Self.series("s\($0)", [Double($0), nil], dropName: $0 % 2 == 0) }
            let out = try Evaluator.rejectDuplicates(input, steps: 2)
            #expect(out.map(\.labels) == input.map(\.labels))
            #expect(out.map(\.values) == input.map(\.values))
            #expect(out.map(\.dropName) == input.map(\.dropName))
        }
    }

    @Test func equalLabelsAtOtherStepsAreMergedAndAtOneStepRefused() throws {
        for padding in [0, 20] {   // the pairwise check and the set
            let others = (0..<padding).map { Self.series("p\($0)", [1, 1]) }
            let merged = try Evaluator.rejectDuplicates(others + [Self.series("a", [1, nil]), Self.series("a", [nil, 2])], steps: 2)
            #expect(merged.count == padding + 1)
            #expect(merged.last?.values == [1, 2])
            #expect(throws: PromQLEvalError.self) {
                try Evaluator.rejectDuplicates(others + [Self.series("a", [1, nil]), Self.series("a", [3, nil])], steps: 2)
            }
        }
    }

    @Test func aSeriesWithoutAnyValueIsLeftOut() throws {
        let out = try Evaluator.rejectDuplicates([Self.series("a", [nil, nil]), Self.series("b", [nil, 5])], steps: 2)
        #expect(out.map { $0.labels["k"] } == ["b"])
    }
}
