import MetricsCore

/// Label name → value → ascending series ids, so a selector touches only the series it names; and
/// the store's one copy of each label name and value, which its series share: a thousand series with
/// `instance="node-exporter.prod.example.com:9100"` hold one copy of it.
///
/// A new series looks each of its pairs up once, by a hash worked out over the pair's bytes and
/// seeded per index (a target cannot aim its label values at one bucket without knowing the seed).
/// Before, each name and value went through SipHash three times (the two levels of a
/// `[name: [value: ids]]` dictionary and a separate interner): about 6,700 instructions a new
/// series of ten labels, a quarter of what a first scrape of a big target cost.
struct Postings {
    /// The values one label name has, each with its series. Handed to readers as a copy-on-write
    /// snapshot, so that regexes are matched with the store's lock released.
    struct Values {
        let name: String
        fileprivate(set) var values: [String] = []
        fileprivate(set) var ids: [[UInt32]] = []
    }

    private(set) var names: [Values] = []
    private var byName: [String: Int] = [:]
    /// A pair → its name's place in `names` and its value's place in that name's `values`.
    private var pairs: [PairKey: (name: Int32, value: Int32)] = [:]
    private let seed = UInt64.random(in: 0...UInt64.max)
    /// The pairs of the series filed last, with their places. The next series of a body mostly
    /// repeats them in the same positions (its metric name, the target's labels, most others) and
    /// finds those by comparing strings, which for shared copies compares their addresses.
    private var previous: [(label: Label, name: Int32, value: Int32)] = []

    /// Files series `id` (higher than any filed before) under each of its pairs, and returns the
    /// labels with the shared copies of their strings: the array it was given when its strings
    /// already are those (as the parser's label caches hand them out, and always for the first
    /// series with a value), so that the store holds the ingester's array rather than a copy.
    mutating func add(_ id: UInt32, _ labels: Labels) -> Labels {
        var out = labels.pairs
        for k in out.indices {
            let n: Int, v: Int
            if k < previous.count, previous[k].label.name == out[k].name, previous[k].label.value == out[k].value {
                (n, v) = (Int(previous[k].name), Int(previous[k].value))
            } else {
                (n, v) = slot(out[k].name, out[k].value)
            }
            names[n].ids[v].append(id)
            let name = names[n].name, value = names[n].values[v]
            if !Self.sameStorage(name, out[k].name) || !Self.sameStorage(value, out[k].value) {
                out[k] = Label(name, value)
            }
            let filed = (label: out[k], name: Int32(n), value: Int32(v))
            if k < previous.count { previous[k] = filed } else { previous.append(filed) }
        }
        previous.removeLast(max(0, previous.count - out.count))
        return Labels(sortedUnique: out)
    }

    /// Ids of series that have a label satisfying `matcher` (which must not match the empty string).
    func ids(for matcher: LabelMatcher) -> [UInt32] {
        if matcher.kind == .equal {
            guard let (n, v) = pairs[PairKey(matcher.name, matcher.value, seed: seed)] else { return [] }
            return names[Int(n)].ids[Int(v)]
        }
        guard let values = values(named: matcher.name) else { return [] }
        var lists: [[UInt32]] = []
        for (value, ids) in zip(values.values, values.ids) where matcher.matches(value) { lists.append(ids) }
        if lists.count == 1 { return lists[0] }
        // A series has one value per name, so the lists are disjoint.
        return lists.flatMap { $0 }.sorted()
    }

    /// The values of `name` with their series; nil when no series has that label.
    func values(named name: String) -> Values? { byName[name].map { names[$0] } }

    func values(of name: String) -> [String] { values(named: name)?.values.filter { !$0.isEmpty } ?? [] }

    var labelNames: [String] { names.map(\.name) }

    /// The strings and bookkeeping held per distinct name and pair, roughly (the ids are counted
    /// with the series).
    var approximateBytes: Int {
        names.reduce(0) { total, n in
            total + 64 + n.name.utf8.count + n.values.reduce(0) { $0 + 96 + ($1.utf8.count > 15 ? 32 + $1.utf8.count : 0) }
        }
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

    /// The pair's place, made when it is new: its strings then become the shared copies.
    private mutating func slot(_ name: String, _ value: String) -> (name: Int, value: Int) {
        let key = PairKey(name, value, seed: seed)
        if let (n, v) = pairs[key] { return (Int(n), Int(v)) }
        let n: Int
        if let known = byName[name] { n = known } else {
            n = names.count
            names.append(Values(name: name))
            byName[name] = n
        }
        let v = names[n].values.count
        names[n].values.append(value)
        names[n].ids.append([])
        pairs[PairKey(names[n].name, value, hash: key.hash)] = (Int32(n), Int32(v))
        return (n, v)
    }

    /// Whether `shared` is `s` itself: a string held inline (up to 15 UTF-8 bytes, nothing to
    /// share), or one whose bytes are at the same address. Strings without contiguous bytes count
    /// as not.
    private static func sameStorage(_ shared: String, _ s: String) -> Bool {
        if s.utf8.count <= 15 { return true }
        let a = shared.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
        return a != nil && a == s.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
    }
}

/// One label pair as a dictionary key, hashed once over its bytes (see `LabelSetKey`).
private struct PairKey: Hashable {
    let name: String
    let value: String
    let hash: UInt64

    init(_ name: String, _ value: String, seed: UInt64) {
        self.init(name, value, hash: LabelSetKey.hash(name: name, value: value, seed: seed))
    }

    init(_ name: String, _ value: String, hash: UInt64) {
        self.name = name
        self.value = value
        self.hash = hash
    }

    static func == (a: PairKey, b: PairKey) -> Bool { a.hash == b.hash && a.name == b.name && a.value == b.value }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
