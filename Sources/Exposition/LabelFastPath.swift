extension ExpositionPullParser {
    /// The common label, `name="value"` followed at once by `,` or `}`, with an ASCII value without
    /// escapes, scanned in one pass (eight bytes at a time through the value). Returns true when the
    /// label set is closed, false when another label follows, and nil, with nothing consumed, for
    /// anything else (blanks, quoted names, escapes, UTF-8, errors), which the general path parses.
    @inline(__always)
    mutating func commonLabel(base: Int, openMetrics om: Bool, checkLimits: Bool) throws(ExpositionError) -> Bool? {
        let ns = pos
        guard ns < end, classes[Int(p[ns])] & ByteClass.nameStart != 0 else { return nil }
        let i = nameEnd(from: ns + 1, colon: false)
        let ne = i
        guard i + 1 < end, p[i] == ASCII.equals, p[i + 1] == ASCII.quote else { return nil }
        let vs = i + 2
        var j = vs
        var bits: UInt64 = 0
        let raw = UnsafeRawPointer(p)
        while j + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
            let special = wordMatches(w, ASCII.quote) | wordMatches(w, ASCII.backslash) | wordMatches(w, ASCII.newline)
            if special != 0 {
                let k = special.trailingZeroBitCount / 8
                if k > 0 { bits |= w & (UInt64.max >> (64 - 8 * k)) }
                j += k
                break
            }
            bits |= w
            j += 8
        }
        if j + 8 > end {
            while j < end, p[j] != ASCII.quote, p[j] != ASCII.backslash, p[j] != ASCII.newline { bits |= UInt64(p[j]); j += 1 }
        }
        let ve = j
        guard ve < end, p[ve] == ASCII.quote, bits & 0x8080_8080_8080_8080 == 0,
              ve + 1 < end, p[ve + 1] == ASCII.comma || p[ve + 1] == ASCII.closeBrace
        else { return nil }
        try appendLabel(base: base, name: ns, ne, quoted: false, value: vs, ve, escaped: false, checkLimits: checkLimits)
        pos = ve + 2
        if p[ve + 1] == ASCII.closeBrace { return true }
        if !om {
            skipBlanks()
            if pos < end, p[pos] == ASCII.closeBrace { pos += 1; return true }
        }
        return false
    }

    /// Appends one parsed label after the limits (when asked) and the name checks; both label
    /// paths, the common `name="value",` one and the general one, end here.
    @inline(__always)
    mutating func appendLabel(base: Int, name ns: Int, _ ne: Int, quoted: Bool, value vs: Int, _ ve: Int,
                              escaped: Bool, checkLimits: Bool) throws(ExpositionError) {
        if checkLimits {
            if ne - ns > limits.maxLabelNameLength {
                throw fail("label name longer than \(limits.maxLabelNameLength) bytes", at: ns, kind: .limit)
            }
            if ve - vs > limits.maxLabelValueLength {
                throw fail("label value longer than \(limits.maxLabelValueLength) bytes", at: vs, kind: .limit)
            }
            if labelSpans.count - base >= limits.maxLabelsPerSeries {
                throw fail("more than \(limits.maxLabelsPerSeries) labels on one series", at: ns, kind: .limit)
            }
        }
        try checkNewLabelName(base: base, ns, ne, quoted: quoted)
        labelSpans.append(LabelSpan(
            nameStart: ns, nameEnd: ne, nameQuoted: quoted, valueStart: vs, valueEnd: ve, valueEscaped: escaped))
    }

    /// Rejects a label name the set already has. Names nearly always come in increasing byte order
    /// (client libraries sort them): then one comparison with the previous name proves this one
    /// new. `labelsAscending` says whether that still holds for the set (unquoted names only).
    @inline(__always)
    mutating func checkNewLabelName(base: Int, _ ns: Int, _ ne: Int, quoted: Bool) throws(ExpositionError) {
        let count = labelSpans.count
        if labelsAscending, !quoted {
            if count == base { return }
            let last = labelSpans[count - 1]
            if Self.nameOrder(p, end, last.nameStart, last.nameEnd, ns, ne) ?? LabelBuilder.less(p, last.nameStart, last.nameEnd, ns, ne) {
                return
            }
        }
        labelsAscending = false
        var k = base
        while k < count {
            let other = labelSpans[k]
            if other.nameEnd - other.nameStart == ne - ns, bytesEqual(other.nameStart, other.nameEnd, ns, ne) {
                throw fail("duplicate label name \"\(decode(ns, ne, escaped: quoted))\"", at: ns)
            }
            k += 1
        }
    }
}
