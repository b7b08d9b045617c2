import Testing
@testable import PromQL

/// A one-step grid keeps its value inline, any other in an array: both read and write alike.
@Suite struct StepValuesTests {
    @Test func oneStepAndManyStepsReadAndWriteAlike() {
        for steps in [0, 1, 2, 5] {
            var v = StepValues(missing: steps)
            #expect(v.count == steps)
            #expect(!v.hasAny)
            #expect(v.allSatisfy { $0 == nil })
            for i in 0..<steps { v[i] = Double(i) + 0.5 }
            #expect(Array(v) == (0..<steps).map { Double($0) + 0.5 })
            #expect(v.hasAny == (steps > 0))
            #expect(v == StepValues((0..<steps).map { Double($0) + 0.5 }))
        }
    }

    @Test func arraysAndLiteralsMakeTheSameValues() {
        let one: StepValues = [3]
        #expect(one == StepValues([3.0]))
        #expect(one != StepValues([3.0, nil]))
        #expect(Array([nil, 2] as StepValues) == [nil, 2])
        #expect(StepValues([Double]()).isEmpty)
        var nan: StepValues = [.nan]
        #expect(nan != nan)   // as [Double?]: NaN is not equal to itself
        nan[0] = nil
        #expect(nan == [nil])
    }
}
