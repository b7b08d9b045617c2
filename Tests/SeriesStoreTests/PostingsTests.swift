import MetricsCore
import Testing
@testable import SeriesStore

/// The label index finds series by their pairs, holds one copy of each long label string for the
/// store, and keeps a label array it is handed when its strings are already the shared ones rather
/// than copying it.
@Suite struct PostingsTests {
    /// A new String with its own storage each time (a literal would be one shared constant).
    static func fresh(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }

    static func address(_ s: String) -> UInt? {
        s.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
    }

    static func address(_ labels: Labels) -> UInt {
        labels.pairs.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    static let long = "node-exporter.prod.example.com:9100"

    static func m(_ kind: LabelMatcher.Kind, _ name: String, _ value: String) -> LabelMatcher {
        try! LabelMatcher(kind, name, value)
    }

    @Test func seriesAreFoundByEachOfTheirPairs() {
        var postings = Postings()
        let sets = [["__name__": "up", "job": "node", "instance": "a"], ["__name__": "up", "job": "redis", "instance": "b"],
                    ["__name__": "node_load1", "job": "node", "instance": "a"], ["__name__": "up", "job": "node", "instance": "c"]]
        for (k, set) in sets.enumerated() { _ = postings.add(UInt32(k), Labels(set)) }
        #expect(postings.ids(for: Self.m(.equal, "__name__", "up")) == [0, 1, 3])
        #expect(postings.ids(for: Self.m(.equal, "job", "node")) == [0, 2, 3])
        #expect(postings.ids(for: Self.m(.equal, "job", "mysql")) == [])
        #expect(postings.ids(for: Self.m(.equal, "zone", "x")) == [])
        #expect(postings.ids(for: Self.m(.notEqual, "instance", "a")) == [1, 3])
        #expect(postings.ids(for: Self.m(.regexMatch, "instance", "a|c")) == [0, 2, 3])
        #expect(postings.values(of: "job").sorted() == ["node", "redis"])
        #expect(postings.labelNames.sorted() == ["__name__", "instance", "job"])
    }

    @Test func equalLongStringsEndUpSharingOneCopy() {
        var postings = Postings()
        let first = postings.add(0, Labels(sortedUnique: [Label("instance", Self.fresh(Self.long))]))
        let second = postings.add(1, Labels(sortedUnique: [Label("instance", Self.fresh(Self.long))]))
        #expect(second == first)
        #expect(Self.address(second.pairs[0].value) == Self.address(first.pairs[0].value))
        #expect(postings.values(of: "instance") == [Self.long])
    }

    @Test func anArrayWhoseStringsAreSharedIsKeptNotCopied() {
        var postings = Postings()
        let labels = Labels(sortedUnique: [Label("__name__", Self.fresh("node_filesystem_avail_bytes")),
                                           Label("host", "h1"), Label("instance", Self.fresh(Self.long))])
        // The first set with these values: its strings become the shared ones, in place.
        let first = postings.add(0, labels)
        #expect(Self.address(first) == Self.address(labels))
        // A later set reusing those strings (as the parser's caches hand them out) is kept too.
        let reused = Labels(sortedUnique: [first.pairs[0], Label("host", "h2"), first.pairs[2]])
        #expect(Self.address(postings.add(1, reused)) == Self.address(reused))
        // One with its own copies of them is rebuilt around the shared strings.
        let copies = Labels(sortedUnique: [Label("__name__", Self.fresh("node_filesystem_avail_bytes")),
                                           Label("host", "h3"), Label("instance", Self.fresh(Self.long))])
        let rebuilt = postings.add(2, copies)
        #expect(rebuilt == copies)
        #expect(Self.address(rebuilt) != Self.address(copies))
        #expect(Self.address(rebuilt.pairs[2].value) == Self.address(first.pairs[2].value))
        #expect(postings.values(of: "instance") == [Self.long])
        #expect(postings.ids(for: Self.m(.equal, "instance", Self.long)) == [0, 1, 2])
    }
}
