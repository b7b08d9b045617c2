/// Series values bucketed into columns, and sparklines drawn from them.
enum Resample {
    /// One value per column (mean of the finite points falling in it), nil where no point falls.
    /// With a time window, columns are time slices of it; without, the last points are spread evenly.
    static func columns(_ points: [DataPoint], count: Int, window: TimeWindow?) -> [Double?] {
        guard count > 0 else { return [] }
        var sums = Array(repeating: 0.0, count: count)
        var counts = Array(repeating: 0, count: count)
        if let window, window.endMs > window.startMs {
            // Doubles: times come from outside and must not overflow Int64 arithmetic.
            let span = window.spanMs
            for p in points where p.v.isFinite && p.t >= window.startMs && p.t <= window.endMs {
                let offset = (Double(p.t) - Double(window.startMs)) / span * Double(count)
                let column = Swift.max(0, Swift.min(count - 1, Int(offset)))
                sums[column] += p.v
                counts[column] += 1
            }
        } else {
            let finite = points.filter { $0.v.isFinite }
            guard !finite.isEmpty else { return Array(repeating: nil, count: count) }
            if finite.count <= count {
                // Fewer points than columns: one point per column, right-aligned (newest at the right).
                let offset = count - finite.count
                for (i, p) in finite.enumerated() {
                    sums[offset + i] = p.v
                    counts[offset + i] = 1
                }
            } else {
                for (i, p) in finite.enumerated() {
                    let column = i * count / finite.count
                    sums[column] += p.v
                    counts[column] += 1
                }
            }
        }
        return (0..<count).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : nil }
    }

    /// Finite min and max of a set of columns, nil when there is no finite value.
    static func range(_ columns: [[Double?]]) -> (lo: Double, hi: Double)? {
        var lo = Double.infinity, hi = -Double.infinity
        for column in columns {
            for value in column {
                if let value, value.isFinite {
                    lo = Swift.min(lo, value)
                    hi = Swift.max(hi, value)
                }
            }
        }
        return lo <= hi ? (lo, hi) : nil
    }
}

enum Sparkline {
    /// The sparkline characters of `columns` scaled to [lo, hi]; blank where there is no value.
    /// All-equal values draw a flat middle line (steady, neither low nor high).
    static func characters(_ columns: [Double?], lo: Double, hi: Double, glyphs: Glyphs) -> [Character] {
        let levels = glyphs.bars.count
        return columns.map { value in
            guard let value, value.isFinite else { return " " }
            let span = hi - lo
            guard span > 0, span.isFinite else { return glyphs.bars[(levels - 1) / 2] }
            let fraction = Swift.min(1, Swift.max(0, (value - lo) / span))
            return glyphs.bars[Int((fraction * Double(levels - 1)).rounded())]
        }
    }

    /// Draws `series` as one sparkline row at (x, y) over `width` columns, in `style`.
    static func draw(_ points: [DataPoint], window: TimeWindow?, x: Int, y: Int, width: Int, range: (lo: Double, hi: Double)?,
                     style: Style, glyphs: Glyphs, into buffer: inout Buffer, clip: Rect) {
        guard width > 0 else { return }
        let columns = Resample.columns(points, count: width, window: window)
        guard let r = range ?? Resample.range([columns]) else { return }
        for (i, c) in characters(columns, lo: r.lo, hi: r.hi, glyphs: glyphs).enumerated() where c != " " {
            buffer.put(c, x + i, y, style: style, clip: clip)
        }
    }
}
