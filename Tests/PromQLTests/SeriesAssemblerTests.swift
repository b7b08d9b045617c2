import MetricsCore
import SeriesStore
import Testing
@testable import PromQL

/// The assembler compares few label sets and hashes many; matching vectors does the same with its
/// signatures. Both ways must give one answer, also across the limit.
@Suite struct SeriesAssemblerTests {
    @Test func slotsStayTheSameAcrossTheLimit() throws {
        var asm = SeriesAssembler(steps: 2)
        let count = SeriesAssembler.linearLimit * 3
        for round in 0..<2 {
            for k in 0..<count {
                let labels = Labels(["k": "\(k)"])
                let slot = asm.slot(labels)
                #expect(slot == k)
                try asm.set(slot: slot, Double(k), dropName: false, step: round)
            }
        }
        #expect(asm.series.count == count)
        #expect(asm.series.allSatisfy { $0.values == [Double($0.labels["k"]!)!, Double($0.labels["k"]!)!] })
        // A second value at one step is refused, before and after the index is made.
        #expect(throws: PromQLEvalError.self) { try asm.add(Labels(["k": "0"]), 1, dropName: false, step: 0) }
        #expect(throws: PromQLEvalError.self) { try asm.add(Labels(["k": "\(count - 1)"]), 1, dropName: false, step: 1) }
        try asm.add(Labels(["k": "new"]), 7, dropName: true, step: 1)
        #expect(asm.series.last?.values == [nil, 7])
        #expect(asm.slot(Labels(["k": "new"])) == count)
    }

    @Test func vectorMatchingAnswersTheSameForFewAndManySeries() throws {
        for n in [3, SeriesAssembler.linearLimit + 5] {
            let store = MemoryStore(options: StoreOptions(retention: nil))
            for k in 0..<n {
                store.append(Labels(["__name__": "a", "k": "\(k)", "g": "\(k % 3)"]), Sample(t: 1000, v: Double(k)))
                store.append(Labels(["__name__": "b", "k": "\(k)", "g": "\(k % 3)"]), Sample(t: 1000, v: 10))
                if k < 3 { store.append(Labels(["__name__": "c", "g": "\(k)"]), Sample(t: 1000, v: 100)) }
            }
            let engine = Engine(storage: store)
            func values(_ q: String) throws -> [String: Double] {
                guard case .vector(let v) = try engine.instant(try PromQLParser.parse(q), at: 1000).value else { return [:] }
                return Dictionary(uniqueKeysWithValues: v.map { ($0.labels.description, $0.sample.v) })
            }
            let sum = try values("a + b")
            #expect(sum.count == n)
            #expect(sum[Labels(["k": "2", "g": "2"]).description] == 12)
            let grouped = try values("a * on (g) group_left c")
            #expect(grouped.count == n)
            #expect(grouped[Labels(["__name__": "a", "k": "2", "g": "2"]).description] == nil)
            #expect(grouped[Labels(["k": "2", "g": "2"]).description] == 200)
            #expect(try values("a or c").count == n + 3)
            #expect(try values("a and on (k) b").count == n)
            #expect(try values("a unless on (g) c").isEmpty)
            // Three series have three groups, more have several on each side: many-to-many.
            let manyToMany = { try engine.instant(try PromQLParser.parse("a + on (g) b"), at: 1000) }
            if n == 3 { #expect(throws: Never.self, performing: manyToMany) } else { #expect(throws: PromQLEvalError.self, performing: manyToMany) }
        }
    }
}
