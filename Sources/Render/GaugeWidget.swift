/// Gauge: the value, then a bar from min to max filled in the threshold colour, then ticks at min,
/// each threshold and max. One line only: value and bar side by side.
/// With the legend option and several series, the first series is the gauge and the others are its
/// components, listed under it as `rt 89 · err 99 · cache 55` when there is room (the health score).
struct GaugeWidget {
    let data: PanelData
    let caps: TerminalCaps

    var glyphs: Glyphs { Glyphs.forCaps(caps) }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty, let series = data.series.first else { return }
        let components = data.options.legend == true ? Array(data.series.dropFirst()) : []
        if data.series.count > 1 && components.isEmpty {
            renderBars(in: area, into: &buffer)
            return
        }
        let value = series.lastValue ?? .nan
        let (lo, hi) = bounds(value)
        let text = data.unit.format(value, decimals: data.decimals)
        let color = ThresholdColor.of(value, data.thresholds) ?? .default
        let valueStyle = Style(fg: color, attributes: .bold)
        let inner = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: area.height)
        guard inner.width > 0 else { return }
        if inner.height < 2 {
            let used = buffer.setString(text, in: inner, style: valueStyle, ellipsis: glyphs.ellipsis)
            let barX = inner.x + used + 1
            drawBar(value, lo: lo, hi: hi, color: color, x: barX, y: inner.y, width: inner.maxX - barX, into: &buffer)
            return
        }
        let rows = inner.height >= 3 ? 3 : 2
        let detail = componentLines(components, width: inner.width, room: inner.height - rows - 1)
        let top = inner.y + (inner.height - rows - (detail.isEmpty ? 0 : detail.count + 1)) / 2
        buffer.setString(text, in: Rect(x: inner.x, y: top, width: inner.width, height: 1), style: valueStyle,
                         ellipsis: glyphs.ellipsis)
        drawBar(value, lo: lo, hi: hi, color: color, x: inner.x, y: top + 1, width: inner.width, into: &buffer)
        if rows == 3 { drawTicks(lo: lo, hi: hi, x: inner.x, y: top + 2, width: inner.width, into: &buffer) }
        for (i, line) in detail.enumerated() {
            buffer.setString(inner.x, top + rows + 1 + i, line, style: Palette.dim, maxWidth: inner.width)
        }
    }

    /// `name value` of each component, whole numbers, joined by ` · ` and wrapped to `width`;
    /// nothing when they do not fit in `room` lines (the gauge itself matters more).
    private func componentLines(_ components: [SeriesData], width: Int, room: Int) -> [String] {
        guard !components.isEmpty, room > 0, width > 0 else { return [] }
        let items = components.map { c in
            "\(Sanitize.text(c.name)) \(NumberText.format(c.lastValue ?? .nan, decimals: 0))"
        }
        let separator = caps.unicode ? " · " : ", "
        var lines: [String] = []
        var current = ""
        for item in items {
            let candidate = current.isEmpty ? item : current + separator + item
            if Sanitize.width(candidate) <= width || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = item
            }
        }
        lines.append(current)
        guard lines.count <= room, lines.allSatisfy({ Sanitize.width($0) <= width }) else { return [] }
        return lines
    }

    /// Several series (one per instance, say): a line each, `name ████░░░ value`, on one scale.
    private func renderBars(in area: Rect, into buffer: inout Buffer) {
        let overflow = data.series.count > area.height && area.height > 1
        let shown = Array(data.series.prefix(overflow ? area.height - 1 : area.height))
        let names = shown.map { Sanitize.text($0.name) }
        let values = shown.map { data.unit.format($0.lastValue ?? .nan, decimals: data.decimals) }
        let nameWidth = Swift.min(names.map(Sanitize.width).max() ?? 0, area.width / 4)
        let valueWidth = Swift.min(values.map(Sanitize.width).max() ?? 0, area.width / 3)
        let finite = shown.compactMap(\.lastValue).filter(\.isFinite)
        let (lo, hi) = bounds(finite.max() ?? .nan)
        for (i, s) in shown.enumerated() {
            let y = area.y + i
            let value = s.lastValue ?? .nan
            let color = ThresholdColor.of(value, data.thresholds) ?? .default
            if nameWidth > 0 {
                buffer.setString(area.x + 1, y, names[i], maxWidth: nameWidth, ellipsis: glyphs.ellipsis)
            }
            let barX = area.x + 1 + (nameWidth > 0 ? nameWidth + 1 : 0)
            let barWidth = area.maxX - 1 - valueWidth - 1 - barX
            drawBar(value, lo: lo, hi: hi, color: color, x: barX, y: y, width: barWidth, into: &buffer)
            buffer.setString(values[i], in: Rect(x: area.maxX - 1 - valueWidth, y: y, width: valueWidth, height: 1),
                             style: Style(fg: color, attributes: .bold), alignRight: true, ellipsis: glyphs.ellipsis)
        }
        if overflow {
            buffer.setString(area.x + 1, area.maxY - 1, "+\(data.series.count - shown.count) more", style: Palette.dim,
                             maxWidth: area.width - 1)
        }
    }

    /// Min and max: the panel's, else 0 and 100 for percent (1 for percentunit), else the highest of
    /// the thresholds and the value.
    func bounds(_ value: Double) -> (Double, Double) {
        let lo = data.min ?? 0
        var hi = data.max
        if hi == nil {
            switch data.unit {
            case .percent: hi = 100
            case .percentUnit: hi = 1
            default:
                let candidates = data.thresholds.compactMap(\.value) + (value.isFinite ? [value] : [])
                hi = candidates.max()
            }
        }
        var top = hi ?? lo + 1
        if !(top > lo) || !(top - lo).isFinite { top = lo + 1 }
        return (lo, top)
    }

    private func fraction(_ v: Double, lo: Double, hi: Double) -> Double {
        guard v.isFinite else { return v == .infinity ? 1 : 0 }
        return Swift.min(1, Swift.max(0, (v - lo) / (hi - lo)))
    }

    private func drawBar(_ value: Double, lo: Double, hi: Double, color: Color, x: Int, y: Int, width: Int,
                         into buffer: inout Buffer) {
        let filled = value.isNaN ? 0 : Int((fraction(value, lo: lo, hi: hi) * Double(width)).rounded())
        HorizontalBar.draw(filled: filled, width: width, x: x, y: y, color: color, glyphs: glyphs, into: &buffer)
    }

    /// `0        70    85    100`: labels where they fit without overlapping; max right-aligned.
    private func drawTicks(lo: Double, hi: Double, x: Int, y: Int, width: Int, into buffer: inout Buffer) {
        let maxText = data.unit.format(hi, decimals: data.decimals)
        let maxX = x + width - Sanitize.width(maxText)
        var next = x
        let marks = [lo] + data.thresholds.compactMap(\.value).filter { $0 > lo && $0 < hi }
        for v in marks {
            let text = data.unit.format(v, decimals: data.decimals)
            let cx = x + Int((fraction(v, lo: lo, hi: hi) * Double(width)).rounded(.down))
            let start = Swift.max(cx, next)
            guard start + Sanitize.width(text) < maxX else { continue }
            next = start + buffer.setString(start, y, text, style: Palette.dim, maxWidth: Sanitize.width(text)) + 1
        }
        if maxX >= next { buffer.setString(maxX, y, maxText, style: Palette.dim, maxWidth: Sanitize.width(maxText)) }
    }
}
