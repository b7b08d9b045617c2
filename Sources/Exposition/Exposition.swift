import MetricsCore

/// Whole-body parsing into samples and metadata; a malformed line rejects the whole scrape.
public enum Exposition {
    public static func parse(
        _ bytes: [UInt8], format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        try ExpositionPullParser.withParser(bytes, format: format, limits: limits, options: options) {
            (parser: inout ExpositionPullParser) throws(ExpositionError) -> ParsedScrape in
            try collect(&parser)
        }
    }

    public static func parse(
        _ bytes: UnsafeRawBufferPointer, format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        try ExpositionPullParser.withParser(bytes, format: format, limits: limits, options: options) {
            (parser: inout ExpositionPullParser) throws(ExpositionError) -> ParsedScrape in
            try collect(&parser)
        }
    }

    /// Any byte collection (`Data`, `ArraySlice<UInt8>`…); contiguous ones are parsed in place.
    public static func parse<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        let inPlace: Result<ParsedScrape, ExpositionError>? = bytes.withContiguousStorageIfAvailable { buffer in
            do throws(ExpositionError) {
                return .success(try parse(UnsafeRawBufferPointer(buffer), format: format, limits: limits, options: options))
            } catch { return .failure(error) }
        }
        if let inPlace { return try inPlace.get() }
        return try parse(Array(bytes), format: format, limits: limits, options: options)
    }

    public static func parse(
        _ text: String, format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        try parse(Array(text.utf8), format: format, limits: limits, options: options)
    }

    static func collect(_ parser: inout ExpositionPullParser) throws(ExpositionError) -> ParsedScrape {
        var scrape = ParsedScrape(format: parser.format)
        scrape.samples.reserveCapacity(parser.end / 64)
        var builder = LabelBuilder(bodySize: parser.end)
        while let entry = try parser.next() {
            switch entry {
            case .sample:
                if parser.isCreatedSeries && !parser.options.keepCreatedSeries { continue }
                let labels = builder.labels(of: parser)
                scrape.samples.append(ParsedSample(labels: labels, value: parser.value, timestamp: parser.timestamp))
            case .help:
                scrape.metadata[parser.metadataName, default: FamilyMetadata()].help = parser.helpText
            case .type:
                scrape.metadata[parser.metadataName, default: FamilyMetadata()].type = parser.metricType
            case .unit:
                scrape.metadata[parser.metadataName, default: FamilyMetadata()].unit = parser.unitText
            case .eof:
                break
            }
        }
        return scrape
    }
}

/// Builds `Labels` for samples, sharing one String per distinct byte string seen in this body
/// (metric names, label names and most label values repeat across samples), which saves most
/// String allocations on a typical scrape.
struct LabelBuilder {
    struct Entry {
        var hash: UInt64 = 0
        var bytes: [UInt8] = []
        var string = ""
    }

    /// A direct-mapped cache: a collision simply replaces the entry. Sized to the body, so a small
    /// scrape does not pay for clearing a big table.
    var table: [Entry]
    var pairs: [Label] = []

    init(bodySize: Int) {
        var n = 64
        while n < 8192 && n * 64 < bodySize { n *= 2 }
        table = [Entry](repeating: Entry(), count: n)
    }

    mutating func string(_ parser: ExpositionPullParser, _ start: Int, _ stop: Int, escaped: Bool) -> String {
        if escaped || stop - start > 128 { return parser.decode(start, stop, escaped: escaped) }
        let n = stop - start
        let h = Self.hash(parser.p + start, n)
        let slot = Int(truncatingIfNeeded: h & UInt64(table.count - 1))
        if table[slot].hash == h, table[slot].bytes.count == n {
            let same = table[slot].bytes.withUnsafeBufferPointer { b -> Bool in
                guard let base = b.baseAddress else { return n == 0 }
                return Self.equal(base, parser.p + start, n)
            }
            if same { return table[slot].string }
        }
        let s = parser.decode(start, stop, escaped: false)
        table[slot] = Entry(hash: h, bytes: Array(UnsafeBufferPointer(start: parser.p + start, count: n)), string: s)
        return s
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

    mutating func labels(of parser: ExpositionPullParser) -> Labels {
        let metric = string(parser, parser.nameStart, parser.nameEnd, escaped: parser.nameQuoted)
        pairs.removeAll(keepingCapacity: true)
        pairs.append(Label(Labels.metricName, metric))
        var sorted = true
        for s in parser.labelSpans {
            let value = string(parser, s.valueStart, s.valueEnd, escaped: s.valueEscaped)
            // An empty value means "no such label", as in Prometheus.
            if value.isEmpty { continue }
            let name = string(parser, s.nameStart, s.nameEnd, escaped: s.nameQuoted)
            if let last = pairs.last, last.name >= name { sorted = false }
            pairs.append(Label(name, value))
        }
        if sorted { return Labels(sortedUnique: pairs) }
        // Label sets are small: an insertion sort beats building a dictionary.
        for i in 1..<pairs.count {
            var j = i
            while j > 0, pairs[j - 1].name > pairs[j].name {
                pairs.swapAt(j - 1, j)
                j -= 1
            }
        }
        for i in 1..<pairs.count where pairs[i - 1].name == pairs[i].name {
            return Labels(pairs)  // an explicit __name__ label: let the later one win
        }
        return Labels(sortedUnique: pairs)
    }
}
