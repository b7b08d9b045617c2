/// Heatmap of classic histogram buckets: time across, buckets (`le`) up, each cell's share of the
/// busiest cell as a colour of a dark-to-hot ramp (a `█`), or, without colour, as a density character.
/// Series are cumulative buckets (`rate(x_bucket[..])` by `le`): each bucket's own count is its value
/// minus the next lower bucket's.
struct HeatmapWidget {
    let data: PanelData
    let caps: TerminalCaps

    var glyphs: Glyphs { Glyphs.forCaps(caps) }

    /// Lowest density first.
    static let ramp256: [Color] = [.indexed(17), .indexed(18), .indexed(25), .indexed(31), .indexed(37), .indexed(71),
                                   .indexed(143), .indexed(179), .indexed(208), .indexed(196)]
    static let ramp8: [Color] = [.blue, .cyan, .green, .yellow, .red]
    static let asciiDensity: [Character] = [".", ":", "-", "=", "+", "*", "#", "%", "@"]
    static let unicodeDensity: [Character] = ["░", "▒", "▓", "█"]

    /// The upper bound of a bucket from its legend (`0.25`, `le="0.25"`, `{le="+Inf"}`).
    static func upperBound(_ name: String) -> Double? {
        // Render has no Foundation: find `le="` by hand.
        var text = Substring(name)
        let chars = Array(name)
        let key: [Character] = ["l", "e", "=", "\""]
        if chars.count >= 4, let i = (0...(chars.count - 4)).first(where: { Array(chars[$0..<($0 + 4)]) == key }) {
            text = Substring(String(chars[(i + 4)...].prefix { $0 != "\"" }))
        }
        let t = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        if t == "+Inf" || t == "Inf" { return .infinity }
        return Double(t)
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty, let window = data.timeWindow, window.endMs > window.startMs else { return }
        let buckets = data.series.compactMap { s in Self.upperBound(s.name).map { (le: $0, series: s) } }
            .sorted { $0.le < $1.le }
        guard !buckets.isEmpty else {
            StateText.render("heatmap needs series by le", style: Palette.dim, in: area, into: &buffer, glyphs: glyphs)
            return
        }
        let labels = buckets.map { $0.le.isInfinite ? "+Inf" : data.unit.format($0.le, decimals: data.decimals) }
        let labelWidth = Swift.min(labels.map(Sanitize.width).max() ?? 0, area.width / 4)
        let plot = Rect(x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1, height: area.height - 1)
        guard plot.width >= 2, plot.height >= 1 else { return }
        // Per time column, each bucket's own count (cumulative minus the bucket below).
        let columns = buckets.map { Self.held(Resample.columns($0.series.points, count: plot.width, window: window)) }
        var cells = Array(repeating: Array(repeating: 0.0, count: plot.width), count: buckets.count)
        var top = 0.0
        for b in buckets.indices {
            for x in 0..<plot.width {
                guard let v = columns[b][x] else { continue }
                let below = b > 0 ? (columns[b - 1][x] ?? 0) : 0
                let own = Swift.max(0, v - below)
                cells[b][x] = own.isFinite ? own : 0
                top = Swift.max(top, cells[b][x])
            }
        }
        // More buckets than rows: neighbouring buckets share a row (their counts add up).
        let rows = Swift.min(plot.height, buckets.count)
        func row(of b: Int) -> Int { b * rows / buckets.count }
        var grid = Array(repeating: Array(repeating: 0.0, count: plot.width), count: rows)
        for b in buckets.indices { for x in 0..<plot.width { grid[row(of: b)][x] += cells[b][x] } }
        top = grid.flatMap { $0 }.max() ?? 0
        for r in 0..<rows {
            // Rows share the height evenly, the lowest bucket at the bottom.
            let y0 = plot.maxY - (r + 1) * plot.height / rows
            let rowHeight = (plot.maxY - r * plot.height / rows) - y0
            let lastBucket = buckets.indices.last { row(of: $0) == r } ?? 0
            buffer.setString(labels[lastBucket], in: Rect(x: area.x, y: y0, width: labelWidth, height: 1), style: Palette.dim,
                             alignRight: true, ellipsis: glyphs.ellipsis)
            for x in 0..<plot.width {
                let v = grid[r][x]
                guard top > 0, v > 0 else { continue }
                let (ch, style) = cell(v / top)
                for dy in 0..<rowHeight { buffer.put(ch, plot.x + x, y0 + dy, style: style, clip: area) }
            }
        }
        TimeAxis.draw(window: window, x: plot.x, y: area.maxY - 1, width: plot.width, into: &buffer, clip: area)
    }

    /// Columns between two samples (fewer samples than columns) keep the last value, so cells join up;
    /// longer holes (more than twice the usual spacing) stay empty: no data there.
    static func held(_ columns: [Double?]) -> [Double?] {
        let present = columns.indices.filter { columns[$0] != nil }
        let gaps = zip(present, present.dropFirst()).map { $1 - $0 }.sorted()
        let usual = gaps.isEmpty ? 1 : gaps[gaps.count / 2]
        var out = columns
        var last: (index: Int, value: Double)?
        for i in out.indices {
            if let v = out[i] { last = (i, v); continue }
            if let l = last, i - l.index < 2 * usual, i < (present.last ?? 0) + usual { out[i] = l.value }
        }
        return out
    }

    /// The character and style for a share of the busiest cell (0 < f <= 1).
    func cell(_ f: Double) -> (Character, Style) {
        func pick<T>(_ list: [T]) -> T { list[Swift.min(list.count - 1, Int(f * Double(list.count - 1)).clamped)] }
        if caps.colors >= 256 { return (caps.unicode ? "█" : "#", Style(fg: pick(Self.ramp256))) }
        if caps.colors >= 8 { return (caps.unicode ? "█" : "#", Style(fg: pick(Self.ramp8))) }
        return (pick(caps.unicode ? Self.unicodeDensity : Self.asciiDensity), .plain)
    }
}

private extension Int {
    var clamped: Int { Swift.max(0, self) }
}
