/// The current sample's label spans: reused from line to line without freeing. The storage is made
/// unique once per line (`removeAll`, which every sample line starts with), so the appends of that
/// line write without a uniqueness check each (the parser is never copied in the middle of a line:
/// `next()` parses a whole line).
struct SpanList: Sequence {
    private var storage = ManagedBuffer<Void, LabelSpan>.create(minimumCapacity: 16) { _ in }
    private var capacity = 16
    private(set) var count = 0

    @inline(__always) mutating func append(_ span: LabelSpan) {
        if count == capacity { grow() }
        let at = count
        storage.withUnsafeMutablePointerToElements { $0[at] = span }
        count = at &+ 1
    }

    mutating func grow() {
        let bigger = ManagedBuffer<Void, LabelSpan>.create(minimumCapacity: capacity * 2) { _ in }
        let n = count
        storage.withUnsafeMutablePointerToElements { old in
            bigger.withUnsafeMutablePointerToElements { $0.initialize(from: old, count: n) }
        }
        storage = bigger
        capacity *= 2
    }

    /// Spans of the list before the last `removeAll`, still in the storage.
    private var retainedCount = 0

    @inline(__always) mutating func removeAll() {
        retainedCount = count
        count = 0
        if !isKnownUniquelyReferenced(&storage) {
            storage = ManagedBuffer<Void, LabelSpan>.create(minimumCapacity: capacity) { _ in }
            retainedCount = 0
        }
    }

    /// Empties the list and forgets the spans it held (no later line takes them over), without
    /// making the storage unique: nothing is written until the next `removeAll`.
    @inline(__always) mutating func clear() {
        count = 0
        retainedCount = 0
    }

    /// A span the list held before the last `removeAll`.
    func retained(_ i: Int) -> LabelSpan {
        precondition(i >= 0 && i < retainedCount, "retained label span index out of range")
        return storage.withUnsafeMutablePointerToElements { $0[i] }
    }

    /// Takes back the first `n` spans held before the last `removeAll` (the list must be empty),
    /// moved by `delta` bytes.
    mutating func keepRetained(_ n: Int, shiftedBy delta: Int) {
        precondition(count == 0 && n <= retainedCount, "no such retained label spans")
        storage.withUnsafeMutablePointerToElements { spans in
            for i in 0..<n {
                spans[i].nameStart &+= delta
                spans[i].nameEnd &+= delta
                spans[i].valueStart &+= delta
                spans[i].valueEnd &+= delta
            }
        }
        count = n
    }

    mutating func removeSuffix(from index: Int) { count = Swift.min(count, index) }

    /// The spans as a plain buffer for `body` to read (no copy of the list, so no retain of its
    /// storage and no bounds check per span).
    @inline(__always) func withSpans<R>(_ body: (UnsafePointer<LabelSpan>, Int) -> R) -> R {
        let n = count
        return storage.withUnsafeMutablePointerToElements { body(UnsafePointer($0), n) }
    }

    subscript(i: Int) -> LabelSpan {
        precondition(i >= 0 && i < count, "label span index out of range")
        return storage.withUnsafeMutablePointerToElements { $0[i] }
    }

    struct Iterator: IteratorProtocol {
        let storage: ManagedBuffer<Void, LabelSpan>
        let count: Int
        var index = 0

        mutating func next() -> LabelSpan? {
            guard index < count else { return nil }
            let at = index
            index = at &+ 1
            return storage.withUnsafeMutablePointerToElements { $0[at] }
        }
    }

    func makeIterator() -> Iterator { Iterator(storage: storage, count: count) }

    func suffix(from index: Int) -> [LabelSpan] {
        (index..<count).map { self[$0] }
    }
}
