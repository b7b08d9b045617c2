/// One legend line: entries `● P95 1.14 s` side by side, or in zoomed mode one series per line with
/// last / min / max / mean.
struct LegendLine {
    struct Entry {
        var marker: Character
        var color: Color
        var text: String
        var valueText: String
        var valueStyle: Style
        /// Dim for a series switched off, reverse for the legend row picked with ↑/↓.
        var textStyle: Style = .plain
    }
    var entries: [Entry]

    func draw(x: Int, y: Int, limit: Int, into buffer: inout Buffer, glyphs: Glyphs) {
        var cx = x
        for (i, e) in entries.enumerated() {
            if i > 0 { cx += 2 }
            guard cx < limit else { return }
            cx += buffer.setString(cx, y, String(e.marker), style: Style(fg: e.color), maxWidth: limit - cx)
            cx += buffer.setString(cx, y, " ", maxWidth: limit - cx)
            cx += buffer.setString(cx, y, e.text, style: e.textStyle, maxWidth: limit - cx, ellipsis: glyphs.ellipsis)
            cx += buffer.setString(cx, y, " ", maxWidth: limit - cx)
            cx += buffer.setString(cx, y, e.valueText, style: e.valueStyle, maxWidth: limit - cx, ellipsis: glyphs.ellipsis)
        }
    }
}

extension GraphWidget {
    /// Legend lines for the width; empty when the layout turns the legend off.
    func legend(width: Int) -> [LegendLine] {
        guard data.options.legend ?? true, width > 0 else { return [] }
        let marker: Character = caps.unicode ? "●" : "*"
        if zoomed { return data.series.enumerated().map { zoomedLine($0.offset, $0.element, marker: marker) } }
        var lines: [LegendLine] = []
        var current = LegendLine(entries: [])
        var used = 0
        for (i, series) in data.series.enumerated() {
            let entry = LegendLine.Entry(marker: caps.unicode ? marker : mark(i), color: color(i),
                                         text: Sanitize.text(series.name), valueText: valueText(series.lastValue),
                                         valueStyle: valueStyle(series.lastValue))
            let w = 3 + Sanitize.width(entry.text) + Sanitize.width(entry.valueText)
            if !current.entries.isEmpty, used + 2 + w > width {
                lines.append(current)
                current = LegendLine(entries: [])
                used = 0
            }
            used += (current.entries.isEmpty ? 0 : 2) + w
            current.entries.append(entry)
        }
        if !current.entries.isEmpty { lines.append(current) }
        return lines
    }

    private func zoomedLine(_ i: Int, _ series: SeriesData, marker: Character) -> LegendLine {
        let finite = series.points.map(\.v).filter(\.isFinite)
        let mean = finite.isEmpty ? Double.nan : finite.reduce(0, +) / Double(finite.count)
        let stats = "  min " + valueText(finite.min()) + "  max " + valueText(finite.max()) + "  mean " + valueText(mean)
        var entry = LegendLine.Entry(marker: caps.unicode ? marker : mark(i), color: color(i),
                                     text: Sanitize.text(series.name) + "  last",
                                     valueText: valueText(series.lastValue) + stats, valueStyle: valueStyle(series.lastValue))
        if series.hidden {
            entry.textStyle = Palette.dim
            entry.valueStyle = Palette.dim
        }
        if data.legendSelection == i { entry.textStyle.attributes.insert(.reverse) }
        return LegendLine(entries: [entry])
    }
}

/// Time labels under the plot at round times (every 1, 2, 5, 10, 15, 30 min...), HH:MM (HH:MM:SS
/// for spans under a few minutes), with the window's span at the end (`(15m)`).
enum TimeAxis {
    static let intervals: [Int64] = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]
        .map { $0 * 1000 }

    static func draw(window: TimeWindow, x: Int, y: Int, width: Int, into buffer: inout Buffer, clip: Rect) {
        guard width > 0, window.endMs > window.startMs else { return }
        let span = "(" + TimeText.age(seconds: TimeText.seconds(window.spanMs)) + ")"
        let spanX = x + width - Sanitize.width(span)
        if spanX >= x { buffer.setString(spanX, y, span, style: Palette.dim, maxWidth: Sanitize.width(span)) }
        let withSeconds = window.spanMs < 5 * 60_000
        let labelWidth = withSeconds ? 8 : 5
        let room = spanX - x - 1
        let maxLabels = room / (labelWidth + 4)
        guard maxLabels >= 1 else { return }
        // The smallest round interval that keeps the labels apart.
        let wanted = window.spanMs / Double(maxLabels)
        guard let interval = intervals.first(where: { Double($0) >= wanted }) ?? intervals.last else { return }
        let offsetMs = Int64(Swift.max(-86400, Swift.min(86400, window.utcOffsetSeconds))) * 1000
        // First round local time at or after the start.
        let localStart = window.startMs &+ offsetMs
        var tick = (localStart / interval) * interval
        if tick < localStart { tick += interval }
        var nextFree = x
        var count = 0
        while count < 1000 {
            let t = tick &- offsetMs
            guard t <= window.endMs else { break }
            let cx = x + Int(((Double(t) - Double(window.startMs)) / window.spanMs * Double(width)).rounded())
            let start = cx - labelWidth / 2
            if start >= nextFree, start >= x, start + labelWidth < spanX {
                let text = TimeText.clock(ms: t, utcOffsetSeconds: window.utcOffsetSeconds, seconds: withSeconds)
                buffer.setString(start, y, text, style: Palette.dim, maxWidth: labelWidth)
                nextFree = start + labelWidth + 2
            }
            tick &+= interval
            count += 1
        }
    }
}
