import MetricsCore

/// The last label span of the previous sample line: its name's bytes (up to 16, as two words) and
/// its place in that line's sorted labels (-1: none, or not worth comparing).
struct TailLabel {
    var count = 0
    var nameLength = 0
    var words: (UInt64, UInt64) = (0, 0)
    var place = -1
}

extension LabelBuilder {
    /// A histogram's buckets differ only in their last label (`le`): when the line shares every
    /// span but the last with the previous line, and its last name is the previous line's, the
    /// sorted set is the previous one with that one label replaced, at the same place. Copying
    /// the previous array (one allocation, the labels retained) is far cheaper than sorting and
    /// placing the names again; every other label keeps its place, so `lastPlaces` stays right.
    @inline(__always)
    mutating func swappedTail(_ p: UnsafePointer<UInt8>, _ spans: UnsafePointer<LabelSpan>, _ count: Int,
                              shared: Int) -> Labels? {
        guard shared > 0, shared == count - 1, count == lastTail.count, lastTail.place >= 0,
              lastSorted != nil
        else { return nil }
        let s = spans[count - 1]
        let n = s.nameEnd - s.nameStart
        // An empty value would remove the label, and a quoted name needs the general path.
        guard !s.nameQuoted, s.valueEnd != s.valueStart, n == lastTail.nameLength,
              Self.nameWords(p + s.nameStart, n) == lastTail.words
        else { return nil }
        // Taken out, not copied: a copy was one more retain and release of the array (atomic).
        guard let previous = lastSorted.take() else { return nil }
        let place = lastTail.place
        let caches = self.caches
        // Written into an array literal (see `LabelArrayLiteral`), not copied on write: that copy
        // went through the runtime's generic array copy, a witness call per label (~730
        // instructions for a bucket's seven labels against ~400 appending to a reserved array,
        // and ~240 fewer again this way). The new label is made in its place, not copied there.
        let out = previous.withUnsafeBufferPointer { from in
            LabelArrayLiteral.make(from.count) { $0 == place ? caches.label(p, s) : from[$0] }
        }
        lastSorted = out
        return Labels(sortedUnique: out)
    }

    /// Remembers the line's last span for `swappedTail`. A span with a value was placed, so
    /// `places` holds its place in the sorted labels (one left out has none: -1).
    @inline(__always)
    mutating func recordTail(_ p: UnsafePointer<UInt8>, _ spans: UnsafePointer<LabelSpan>, _ count: Int,
                             places: UnsafeMutablePointer<Int>) {
        lastTail.count = count
        lastTail.place = -1
        guard count > 0 else { return }
        let s = spans[count - 1]
        let n = s.nameEnd - s.nameStart
        guard n <= 16, !s.nameQuoted, s.valueEnd != s.valueStart else { return }
        lastTail.nameLength = n
        lastTail.words = Self.nameWords(p + s.nameStart, n)
        lastTail.place = places[count - 1]
    }

    /// A name of up to 16 bytes as two words, reading no byte outside it (with the length, the
    /// words are a one-to-one function of the bytes).
    @inline(__always)
    static func nameWords(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UInt64, UInt64) {
        if n < 8 { return (ByteKeyTable<Label>.short(p, n), 0) }
        let raw = UnsafeRawPointer(p)
        return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
    }
}
