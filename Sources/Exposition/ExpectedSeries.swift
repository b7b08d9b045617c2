#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExpositionPullParser {
    /// Tells the parser which series text (`seriesText`) the next sample line most likely starts
    /// with: a scraper that has seen the target's previous body expects the same series in the same
    /// order. A text-format line that starts with exactly those bytes, followed by a blank and then
    /// not by a label set, has that series text, and the same bytes parse the same way; so its name
    /// and labels are neither scanned nor checked again, only the value and timestamp are parsed,
    /// and `seriesWasExpected` is true. Pass only text this parser took as a sample's series text,
    /// in a body of the same format with the same limits (so it passed the same checks).
    ///
    /// For an expected sample the label accessors (`metricName`, `labelCount`, …) describe nothing;
    /// `seriesText`, `value` and `timestamp` do. The bytes must stay valid until the next sample
    /// line, which uses up the expectation, matched or not. OpenMetrics bodies ignore it (their
    /// samples are checked against their family as well).
    public mutating func expectSeries(_ text: UnsafeRawBufferPointer) { expectedSeries = text }

    /// The expected series text at `pos`, then the value and timestamp; false, with nothing
    /// consumed, when the line does not start with it. A line that does but then breaks the
    /// grammar throws the error the general path would throw (it would read the same series text
    /// and stop at the same place).
    mutating func expectedSeriesLine(_ text: UnsafeRawBufferPointer) throws(ExpositionError) -> Bool {
        let start = pos
        let n = text.count
        guard n > 0, n < end - start, let expected = text.baseAddress else { return false }
        let after = p[start + n]
        guard after == ASCII.space || after == ASCII.tab, memcmp(p + start, expected, n) == 0 else { return false }
        // `name {a="b"} 1` where the previous series text was `name`: a label set follows the blanks.
        var i = start + n + 1
        while i < end, p[i] == ASCII.space || p[i] == ASCII.tab { i += 1 }
        guard i < end, p[i] != ASCII.openBrace else { return false }
        // The label spans were not made: no later line can take them over.
        previousFastLine.start = -1
        labelSpans.clear()
        sharesMetricName = false
        sharedLabels = 0
        seriesWasExpected = true
        nameStart = start
        nameEnd = start
        seriesStart = start
        seriesEnd = start + n
        // Nearly always a plain decimal ending the line; anything else the usual way.
        if let (v, stop) = NumberParsing.parseDecimalPrefix(p, i, end), stop == end || p[stop] == ASCII.newline {
            value = v
            timestamp = nil
            pos = stop == end ? end : stop + 1
            return true
        }
        pos = seriesEnd
        try textValueAndTimestamp()
        return true
    }
}
