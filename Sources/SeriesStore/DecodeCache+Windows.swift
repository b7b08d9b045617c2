import MetricsCore

/// How a query's windows are cut out of the decoded chunks.
extension DecodeCache {
    /// The samples in `mint...maxt` of one series' chunks (`range` of the flat lists): a window
    /// inside one chunk is a slice of its decoded array; one across chunks is copied, at its final size.
    static func window(
        _ decoded: [[Sample]], _ owns: [Int], _ range: Range<Int>, mint: Timestamp, maxt: Timestamp
    ) -> ArraySlice<Sample> {
        // A later append may already be decoded: only the chunk's first `count` are its own.
        if range.count == 1 {
            let c = range.lowerBound
            let own = min(owns[c], decoded[c].count)
            return decoded[c][bounds(decoded[c].prefix(own), mint: mint, maxt: maxt)]
        }
        var total = 0
        for c in range { total += bounds(decoded[c].prefix(owns[c]), mint: mint, maxt: maxt).count }
        var samples: [Sample] = []
        samples.reserveCapacity(total)
        for c in range { samples.append(contentsOf: decoded[c][bounds(decoded[c].prefix(owns[c]), mint: mint, maxt: maxt)]) }
        return samples[...]
    }

    /// How many of `samples` are staleness markers, without a branch per sample.
    static func staleCount(_ samples: ArraySlice<Sample>) -> Int {
        let bits = StaleNaN.bits
        return samples.withUnsafeBufferPointer { b in
            var n = 0
            for x in b { n &+= x.v.bitPattern == bits ? 1 : 0 }
            return n
        }
    }

    /// The indexes of `chunk`'s samples in `mint...maxt` (time-sorted samples).
    static func bounds(_ chunk: ArraySlice<Sample>, mint: Timestamp, maxt: Timestamp) -> Range<Int> {
        guard let first = chunk.first, let last = chunk.last, first.t <= maxt, last.t >= mint else {
            return chunk.startIndex..<chunk.startIndex
        }
        if first.t >= mint && last.t <= maxt { return chunk.startIndex..<chunk.endIndex }
        var lo = chunk.startIndex, hi = chunk.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if chunk[mid].t < mint { lo = mid + 1 } else { hi = mid }
        }
        var end = last.t <= maxt ? chunk.endIndex : lo
        while end < chunk.endIndex, chunk[end].t <= maxt { end += 1 }
        return lo..<end
    }
}
