import MetricsCore

/// Sample lines: the value, timestamp, OpenMetrics exemplars and `_created` series (the rest of a
/// line's reading is in LineParsing.swift).
extension ExpositionPullParser {
    mutating func sampleLine() throws(ExpositionError) {
        sampleCount += 1
        if sampleCount > limits.maxSamples {
            throw fail("more than \(limits.maxSamples) samples in one scrape", kind: .limit)
        }
        let text = format == .text
        timestamp = nil
        hasExemplar = false
        isCreatedSeries = false
        nameQuoted = false
        seriesWasExpected = false
        if text, let expected = expectedSeries {
            expectedSeries = nil
            if try expectedSeriesLine(expected) { return }
        }
        labelSpans.removeAll()
        labelsAscending = true
        nonAscendingFrom = Int.max
        sharesMetricName = false
        sharedLabels = 0
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
