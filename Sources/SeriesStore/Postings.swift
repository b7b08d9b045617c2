import MetricsCore

/// Label name → value → ascending series ids, so a selector touches only the series it names.
struct Postings {
    private(set) var index: [String: [String: [UInt32]]] = [:]

    mutating func add(_ id: UInt32, _ labels: Labels) {
        for label in labels {
            index[label.name, default: [:]][label.value, default: []].append(id)
        }
    }

    /// Ids of series that have a label satisfying `matcher` (which must not match the empty string).
    func ids(for matcher: LabelMatcher) -> [UInt32] {
        guard let values = index[matcher.name] else { return [] }
        if matcher.kind == .equal { return values[matcher.value] ?? [] }
        var lists: [[UInt32]] = []
        for (value, ids) in values where matcher.matches(value) { lists.append(ids) }
        if lists.count == 1 { return lists[0] }
        // A series has one value per name, so the lists are disjoint.
        return lists.flatMap { $0 }.sorted()
    }

    func values(of name: String) -> [String] {
        guard let values = index[name] else { return [] }
        return values.compactMap { $0.value.isEmpty ? nil : $0.key }
    }

    static func intersect(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(min(a.count, b.count))
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { out.append(a[i]); i += 1; j += 1 }
            else if a[i] < b[j] { i += 1 }
            else { j += 1 }
        }
        return out
    }
}

/// Shares one String instance per distinct label name or value, so a thousand series with
/// `instance="node-exporter.prod.example.com:9100"` hold one copy of it. Strings of up to 15 UTF-8
/// bytes are held inside the String value itself, with nothing to share: they are not looked up
/// (each look-up is a SipHash of the string, and most names and values are that short).
struct StringInterner {
    private var strings: Set<String> = []

    mutating func intern(_ s: String) -> String {
        if s.utf8.count <= 15 { return s }
        if let i = strings.firstIndex(of: s) { return strings[i] }
        strings.insert(s)
        return s
    }

    /// The set with its strings shared. The array itself is kept when each of its strings already
    /// is the shared one (as the parser's label caches hand them out, and always for the first
    /// series with a value): the store then holds the ingester's array rather than a copy of it.
    mutating func intern(_ labels: Labels) -> Labels {
        var pairs = labels.pairs
        for k in pairs.indices {
            let name = intern(pairs[k].name), value = intern(pairs[k].value)
            if !Self.sameStorage(name, pairs[k].name) || !Self.sameStorage(value, pairs[k].value) {
                pairs[k] = Label(name, value)
            }
        }
        return Labels(sortedUnique: pairs)
    }

    /// Whether `shared` (what `intern` returned for `s`) is `s` itself: a string held inline, or
    /// one whose bytes are at the same address. Strings without contiguous bytes count as not.
    private static func sameStorage(_ shared: String, _ s: String) -> Bool {
        if s.utf8.count <= 15 { return true }
        let a = shared.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
        return a != nil && a == s.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
    }

    var count: Int { strings.count }
    var approximateBytes: Int { strings.reduce(0) { $0 + 16 + $1.utf8.count + 32 } }
}
