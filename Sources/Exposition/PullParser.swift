import MetricsCore

/// What `ExpositionPullParser.next()` found.
public enum ExpositionEntry: Hashable, Sendable {
    case sample, help, type, unit
    /// OpenMetrics `# EOF`; nothing may follow it.
    case eof
}

/// Byte offsets of one label inside the body.
struct LabelSpan {
    var nameStart: Int
    var nameEnd: Int
    var nameQuoted: Bool
    var valueStart: Int
    var valueEnd: Int
    var valueEscaped: Bool
}

/// A streaming pull parser over a scrape body, in the spirit of Prometheus' `textparse`: `next()`
/// moves to the next entry and the accessors describe it, reading straight from the bytes (nothing
/// is copied until a String is asked for).
///
/// The parser points into memory it does not own: use it only inside `withParser`.
public struct ExpositionPullParser {
    let p: UnsafePointer<UInt8>
    let end: Int
    /// `ByteClass.table`, held here so the scanning loops read it without a global access check.
    let classes = ByteClass.table
    public let format: ExpositionFormat
    public let limits: ExpositionLimits
    public let options: ExpositionOptions
    /// `lineLimitForFastPath(limits)`, worked out once.
    let fastLineLimit: Int
    var pos = 0
    var lineStart = 0
    /// 1-based line of the entry `next()` returned last.
    public internal(set) var lineNumber = 0
    public internal(set) var sampleCount = 0
    var sawEOF = false

    // The current sample.
    var nameStart = 0
    var nameEnd = 0
    var nameQuoted = false
    var labelSpans = SpanList()
    /// The current label set's names so far are unquoted and in strictly increasing byte order
    /// (so none repeats, and the set needs no sorting).
    var labelsAscending = true
    /// The index of the label at which `labelsAscending` turned false (Int.max while it holds).
    var nonAscendingFrom = Int.max
    /// The last sample line the text fast path took, while the next lines may share its prefix.
    var previousFastLine = PreviousFastLine()
    /// Off only in tests, which compare the fast path's results with the general path's.
    var fastPathEnabled = true
    /// How much of the current sample is the previous sample line's, byte for byte: its metric name,
    /// and its first `sharedLabels` labels (so the label builder can reuse what it made for them;
    /// the labels may be shared under another metric name).
    var sharesMetricName = false
    var sharedLabels = 0
    /// Where the current sample's metric name and label set are written (`seriesText`).
    var seriesStart = 0
    var seriesEnd = 0
    /// The series text the caller expects the next sample line to start with (`expectSeries`).
    var expectedSeries: UnsafeRawBufferPointer?
    /// The current sample line started with the expected series text, so its labels were not parsed.
    public internal(set) var seriesWasExpected = false
    public internal(set) var value: Double = 0
    public internal(set) var timestamp: Timestamp?
    public internal(set) var hasExemplar = false
    /// An OpenMetrics `_created` sample of a counter, histogram or summary (a start time, not a value).
    public internal(set) var isCreatedSeries = false
    /// Code points in the exemplar's label names and values (OpenMetrics allows 128).
    var exemplarRuneCount = 0

    // The current metadata line.
    // Decoded only when asked for (a scraper that ignores metadata makes no Strings for it).
    var metadataSpan: (start: Int, end: Int, quoted: Bool) = (0, 0, false)
    var textSpan: (start: Int, end: Int) = (0, 0)
    public var metadataName: String { decode(metadataSpan.start, metadataSpan.end, escaped: metadataSpan.quoted) }
    /// The HELP text of the current `.help` entry, unescaped.
    public var helpText: String { decodeHelp(textSpan.start, textSpan.end, openMetrics: format == .openMetrics) }
    /// The UNIT of the current `.unit` entry.
    public var unitText: String { decode(textSpan.start, textSpan.end, escaped: false) }
    public internal(set) var metricType: MetricType = .unknown

    /// Name and type of the family announced by the last TYPE line (to recognise `_created`).
    var typedFamily: [UInt8] = []
    var typedFamilyType: MetricType = .unknown
    var validator: OpenMetricsValidator?

    init(base: UnsafePointer<UInt8>, count: Int, format: ExpositionFormat, limits: ExpositionLimits,
         options: ExpositionOptions) {
        self.p = base
        self.end = count
        self.format = format
        self.limits = limits
        self.options = options
        self.fastLineLimit = Self.lineLimitForFastPath(limits)
        if format == .openMetrics && options.strictOpenMetrics { validator = OpenMetricsValidator() }
    }

    /// Runs `body` with a parser over `bytes`; the parser must not escape `body`.
    public static func withParser<R>(
        _ bytes: UnsafeRawBufferPointer, format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default,
        _ body: (inout ExpositionPullParser) throws(ExpositionError) -> R
    ) throws(ExpositionError) -> R {
        guard let raw = bytes.baseAddress, bytes.count > 0 else {
            var zero: UInt8 = 0
            let result: Result<R, ExpositionError> = withUnsafePointer(to: &zero) { ptr in
                var parser = ExpositionPullParser(base: ptr, count: 0, format: format, limits: limits, options: options)
                do throws(ExpositionError) { return .success(try body(&parser)) } catch { return .failure(error) }
            }
            return try result.get()
        }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        var parser = ExpositionPullParser(base: base, count: bytes.count, format: format, limits: limits, options: options)
        return try body(&parser)
    }

    public static func withParser<R>(
        _ bytes: [UInt8], format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default,
        _ body: (inout ExpositionPullParser) throws(ExpositionError) -> R
    ) throws(ExpositionError) -> R {
        let result: Result<R, ExpositionError> = bytes.withUnsafeBytes { raw in
            do throws(ExpositionError) {
                return .success(try withParser(raw, format: format, limits: limits, options: options, body))
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    // MARK: Accessors for the current sample

    public var metricName: String { decodeName(nameStart, nameEnd, quoted: nameQuoted) }
    public var labelCount: Int { labelSpans.count }
    public func labelName(at i: Int) -> String {
        let s = labelSpans[i]
        return decodeName(s.nameStart, s.nameEnd, quoted: s.nameQuoted)
    }
    public func labelValue(at i: Int) -> String {
        let s = labelSpans[i]
        return decode(s.valueStart, s.valueEnd, escaped: s.valueEscaped)
    }
    /// The metric name's bytes (escaped form if it was quoted); valid only inside `withParser`.
    public var metricNameBytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: p + nameStart, count: nameEnd - nameStart)
    }

    func bytesEqual(_ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int) -> Bool {
        let n = aEnd - a
        guard n == bEnd - b else { return false }
        var k = 0
        while k < n {
            if p[a + k] != p[b + k] { return false }
            k += 1
        }
        return true
    }

    func decodeName(_ start: Int, _ stop: Int, quoted: Bool) -> String {
        decode(start, stop, escaped: quoted)
    }

    /// Unescapes `\\`, `\"` and `\n`; any other escape is kept as written, as Prometheus does.
    func decode(_ start: Int, _ stop: Int, escaped: Bool) -> String {
        let buf = UnsafeBufferPointer(start: p + start, count: stop - start)
        guard escaped else { return String(decoding: buf, as: UTF8.self) }
        return String(decoding: Self.unescape(buf), as: UTF8.self)
    }

    static func unescape(_ buf: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(buf.count)
        var i = 0
        while i < buf.count {
            let c = buf[i]
            if c == UInt8(ascii: "\\"), i + 1 < buf.count {
                let e = buf[i + 1]
                switch e {
                case UInt8(ascii: "\\"): out.append(e)
                case UInt8(ascii: "\""): out.append(e)
                case UInt8(ascii: "n"): out.append(0x0a)
                default: out.append(c); out.append(e)
                }
                i += 2
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    // MARK: Errors

    func fail(_ reason: String, at position: Int? = nil, kind: ExpositionError.Kind = .syntax) -> ExpositionError {
        let at = position ?? pos
        return ExpositionError(kind, line: max(lineNumber, 1), column: max(at - lineStart + 1, 1), reason: reason)
    }

    /// The byte at `pos`, described for an error message.
    func describeHere() -> String {
        guard pos < end else { return "end of input" }
        let c = p[pos]
        switch c {
        case 0x0a: return "end of line"
        case 0x20...0x7e: return "\"\(Character(Unicode.Scalar(c)))\""
        default: return "byte 0x\(String(c, radix: 16))"
        }
    }
}
