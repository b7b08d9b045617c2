import MetricsCore

extension ExpositionPullParser {
    // MARK: Label sets

    /// `{name="value",…}` starting at `pos`. The text format allows blanks around tokens, a trailing
    /// comma and Prometheus 3's quoted names (`{"my.metric", "a.b"="c"}`); OpenMetrics allows none.
    mutating func parseLabels(openMetrics om: Bool, allowMetricName: Bool, checkLimits: Bool = true)
        throws(ExpositionError)
    {
        let base = labelSpans.count
        labelsAscending = true
        pos += 1
        if !om { skipBlanks() }
        if pos < end, p[pos] == ASCII.closeBrace { pos += 1; return }
        while true {
            if let closed = try commonLabel(base: base, openMetrics: om, checkLimits: checkLimits) {
                if closed { return }
                continue
            }
            var ns = pos
            var ne = pos
            var quoted = false
            if !om, pos < end, p[pos] == ASCII.quote {
                (ns, ne, quoted) = try scanQuoted("label name")
                quoted = true
            } else {
                if pos < end, classes[Int(p[pos])] & ByteClass.nameStart != 0 {
                    pos = nameEnd(from: pos + 1, colon: false)
                }
                ne = pos
                if ns == ne { throw fail("expected a label name, found \(describeHere())") }
            }
            if !om { skipBlanks() }
            if quoted, allowMetricName, nameStart == nameEnd, pos < end, p[pos] == ASCII.comma || p[pos] == ASCII.closeBrace {
                // A lone quoted string is the metric name.
                nameStart = ns
                nameEnd = ne
                nameQuoted = true
            } else {
                guard pos < end, p[pos] == ASCII.equals else {
                    throw fail("expected \"=\" after label name, found \(describeHere())")
                }
                pos += 1
                if !om { skipBlanks() }
                guard pos < end, p[pos] == ASCII.quote else {
                    throw fail("expected a double-quoted label value, found \(describeHere())")
                }
                let (vs, ve, escaped) = try scanQuoted("label value")
                try appendLabel(base: base, name: ns, ne, quoted: quoted, value: vs, ve, escaped: escaped,
                                checkLimits: checkLimits)
                if !om { skipBlanks() }
            }
            guard pos < end else { throw fail("unexpected end of input inside a label set") }
            if p[pos] == ASCII.comma {
                pos += 1
                if !om {
                    skipBlanks()
                    if pos < end, p[pos] == ASCII.closeBrace { pos += 1; return }
                }
                continue
            }
            if p[pos] == ASCII.closeBrace { pos += 1; return }
            throw fail("expected \",\" or \"}\" after a label, found \(describeHere())")
        }
    }

    // MARK: Metadata

    /// HELP text: `\\` and `\n` are escapes in both formats, `\"` in OpenMetrics only.
    func decodeHelp(_ start: Int, _ stop: Int, openMetrics: Bool) -> String {
        // Most HELP texts have no escapes: make the String straight from the bytes.
        var hasBackslash = false
        for k in start..<stop where p[k] == UInt8(ascii: "\\") { hasBackslash = true; break }
        if !hasBackslash { return String(decoding: UnsafeBufferPointer(start: p + start, count: stop - start), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(stop - start)
        var i = start
        while i < stop {
            let c = p[i]
            if c == UInt8(ascii: "\\"), i + 1 < stop {
                let e = p[i + 1]
                if e == UInt8(ascii: "\\") { out.append(e); i += 2; continue }
                if e == UInt8(ascii: "n") { out.append(ASCII.newline); i += 2; continue }
                if openMetrics, e == ASCII.quote { out.append(e); i += 2; continue }
            }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    func matches(_ word: StaticString, at i: Int) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= end else { return false }
        let w = word.utf8Start
        for k in 0..<n where p[i + k] != w[k] { return false }
        return true
    }

    /// The text format's type words, compared in place.
    @inline(__always)
    func textType(_ start: Int, _ stop: Int) -> MetricType? {
        let n = stop - start
        let p = self.p  // captured alone: a helper capturing `self` copies the whole parser per call
        func word(_ w: StaticString) -> Bool {
            guard n == w.utf8CodeUnitCount else { return false }
            for k in 0..<n where p[start + k] != w.utf8Start[k] { return false }
            return true
        }
        if word("counter") { return .counter }
        if word("gauge") { return .gauge }
        if word("histogram") { return .histogram }
        if word("summary") { return .summary }
        if word("untyped") { return .unknown }
        return nil
    }

    static func openMetricsType(_ word: String) -> MetricType? {
        switch word {
        case "counter": return .counter
        case "gauge": return .gauge
        case "histogram": return .histogram
        case "gaugehistogram": return .gaugehistogram
        case "summary": return .summary
        case "info": return .info
        case "stateset": return .stateset
        case "unknown": return .unknown
        default: return nil
        }
    }

    /// A text-format `#` line: HELP or TYPE, or a comment (skipped, nil).
    mutating func textComment() throws(ExpositionError) -> ExpositionEntry? {
        pos += 1
        skipBlanks()
        let isHelp = matches("HELP", at: pos)
        guard isHelp || matches("TYPE", at: pos), pos + 4 < end, p[pos + 4] == ASCII.space || p[pos + 4] == ASCII.tab else {
            skipToNextLine()
            return nil
        }
        pos += 4
        skipBlanks()
        var ns = pos
        var ne = pos
        var quoted = false
        if pos < end, p[pos] == ASCII.quote {
            (ns, ne, quoted) = try scanQuoted("metric name")
        } else {
            (ns, ne) = scanMetricName()
        }
        if ns == ne { throw fail("expected a metric name after \(isHelp ? "HELP" : "TYPE"), found \(describeHere())") }
        metadataSpan = (ns, ne, quoted)
        let afterName = pos
        skipBlanks()
        if isHelp {
            if pos == afterName, pos < end, p[pos] != ASCII.newline, p[pos] != ASCII.carriageReturn {
                throw fail("unexpected \(describeHere()) after the metric name")
            }
            let ts = pos
            pos = lineEnd(from: pos)
            var te = pos
            if te > ts, p[te - 1] == ASCII.carriageReturn { te -= 1 }
            if pos < end { pos += 1 }
            if te - ts > limits.maxMetadataLength {
                throw fail("HELP text longer than \(limits.maxMetadataLength) bytes", at: ts, kind: .limit)
            }
            // ASCII is valid UTF-8: only text with other bytes needs the full check.
            if !isASCII(ts, te) { try checkUTF8(ts, te, "HELP text") }
            textSpan = (ts, te)
            return .help
        }
        let ts = pos
        while pos < end, p[pos] != ASCII.space, p[pos] != ASCII.tab, p[pos] != ASCII.newline, p[pos] != ASCII.carriageReturn { pos += 1 }
        guard pos > afterName, let type = textType(ts, pos) else {
            let word = decode(ts, pos, escaped: false)
            throw fail("unknown metric type \"\(word)\" (expected counter, gauge, histogram, summary or untyped)", at: ts)
        }
        skipBlanks()
        try expectTextLineEnd("the metric type")
        metricType = type
        return .type
    }

    /// An OpenMetrics `#` line: exactly `# HELP`, `# TYPE`, `# UNIT` or `# EOF`.
    mutating func openMetricsMetadata() throws(ExpositionError) -> ExpositionEntry {
        guard pos + 1 < end, p[pos + 1] == ASCII.space else {
            throw fail("expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\"")
        }
        pos += 2
        if matches("EOF", at: pos) {
            pos += 3
            guard pos == end || (p[pos] == ASCII.newline && pos + 1 == end) else {
                throw fail("unexpected text after \"# EOF\"")
            }
            pos = end
            sawEOF = true
            if var v = validator {
                validator = nil
                defer { validator = v }
                try v.finish(self)
            }
            return .eof
        }
        let entry: ExpositionEntry
        if matches("HELP ", at: pos) { entry = .help }
        else if matches("TYPE ", at: pos) { entry = .type }
        else if matches("UNIT ", at: pos) { entry = .unit }
        else { throw fail("expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\"") }
        pos += 5
        let (ns, ne) = scanMetricName()
        if ns == ne { throw fail("expected a metric name, found \(describeHere())") }
        guard pos < end, p[pos] == ASCII.space else { throw fail("expected a space after the metric name, found \(describeHere())") }
        pos += 1
        let ts = pos
        while pos < end, p[pos] != ASCII.newline { pos += 1 }
        guard pos < end else { throw fail("unexpected end of input: missing \"# EOF\"") }
        let te = pos
        pos += 1
        if te - ts > limits.maxMetadataLength {
            throw fail("metadata text longer than \(limits.maxMetadataLength) bytes", at: ts, kind: .limit)
        }
        metadataSpan = (ns, ne, false)
        switch entry {
        case .help:
            try checkUTF8(ts, te, "HELP text")
            textSpan = (ts, te)
        case .type:
            let word = decode(ts, te, escaped: false)
            guard let type = Self.openMetricsType(word) else {
                throw fail("unknown metric type \"\(word)\"", at: ts)
            }
            metricType = type
            typedFamily = Array(UnsafeBufferPointer(start: p + ns, count: ne - ns))
            typedFamilyType = type
        default:
            try checkUTF8(ts, te, "UNIT")
            textSpan = (ts, te)
        }
        if var v = validator {
            validator = nil
            defer { validator = v }
            try v.metadata(entry, self)
        }
        return entry
    }
}
