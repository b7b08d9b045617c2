import MetricsCore
import Testing
@testable import SeriesStore

/// The store's and the ingester's label-set keys: equal sets are one key whatever their strings'
/// storage, and where one label ends and the next begins is part of the hash.
@Suite struct LabelSetKeyTests {
    @Test func equalSetsAreOneKey() {
        let seed: UInt64 = 0x1234_5678_9ABC_DEF0
        let built = Labels(["__name__": "node_cpu_seconds_total", "cpu": "0", "instance": "host-0.example.com:9100"])
        // The same set from other String instances (decoded from bytes, one of them past 15 bytes).
        let decoded = Labels(built.map { Label(String(decoding: Array($0.name.utf8), as: UTF8.self),
                                                String(decoding: Array($0.value.utf8), as: UTF8.self)) })
        let a = LabelSetKey(built, seed: seed), b = LabelSetKey(decoded, seed: seed)
        #expect(a == b && a.hash == b.hash && a.hashValue == b.hashValue)
        #expect(LabelSetKey(built, seed: seed &+ 1).hash != a.hash, "the seed is part of the hash")
        var table: [LabelSetKey: Int] = [a: 1]
        table[b] = 2
        #expect(table.count == 1 && table[a] == 2)
    }

    @Test(arguments: [0, 1, 0xFFFF_FFFF_FFFF_FFFF] as [UInt64])
    func labelBoundariesCount(seed: UInt64) {
        let sets = [
            Labels(["ab": "c"]), Labels(["a": "bc"]), Labels(["a": "b", "c": ""]), Labels(["abc": ""]),
            Labels(["a": "b", "c": "d"]), Labels(["a": "bc", "d": ""]), Labels(["a": "", "bcd": ""]),
            Labels(["x": String(repeating: "y", count: 8)]), Labels(["x": String(repeating: "y", count: 9)]),
            Labels(["xy": String(repeating: "y", count: 7)]), Labels([:]),
        ]
        let hashes = Set(sets.map { LabelSetKey.hash($0, seed: seed) })
        #expect(hashes.count == sets.count)
    }

    @Test func theStoreFindsASetSpelledFromOtherStrings() {
        let store = MemoryStore()
        let labels = Labels(["__name__": "a_metric_with_a_long_name", "k": "a value longer than fifteen bytes"])
        store.append(labels, Sample(t: 1, v: 1))
        let copy = Labels(labels.map { Label(String($0.name.utf8.map { Character(Unicode.Scalar($0)) }),
                                             String($0.value.utf8.map { Character(Unicode.Scalar($0)) })) })
        store.append(copy, Sample(t: 2, v: 2))
        #expect(store.stats().seriesCount == 1)
        #expect(store.select([try! LabelMatcher(.equal, "k", "a value longer than fifteen bytes")], mint: 0, maxt: 3)
            .map(\.samples) == [[Sample(t: 1, v: 1), Sample(t: 2, v: 2)]])
    }
}
