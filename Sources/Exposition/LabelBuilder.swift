import MetricsCore

/// Builds `Labels` for samples. Within one body most names, values and whole `name="value"`
/// pairs repeat, so each is looked up by its bytes in small direct-mapped caches (a collision just
/// replaces the entry) and shared, which saves most String allocations and all re-decoding.
struct LabelBuilder {
    let caches: LabelCaches
    let metricNameKey = Labels.metricName
    /// The parser's `sampleCount` at the last `labels(of:)`, its metric name, and (when its names
    /// were all unquoted) its sorted labels with each span's place among them, so the next line
    /// takes over its shared prefix's labels.
    var lastSample = -1
    var lastMetric = ""
    var lastSorted: [Label]?
    let lastPlaces = PlaceTable()
    var lastTail = TailLabel()

    init(bodySize: Int) {
        // Sized to the body, so a small scrape does not pay for clearing a big table.
        var n = 64
        while n < 8192 && n * 64 < bodySize { n *= 2 }
        caches = LabelCaches(size: n)
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

/// The builder's String and Label caches. A class, so the closure that fills a sample's label
/// array can use them without capturing (and copying) the whole builder.
final class LabelCaches {
    let strings: ByteKeyTable<String>
    let pairs: ByteKeyTable<Label>

    init(size: Int) {
        strings = ByteKeyTable(size: size)
        pairs = ByteKeyTable(size: size)
    }

    /// The String for the bytes `start..<stop` of the body at `p`, shared with earlier equal ones.
    /// Escaped ones are cached by their bytes as written too: what they decode to depends on
    /// those bytes alone (`escaped` is true exactly when they hold a backslash, or for a quoted
    /// name, whose bytes without one decode to themselves), so one key never means two Strings.
    @inline(__always)
    func string(_ p: UnsafePointer<UInt8>, _ start: Int, _ stop: Int, escaped: Bool) -> String {
        if stop - start > 128 { return Self.decode(p, start, stop, escaped: escaped) }
        let found = strings.find(p + start, stop - start)
        if found.found { return strings.value(at: found.slot) }
        let s = Self.decode(p, start, stop, escaped: escaped)
        strings.insert(s, at: found.slot, hash: found.hash, p + start, stop - start)
        return s
    }

    /// The label written at `span`, found by the bytes from its name to its value's closing quote
    /// (escapes as written: see `string`; an unquoted name has no quote, so the first `="` in
    /// those bytes ends it).
    @inline(__always)
    func label(_ p: UnsafePointer<UInt8>, _ span: LabelSpan) -> Label {
        if !span.nameQuoted && span.valueEnd - span.nameStart <= 160 {
            let found = pairs.find(p + span.nameStart, span.valueEnd - span.nameStart)
            if found.found { return pairs.value(at: found.slot) }
            return madeLabel(p, span, found.slot, found.hash)
        }
        return Label(string(p, span.nameStart, span.nameEnd, escaped: span.nameQuoted),
                     string(p, span.valueStart, span.valueEnd, escaped: span.valueEscaped))
    }

    /// A pair not in the cache: made from the cached name and value Strings, and remembered.
    func madeLabel(_ p: UnsafePointer<UInt8>, _ span: LabelSpan, _ slot: Int, _ hash: UInt64) -> Label {
        let made = Label(string(p, span.nameStart, span.nameEnd, escaped: false),
                         string(p, span.valueStart, span.valueEnd, escaped: span.valueEscaped))
        pairs.insert(made, at: slot, hash: hash, p + span.nameStart, span.valueEnd - span.nameStart)
        return made
    }

    /// Unescapes `\\`, `\"` and `\n` when `escaped` (as the parser's `decode`).
    static func decode(_ p: UnsafePointer<UInt8>, _ start: Int, _ stop: Int, escaped: Bool) -> String {
        let buf = UnsafeBufferPointer(start: p + start, count: stop - start)
        guard escaped else { return String(decoding: buf, as: UTF8.self) }
        return String(decoding: ExpositionPullParser.unescape(buf), as: UTF8.self)
    }
}
