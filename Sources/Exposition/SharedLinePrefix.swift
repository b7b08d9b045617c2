/// Where the text fast path's last line was and what it held, in offsets from its start.
struct PreviousFastLine {
    /// -1: no line to share with (the last sample line went the general way, or there was none).
    var start = -1
    /// The index of its newline.
    var end = 0
    var metricLength = 0
    var labelCount = 0
    var nonAscendingFrom = Int.max
}

extension ExpositionPullParser {
    /// Consecutive sample lines mostly start alike (the same metric name, the same first labels:
    /// a histogram's buckets differ only in `le`). The bytes the current line shares with the
    /// previous fast-path line parse the same way, so its metric name and every label whose
    /// closing separator lies in the shared prefix are taken over (their spans shifted) instead of
    /// scanned again. Returns where the metric name ends and where to go on: after the `{` or
    /// the last shared label's `,` (a label set to go on with), or `-1 - index` past a shared `}`.
    /// Nil when not even the metric name is shared.
    @inline(__always)
    mutating func sharedWithPreviousLine(_ start: Int, _ lineEnd: Int) -> (metricEnd: Int, resumeAt: Int)? {
        let previous = previousFastLine
        guard previous.start >= 0 else { return nil }
        let common = commonPrefixLength(previous.start, start, Swift.min(previous.end - previous.start, lineEnd - start))
        // The name and the byte after it: the name ends at the same place.
        guard previous.metricLength < common else { return nil }
        let metricEnd = start + previous.metricLength
        sharesMetricName = true
        guard p[metricEnd] == ASCII.openBrace else { return (metricEnd, -1 - metricEnd) }
        var k = 0
        while k < previous.labelCount, labelSpans.retained(k).valueEnd + 1 - previous.start < common { k += 1 }
        guard k > 0 else { return (metricEnd, metricEnd + 1) }
        let separator = labelSpans.retained(k - 1).valueEnd + 1 - previous.start + start
        labelSpans.keepRetained(k, shiftedBy: start - previous.start)
        sharedLabels = k
        if previous.nonAscendingFrom < k {
            labelsAscending = false
            nonAscendingFrom = previous.nonAscendingFrom
        }
        return p[separator] == ASCII.closeBrace ? (metricEnd, -1 - (separator + 1)) : (metricEnd, separator + 1)
    }

    /// A line whose metric name is not the previous line's may still write its labels the same
    /// way (a histogram's `_sum` and `_count` lines, one series' families written one after the
    /// other): the labels whose closing separator lies in the label text both lines share, from
    /// their `{`, are taken over as above, shifted by the lines' different name lengths.
    /// `brace` is the current line's `{`; returns where to go on as `sharedWithPreviousLine`
    /// does, or nil when not one label is shared.
    @inline(__always)
    mutating func sharedLabelsAfterNewName(_ brace: Int, _ lineEnd: Int) -> Int? {
        let previous = previousFastLine
        // With labels, the previous line's name was followed by its `{`.
        guard previous.start >= 0, previous.labelCount > 0 else { return nil }
        let previousBrace = previous.start + previous.metricLength
        let common = commonPrefixLength(previousBrace, brace, Swift.min(previous.end - previousBrace, lineEnd - brace))
        var k = 0
        while k < previous.labelCount, labelSpans.retained(k).valueEnd + 1 - previousBrace < common { k += 1 }
        guard k > 0 else { return nil }
        let delta = brace - previousBrace
        let separator = labelSpans.retained(k - 1).valueEnd + 1 + delta
        labelSpans.keepRetained(k, shiftedBy: delta)
        sharedLabels = k
        if previous.nonAscendingFrom < k {
            labelsAscending = false
            nonAscendingFrom = previous.nonAscendingFrom
        }
        return p[separator] == ASCII.closeBrace ? -1 - (separator + 1) : separator + 1
    }

    /// How many bytes from `a` and from `b` are equal, up to `limit`; eight at a time.
    @inline(__always)
    func commonPrefixLength(_ a: Int, _ b: Int, _ limit: Int) -> Int {
        let raw = UnsafeRawPointer(p)
        var k = 0
        while k &+ 8 <= limit {
            let x = raw.loadUnaligned(fromByteOffset: a &+ k, as: UInt64.self)
                ^ raw.loadUnaligned(fromByteOffset: b &+ k, as: UInt64.self)
            if x != 0 { return k &+ UInt64(littleEndian: x).trailingZeroBitCount >> 3 }
            k &+= 8
        }
        while k < limit, p[a &+ k] == p[b &+ k] { k &+= 1 }
        return k
    }
}
