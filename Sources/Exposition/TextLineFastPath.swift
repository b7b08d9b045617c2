#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetricsCore

extension ExpositionPullParser {
    /// The longest sample line the fast path takes: no name, value or label count in a line this
    /// short can break a limit, so it checks none (a longer line goes the general way, which does).
    static func lineLimitForFastPath(_ limits: ExpositionLimits) -> Int {
        // Every label takes at least four bytes (`a=""`), so a line of 4n bytes has at most n.
        min(limits.maxMetricNameLength, limits.maxLabelNameLength, limits.maxLabelValueLength,
            limits.maxLabelsPerSeries > Int.max / 4 ? Int.max : 4 * limits.maxLabelsPerSeries)
    }

    /// The common text-format sample line, `name{a="b",…} value [timestamp]` ended by `\n`, parsed
    /// line at a time: the line's end is found first (`memchr`), so every scan inside it stops at
    /// that newline without checking the body's end, and limits need no checks (`fastLineLimit`).
    /// Accepts only lines the general path would accept, with the same result: ASCII label values
    /// (escapes allowed), no blanks inside the label set, a plain decimal value. For anything else
    /// (errors included) it returns false with nothing consumed, and the general path, which has
    /// the exact error messages, parses the line again.
    @inline(__always)
    mutating func textSampleFastPath() -> Bool {
        let start = pos
        let lineEnd = lineEnd(from: start)
        // Only a line with its newline: a last line without one goes the general way.
        guard lineEnd < end, lineEnd - start <= fastLineLimit else { return false }
        // From here p[lineEnd] is the newline: no scan below passes it (none accepts a newline).
        var i = start
        let metricEnd: Int
        if let shared = sharedWithPreviousLine(start, lineEnd) {
            // The name and the first labels are the previous line's, byte for byte.
            metricEnd = shared.metricEnd
            i = shared.resumeAt
        } else {
            guard classes[Int(p[i])] & ByteClass.metricStart != 0 else { return false }
            i = nameEnd(from: i &+ 1, colon: true)
            metricEnd = i
            if p[i] != ASCII.openBrace {
                i = -1 - i  // no label set: nothing to resume
            } else if let resumeAt = sharedLabelsAfterNewName(i, lineEnd) {
                i = resumeAt
            } else {
                i &+= 1
            }
        }
        if i >= 0 {
            guard let closed = fastLabels(from: i) else { return abandonFastPath() }
            i = closed
        } else {
            i = -1 - i
        }
        let afterSeries = i
        // The value: one or more blanks, then a plain decimal ended by a blank or the newline.
        guard p[i] == ASCII.space || p[i] == ASCII.tab else { return abandonFastPath() }
        repeat { i &+= 1 } while p[i] == ASCII.space || p[i] == ASCII.tab
        guard let (v, stop) = NumberParsing.parseDecimalPrefix(p, i, lineEnd),
              stop == lineEnd || p[stop] == ASCII.space || p[stop] == ASCII.tab
        else { return abandonFastPath() }
        i = stop
        while p[i] == ASCII.space || p[i] == ASCII.tab { i &+= 1 }
        var t: Timestamp?
        if i < lineEnd {
            let tStart = i
            while p[i] != ASCII.space, p[i] != ASCII.tab, p[i] != ASCII.newline { i &+= 1 }
            guard let parsed = NumberParsing.parseInt64(p, tStart, i) else { return abandonFastPath() }
            while p[i] == ASCII.space || p[i] == ASCII.tab { i &+= 1 }
            guard i == lineEnd else { return abandonFastPath() }
            t = parsed
        }
        nameStart = start
        nameEnd = metricEnd
        seriesStart = start
        seriesEnd = afterSeries
        value = v
        timestamp = t
        pos = lineEnd + 1
        previousFastLine = PreviousFastLine(
            start: start, end: lineEnd, metricLength: metricEnd - start, labelCount: labelSpans.count,
            nonAscendingFrom: nonAscendingFrom)
        return true
    }

    mutating func abandonFastPath() -> Bool {
        labelSpans.removeAll()
        labelsAscending = true
        nonAscendingFrom = Int.max
        sharesMetricName = false
        sharedLabels = 0
        return false
    }

    /// `a="b",…}` from `i` (after the brace) inside a line whose newline is a sentinel; returns the
    /// index after the closing brace, or nil for anything the general path must see.
    @inline(__always)
    mutating func fastLabels(from first: Int) -> Int? {
        var i = first
        let raw = UnsafeRawPointer(p)
        let base = 0  // a sample line's label set starts the list
        if p[i] == ASCII.closeBrace { return i &+ 1 }
        while true {
            let ns = i
            guard classes[Int(p[i])] & ByteClass.nameStart != 0 else { return nil }
            i = nameEnd(from: i &+ 1, colon: false)
            let ne = i
            // p[i] is not the newline here, so i + 1 is still inside the line.
            guard p[i] == ASCII.equals, p[i &+ 1] == ASCII.quote else { return nil }
            let vs = i &+ 2
            var j = vs
            var bits: UInt64 = 0
            var escaped = false
            // The value ends at a quote; a newline first sends the line the general way.
            while true {
                while j &+ 8 <= end {
                    let w = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                    let special = wordMatches(w, ASCII.quote) | wordMatches(w, ASCII.backslash) | wordMatches(w, ASCII.newline)
                    if special != 0 {
                        let k = special.trailingZeroBitCount / 8
                        if k > 0 { bits |= w & (UInt64.max >> (64 - 8 * k)) }
                        j &+= k
                        break
                    }
                    bits |= w
                    j &+= 8
                }
                if j &+ 8 > end {
                    while p[j] != ASCII.quote, p[j] != ASCII.backslash, p[j] != ASCII.newline { bits |= UInt64(p[j]); j &+= 1 }
                }
                guard p[j] == ASCII.backslash else { break }
                // An escape (decoded later, as the general path's are): the byte after the
                // backslash is the value's, unless it is the line's newline (an error for the
                // general path to report). It cannot pass the newline, so neither can `j`.
                guard p[j &+ 1] != ASCII.newline else { return nil }
                bits |= UInt64(p[j &+ 1])
                escaped = true
                j &+= 2
            }
            guard p[j] == ASCII.quote, bits & 0x8080_8080_8080_8080 == 0 else { return nil }
            let ve = j
            if !labelsAscending || labelSpans.count > base {
                if !isNewFastLabelName(base: base, ns, ne) { return nil }
            }
            labelSpans.append(LabelSpan(
                nameStart: ns, nameEnd: ne, nameQuoted: false, valueStart: vs, valueEnd: ve, valueEscaped: escaped))
            i = j &+ 1
            if p[i] == ASCII.comma {
                i &+= 1
                if p[i] == ASCII.closeBrace { return i &+ 1 }
                continue
            }
            if p[i] == ASCII.closeBrace { return i &+ 1 }
            return nil
        }
    }

    /// Whether the set has no label of this name yet (one comparison while names ascend).
    @inline(__always)
    mutating func isNewFastLabelName(base: Int, _ ns: Int, _ ne: Int) -> Bool {
        let count = labelSpans.count
        if labelsAscending {
            let last = labelSpans[count - 1]
            if Self.nameOrder(p, end, last.nameStart, last.nameEnd, ns, ne) ?? LabelBuilder.less(p, last.nameStart, last.nameEnd, ns, ne) {
                return true
            }
            labelsAscending = false
            nonAscendingFrom = count
        }
        var k = base
        while k < count {
            let other = labelSpans[k]
            if other.nameEnd - other.nameStart == ne - ns, bytesEqual(other.nameStart, other.nameEnd, ns, ne) { return false }
            k += 1
        }
        return true
    }

    /// Whether name a sorts before name b, decided on their first eight bytes (read as one
    /// big-endian word each, zero-padded: name bytes are never zero); nil when those are equal or
    /// either read would pass the body's end.
    @inline(__always)
    static func nameOrder(_ p: UnsafePointer<UInt8>, _ end: Int, _ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int) -> Bool? {
        guard a &+ 8 <= end, b &+ 8 <= end else { return nil }
        let raw = UnsafeRawPointer(p)
        let na = Swift.min(aEnd &- a, 8), nb = Swift.min(bEnd &- b, 8)
        // Keep the name's first n bytes, then byte-swap so the first is the most significant.
        let wa = (UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: a, as: UInt64.self)) & (UInt64.max >> (64 &- 8 &* UInt64(na)))).byteSwapped
        let wb = (UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: b, as: UInt64.self)) & (UInt64.max >> (64 &- 8 &* UInt64(nb)))).byteSwapped
        if wa != wb { return wa < wb }
        return nil
    }
}
