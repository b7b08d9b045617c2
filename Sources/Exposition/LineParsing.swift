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

    mutating func skipToNextLine() {
        while pos < end, p[pos] != ASCII.newline { pos += 1 }
        if pos < end { pos += 1 }
    }

    /// End of a text-format line: the body's end, `\n` or `\r\n`.
    mutating func expectTextLineEnd(_ what: String) throws(ExpositionError) {
        if pos >= end { return }
        if p[pos] == ASCII.newline { pos += 1; return }
        if p[pos] == ASCII.carriageReturn, pos + 1 < end, p[pos + 1] == ASCII.newline { pos += 2; return }
        throw fail("unexpected \(describeHere()) after \(what)")
    }

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

    // MARK: Samples

    mutating func sampleLine() throws(ExpositionError) {
        sampleCount += 1
        if sampleCount > limits.maxSamples {
            throw fail("more than \(limits.maxSamples) samples in one scrape", kind: .limit)
        }
        let text = format == .text
        labelSpans.removeAll()
        labelsAscending = true
        nonAscendingFrom = Int.max
        sharesMetricName = false
        sharedLabels = 0
        timestamp = nil
        hasExemplar = false
        isCreatedSeries = false
        nameQuoted = false
        if text && fastPathEnabled {
            if textSampleFastPath() { return }
            previousFastLine.start = -1
        }
        seriesStart = pos
        (nameStart, nameEnd) = scanMetricName()
        if nameStart == nameEnd {
            guard text, pos < end, p[pos] == ASCII.openBrace else {
                throw fail("expected a metric name, found \(describeHere())")
            }
            try parseLabels(openMetrics: false, allowMetricName: true)
            if nameStart == nameEnd { throw fail("missing metric name", at: lineStart) }
        } else {
            let afterName = pos
            if text { skipBlanks() }
            if pos < end, p[pos] == ASCII.openBrace {
                try parseLabels(openMetrics: !text, allowMetricName: false)
            } else {
                pos = afterName  // the value still needs its separating blank
            }
        }
        if nameEnd - nameStart > limits.maxMetricNameLength {
            throw fail("metric name longer than \(limits.maxMetricNameLength) bytes", at: nameStart, kind: .limit)
        }
        seriesEnd = pos
        if text { try textValueAndTimestamp() } else { try openMetricsValueAndRest() }
        if format == .openMetrics { markCreatedSeries() }
        if validator != nil, var v = validator {
            validator = nil
            defer { validator = v }
            try v.sample(self)
        }
    }

    mutating func textValueAndTimestamp() throws(ExpositionError) {
        let before = pos
        skipBlanks()
        if pos == before || pos >= end || p[pos] == ASCII.newline {
            throw fail("expected a space and a value, found \(describeHere())")
        }
        let vStart = pos
        // Fast path: a plain decimal ended by a blank or the line's end (nearly every sample).
        if let (v, stop) = NumberParsing.parseDecimalPrefix(p, vStart, end),
           stop == end || classes[Int(p[stop])] & ByteClass.delimiter != 0 {
            pos = stop
            value = v
        } else {
            while pos < end, classes[Int(p[pos])] & ByteClass.delimiter == 0 { pos += 1 }
            guard let v = NumberParsing.parseDecimal(p, vStart, pos) ?? NumberParsing.parseSpecial(p, vStart, pos)
                ?? NumberParsing.parseLenient(p, vStart, pos)
            else { throw fail("invalid value \"\(decode(vStart, pos, escaped: false))\"", at: vStart) }
            value = v.isNaN ? NumberParsing.normalNaN : v
        }
        skipBlanks()
        if pos < end, p[pos] != ASCII.newline, p[pos] != ASCII.carriageReturn {
            let tStart = pos
            while pos < end, p[pos] != ASCII.space, p[pos] != ASCII.tab, p[pos] != ASCII.newline, p[pos] != ASCII.carriageReturn { pos += 1 }
            guard let t = NumberParsing.parseInt64(p, tStart, pos) else {
                throw fail("invalid timestamp \"\(decode(tStart, pos, escaped: false))\" (expected integer milliseconds)",
                           at: tStart)
            }
            timestamp = t
            skipBlanks()
        }
        try expectTextLineEnd("the sample")
    }

    /// Scans an OpenMetrics token that ends at a space or newline.
    mutating func scanToken() -> (Int, Int) {
        let start = pos
        while pos < end, p[pos] != ASCII.space, p[pos] != ASCII.newline { pos += 1 }
        return (start, pos)
    }

    mutating func openMetricsValueAndRest() throws(ExpositionError) {
        guard pos < end, p[pos] == ASCII.space else { throw fail("expected a space before the value, found \(describeHere())") }
        pos += 1
        let (vStart, vEnd) = scanToken()
        guard vEnd > vStart,
              let v = NumberParsing.parseDecimal(p, vStart, vEnd) ?? NumberParsing.parseSpecial(p, vStart, vEnd)
        else { throw fail("invalid value \"\(decode(vStart, vEnd, escaped: false))\"", at: vStart) }
        value = v.isNaN ? NumberParsing.normalNaN : v
        if pos < end, p[pos] == ASCII.space {
            pos += 1
            if pos < end, p[pos] != ASCII.hash {
                let (tStart, tEnd) = scanToken()
                guard let seconds = NumberParsing.parseDecimal(p, tStart, tEnd) else {
                    throw fail("invalid timestamp \"\(decode(tStart, tEnd, escaped: false))\"", at: tStart)
                }
                timestamp = NumberParsing.secondsToMilliseconds(seconds)
                if pos < end, p[pos] == ASCII.space {
                    pos += 1
                    guard pos < end, p[pos] == ASCII.hash else { throw fail("unexpected \(describeHere()) after timestamp") }
                }
            }
            if pos < end, p[pos] == ASCII.hash { try exemplar() }
        }
        guard pos < end, p[pos] == ASCII.newline else { throw fail("expected end of line, found \(describeHere())") }
        pos += 1
    }

    /// ` # {labels} value [timestamp]`, parsed for validity and otherwise ignored.
    mutating func exemplar() throws(ExpositionError) {
        guard pos + 2 < end, p[pos + 1] == ASCII.space, p[pos + 2] == ASCII.openBrace else {
            throw fail("expected \"# {\" to start an exemplar")
        }
        pos += 2
        let sampleLabels = labelSpans.count
        let sampleLabelsAscending = labelsAscending
        defer { labelsAscending = sampleLabelsAscending }
        try parseLabels(openMetrics: true, allowMetricName: false, checkLimits: false)
        exemplarRuneCount = 0
        for span in labelSpans.suffix(from: sampleLabels) {
            exemplarRuneCount += runeCount(span.nameStart, span.nameEnd) + runeCount(span.valueStart, span.valueEnd)
        }
        hasExemplar = true
        guard pos < end, p[pos] == ASCII.space else { throw fail("expected a space before the exemplar value") }
        pos += 1
        let (vStart, vEnd) = scanToken()
        guard NumberParsing.parseDecimal(p, vStart, vEnd) ?? NumberParsing.parseSpecial(p, vStart, vEnd) != nil else {
            throw fail("invalid exemplar value \"\(decode(vStart, vEnd, escaped: false))\"", at: vStart)
        }
        if pos < end, p[pos] == ASCII.space {
            pos += 1
            let (tStart, tEnd) = scanToken()
            guard NumberParsing.parseDecimal(p, tStart, tEnd) != nil else {
                throw fail("invalid exemplar timestamp \"\(decode(tStart, tEnd, escaped: false))\"", at: tStart)
            }
        }
        // The exemplar's labels are not the series' labels.
        labelSpans.removeSuffix(from: sampleLabels)
    }

    func runeCount(_ start: Int, _ stop: Int) -> Int {
        var n = 0
        for k in start..<stop where p[k] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    mutating func markCreatedSeries() {
        let n = typedFamily.count
        guard nameEnd - nameStart == n + 8, !nameQuoted else { return }
        switch typedFamilyType {
        case .counter, .histogram, .summary, .gaugehistogram: break
        default: return
        }
        let suffix = Array("_created".utf8)
        for k in 0..<n where p[nameStart + k] != typedFamily[k] { return }
        for k in 0..<8 where p[nameStart + n + k] != suffix[k] { return }
        isCreatedSeries = true
    }
}
