/// One legend line: entries `● P95 1.14 s` side by side, or in zoomed mode one series per line with
/// last / min / max / mean.
struct LegendLine {
    struct Entry {
        var marker: Character
        var color: Color
        var text: String
        var valueText: String
        var valueStyle: Style
    }
    var entries: [Entry]

    func draw(x: Int, y: Int, limit: Int, into buffer: inout Buffer, glyphs: Glyphs) {
        var cx = x
        for (i, e) in entries.enumerated() {
            if i > 0 { cx += 2 }
            guard cx < limit else { return }
            cx += buffer.setString(cx, y, String(e.marker), style: Style(fg: e.color), maxWidth: limit - cx)
            cx += buffer.setString(cx, y, " " + e.text + " ", maxWidth: limit - cx, ellipsis: glyphs.ellipsis)
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
            let w = 3 + entry.text.count + entry.valueText.count
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
        let entry = LegendLine.Entry(marker: caps.unicode ? marker : mark(i), color: color(i),
                                     text: Sanitize.text(series.name) + "  last",
                                     valueText: valueText(series.lastValue) + stats, valueStyle: valueStyle(series.lastValue))
        return LegendLine(entries: [entry])
    }
}

/// HH:MM labels under the plot, evenly spaced, with the window's span at the end (`(15m)`).
enum TimeAxis {
    static func draw(window: TimeWindow, x: Int, y: Int, width: Int, into buffer: inout Buffer, clip: Rect) {
        guard width > 0, window.endMs > window.startMs else { return }
        let span = "(" + TimeText.age(seconds: TimeText.seconds(window.spanMs)) + ")"
        let spanX = x + width - span.count
        if spanX >= x { buffer.setString(spanX, y, span, style: Palette.dim, maxWidth: span.count) }
        let labelWidth = 5
        let slots = (spanX - x) / (labelWidth + 7)
        guard slots >= 1 else { return }
        let step = Double(spanX - x) / Double(slots)
        for k in 0..<slots {
            let cx = x + Int((Double(k) * step).rounded())
            guard cx + labelWidth < spanX else { break }
            let t = TimeText.int64(Double(window.startMs) + window.spanMs * Double(cx - x) / Double(width))
            buffer.setString(cx, y, TimeText.clock(ms: t, utcOffsetSeconds: window.utcOffsetSeconds, seconds: false),
                             style: Palette.dim, maxWidth: labelWidth)
        }
    }
}
