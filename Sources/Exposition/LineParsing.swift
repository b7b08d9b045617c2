#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetricsCore

extension ExpositionPullParser {
    /// Moves to the next entry; nil at the end of the body. Text-format comments are skipped.
    public mutating func next() throws(ExpositionError) -> ExpositionEntry? {
        while true {
            if pos >= end {
                if format == .openMetrics && !sawEOF {
                    lineStart = pos
                    lineNumber += 1
                    throw fail("unexpected end of input: an OpenMetrics body must end with \"# EOF\"")
                }
                return nil
            }
            lineStart = pos
            lineNumber += 1
            if format == .openMetrics {
                let c = p[pos]
                if c == ASCII.hash { return try openMetricsMetadata() }
                if c == ASCII.newline { throw fail("blank lines are not allowed in OpenMetrics") }
                try sampleLine()
                return .sample
            }
            skipBlanks()
            guard pos < end else { return nil }
            let c = p[pos]
            if c == ASCII.newline { pos += 1; continue }
            if c == ASCII.carriageReturn, pos + 1 < end, p[pos + 1] == ASCII.newline { pos += 2; continue }
            if c == ASCII.hash {
                if let entry = try textComment() { return entry }
                continue
            }
            try sampleLine()
            return .sample
        }
    }

    @inline(__always) mutating func skipBlanks() {
        while pos < end, p[pos] == ASCII.space || p[pos] == ASCII.tab { pos += 1 }
    }

    /// The index of the first newline from `start`, or `end`.
    @inline(__always)
    func lineEnd(from start: Int) -> Int {
        guard start < end, let found = memchr(p + start, Int32(ASCII.newline), end - start) else { return end }
        return start + (UnsafeRawPointer(found) - UnsafeRawPointer(p + start))
    }

    /// Whether the bytes from `start` to `stop` are all ASCII, eight at a time.
    @inline(__always)
    func isASCII(_ start: Int, _ stop: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        var bits: UInt64 = 0
        var i = start
        while i &+ 8 <= stop {
            bits |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        while i < stop { bits |= UInt64(p[i]); i &+= 1 }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    mutating func skipToNextLine() {
        pos = lineEnd(from: pos)
        if pos < end { pos += 1 }
    }

    /// End of a text-format line: the body's end, `\n` or `\r\n`.
    mutating func expectTextLineEnd(_ what: String) throws(ExpositionError) {
        if pos >= end { return }
        if p[pos] == ASCII.newline { pos += 1; return }
        if p[pos] == ASCII.carriageReturn, pos + 1 < end, p[pos + 1] == ASCII.newline { pos += 2; return }
        throw fail("unexpected \(describeHere()) after \(what)")
    }

    @inline(__always)
    mutating func scanMetricName() -> (Int, Int) {
        let start = pos
        if pos < end, classes[Int(p[pos])] & ByteClass.metricStart != 0 {
            pos = nameEnd(from: pos + 1, colon: true)
        }
        return (start, pos)
    }

    /// Where the name bytes starting at `start` end (metric names with `colon`): eight bytes at a
    /// time while there are eight, then a table look-up per byte.
    @inline(__always) func nameEnd(from start: Int, colon: Bool) -> Int {
        var i = start
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= end {
            let stop = nonNameBytes(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self), colon: colon)
            if stop != 0 { return i &+ stop.trailingZeroBitCount >> 3 }
            i &+= 8
        }
        let wanted = colon ? ByteClass.metric : ByteClass.name
        while i < end, classes[Int(p[i])] & wanted != 0 { i += 1 }
        return i
    }

    /// A double-quoted string starting at `pos`; returns its inner bounds and whether it has escapes.
    /// Skips eight bytes at a time while none of them is a quote, a backslash or a newline.
    mutating func scanQuoted(_ what: String) throws(ExpositionError) -> (Int, Int, Bool) {
        let open = pos
        let start = pos + 1
        var i = start
        var escaped = false
        var allBits: UInt64 = 0
        let raw = UnsafeRawPointer(p)
        while true {
            while i + 8 <= end {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let special = wordMatches(w, ASCII.quote) | wordMatches(w, ASCII.backslash) | wordMatches(w, ASCII.newline)
                if special != 0 {
                    let k = special.trailingZeroBitCount / 8
                    // Only the bytes before the special one belong to the string for sure.
                    allBits |= k == 0 ? 0 : w & (UInt64.max >> (64 - 8 * k))
                    i += k
                    break
                }
                allBits |= w
                i += 8
            }
            guard i < end else { break }
            let c = p[i]
            if c == ASCII.quote {
                pos = i + 1
                if allBits & 0x8080_8080_8080_8080 != 0 { try checkUTF8(start, i, what) }
                return (start, i, escaped)
            }
            if c == ASCII.newline { pos = i; throw fail("newline inside quoted \(what)") }
            if c == ASCII.backslash {
                escaped = true
                guard i + 1 < end, p[i + 1] != ASCII.newline else { break }
                allBits |= UInt64(p[i + 1])
                i += 2
                continue
            }
            allBits |= UInt64(c)
            i += 1
        }
        pos = i
        throw fail("unterminated quoted \(what)", at: open)
    }

    /// Both formats are UTF-8 and Prometheus rejects anything else in labels and HELP; it must not
    /// reach the screen either.
    func checkUTF8(_ start: Int, _ stop: Int, _ what: String) throws(ExpositionError) {
        let bytes = UnsafeBufferPointer(start: p + start, count: stop - start)
        if String(validating: bytes, as: UTF8.self) == nil {
            var at = start
            while at < stop, p[at] < 0x80 { at += 1 }
            throw fail("invalid UTF-8 in \(what)", at: at)
        }
    }
}
