import MetricsCore

/// Builds `Labels` for samples. Within one body most names, values and whole `name="value"`
/// pairs repeat, so each is looked up by its bytes in small direct-mapped caches (a collision just
/// replaces the entry) and shared, which saves most String allocations and all re-decoding.
struct LabelBuilder {
    struct Entry<Value> {
        var hash: UInt64 = 0
        var bytes: [UInt8] = []
        var value: Value
    }

    /// Sized to the body, so a small scrape does not pay for clearing a big table.
    var strings: [Entry<String>]
    var pairs: [Entry<Label>]
    let metricNameKey = Labels.metricName
    /// The parser's `sampleCount` at the last `labels(of:)`, its metric name, and (when its names
    /// were all unquoted) its sorted labels with each span's place among them, so the next line
    /// takes over its shared prefix's labels.
    var lastSample = -1
    var lastMetric = ""
    var lastSorted: [Label]?
    let lastPlaces = PlaceTable()

    init(bodySize: Int) {
        var n = 64
        while n < 8192 && n * 64 < bodySize { n *= 2 }
        strings = [Entry](repeating: Entry(value: ""), count: n)
        pairs = [Entry](repeating: Entry(value: Label("", "")), count: n)
    }

    @inline(__always)
    static func lookup<V>(_ table: [Entry<V>], _ p: UnsafePointer<UInt8>, _ n: Int) -> (slot: Int, hash: UInt64, hit: V?) {
        let h = hash(p, n)
        let slot = Int(truncatingIfNeeded: h & UInt64(table.count - 1))
        if table[slot].hash == h, table[slot].bytes.count == n {
            let same = table[slot].bytes.withUnsafeBufferPointer { b -> Bool in
                guard let base = b.baseAddress else { return n == 0 }
                return equal(base, p, n)
            }
            if same { return (slot, h, table[slot].value) }
        }
        return (slot, h, nil)
    }

    mutating func string(_ parser: ExpositionPullParser, _ start: Int, _ stop: Int, escaped: Bool) -> String {
        if escaped || stop - start > 128 { return parser.decode(start, stop, escaped: escaped) }
        let (slot, h, hit) = Self.lookup(strings, parser.p + start, stop - start)
        if let hit { return hit }
        let s = parser.decode(start, stop, escaped: false)
        strings[slot] = Entry(hash: h, bytes: Array(UnsafeBufferPointer(start: parser.p + start, count: stop - start)), value: s)
        return s
    }

    /// The label written at `span`, found by the bytes from its name to its value's closing quote.
    mutating func label(_ parser: ExpositionPullParser, _ span: LabelSpan) -> Label {
        let plain = !span.nameQuoted && !span.valueEscaped && span.valueEnd - span.nameStart <= 160
        if plain {
            let (slot, h, hit) = Self.lookup(pairs, parser.p + span.nameStart, span.valueEnd - span.nameStart)
            if let hit { return hit }
            let made = Label(string(parser, span.nameStart, span.nameEnd, escaped: false),
                             string(parser, span.valueStart, span.valueEnd, escaped: false))
            let bytes = Array(UnsafeBufferPointer(start: parser.p + span.nameStart, count: span.valueEnd - span.nameStart))
            pairs[slot] = Entry(hash: h, bytes: bytes, value: made)
            return made
        }
        return Label(string(parser, span.nameStart, span.nameEnd, escaped: span.nameQuoted),
                     string(parser, span.valueStart, span.valueEnd, escaped: span.valueEscaped))
    }

    /// A quick 64-bit hash, eight bytes at a time (hits are verified byte for byte, so it need
    /// only spread well, not resist attack: a collision just costs a cache miss).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        var k = 0
        let raw = UnsafeRawPointer(p)
        while k + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            k += 8
        }
        while k < n {
            h = (h ^ UInt64(p[k])) &* 0x100_0000_01b3
            k += 1
        }
        h ^= h >> 29
        return h &* 0x94D0_49BB_1331_11EB ^ (h >> 32)
    }

    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var k = 0
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        while k + 8 <= n {
            if ra.loadUnaligned(fromByteOffset: k, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
                return false
            }
            k += 8
        }
        while k < n {
            if a[k] != b[k] { return false }
            k += 1
        }
        return true
    }

    /// Byte order of two unquoted label names in the body (ASCII, so the same as String order).
    @inline(__always)
    static func less(_ p: UnsafePointer<UInt8>, _ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int) -> Bool {
        let n = Swift.min(aEnd - a, bEnd - b)
        var k = 0
        while k < n {
            if p[a + k] != p[b + k] { return p[a + k] < p[b + k] }
            k += 1
        }
        return aEnd - a < bEnd - b
    }

    /// Whether an unquoted label name sorts after `__name__`, compared on the bytes.
    @inline(__always)
    static func followsMetricNameKey(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let key: StaticString = "__name__"
        let k = key.utf8Start
        for i in 0..<Swift.min(n, 8) where p[i] != k[i] { return p[i] > k[i] }
        return n > 8
    }
}

/// Where each label span of the last sample ended up in its sorted labels; a plain buffer (read and
/// written once per label, no copy-on-write checks), grown when a sample has more labels.
final class PlaceTable {
    private(set) var places: UnsafeMutablePointer<Int>
    private(set) var capacity: Int

    init() {
        capacity = 16
        places = .allocate(capacity: capacity)
    }

    deinit { places.deallocate() }

    func reserve(_ n: Int) {
        guard n > capacity else { return }
        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: n)
        bigger.update(from: places, count: capacity)
        places.deallocate()
        places = bigger
        capacity = n
    }
}
