import MetricsCore
import Testing
@testable import SeriesStore

/// The store holds one copy of each long label string, and keeps a label array it is handed when
/// its strings are already the shared ones rather than copying it.
@Suite struct StringInternerTests {
    /// A new String with its own storage each time (a literal would be one shared constant).
    static func fresh(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }

    static func address(_ s: String) -> UInt? {
        s.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
    }

    static func address(_ labels: Labels) -> UInt {
        labels.pairs.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    static let long = "node-exporter.prod.example.com:9100"

    @Test func equalLongStringsEndUpSharingOneCopy() {
        var interner = StringInterner()
        let first = interner.intern(Labels(sortedUnique: [Label("instance", Self.fresh(Self.long))]))
        let second = interner.intern(Labels(sortedUnique: [Label("instance", Self.fresh(Self.long))]))
        #expect(second == first)
        #expect(Self.address(second.pairs[0].value) == Self.address(first.pairs[0].value))
        #expect(interner.count == 1)
    }

    @Test func anArrayWhoseStringsAreSharedIsKeptNotCopied() {
        var interner = StringInterner()
        let labels = Labels(sortedUnique: [Label("__name__", Self.fresh("node_filesystem_avail_bytes")),
                                           Label("host", "h1"), Label("instance", Self.fresh(Self.long))])
        // The first set with these values: its strings become the shared ones, in place.
        let first = interner.intern(labels)
        #expect(Self.address(first) == Self.address(labels))
        // A later set reusing those strings (as the parser's caches hand them out) is kept too.
        let reused = Labels(sortedUnique: [first.pairs[0], Label("host", "h2"), first.pairs[2]])
        #expect(Self.address(interner.intern(reused)) == Self.address(reused))
        // One with its own copies of them is rebuilt around the shared strings.
        let copies = Labels(sortedUnique: [Label("__name__", Self.fresh("node_filesystem_avail_bytes")),
                                           Label("host", "h3"), Label("instance", Self.fresh(Self.long))])
        let rebuilt = interner.intern(copies)
        #expect(rebuilt == copies)
        #expect(Self.address(rebuilt) != Self.address(copies))
        #expect(Self.address(rebuilt.pairs[2].value) == Self.address(first.pairs[2].value))
        #expect(interner.count == 2)
    }
}
