/// Stat: the current value, large when there is room, in the panel's unit and threshold colour;
/// the change over the window beside it, a trend sparkline under it, other series as a legend line.
struct StatWidget {
    let data: PanelData
    let caps: TerminalCaps

    var glyphs: Glyphs { Glyphs.forCaps(caps) }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty, let main = data.series.first else { return }
        if let cursor = data.cursor, renderAtCursor(cursor, main, in: area, into: &buffer) { return }
        let value = main.lastValue ?? .nan
        let text = main.displayText.map(Sanitize.text) ?? data.unit.format(value, decimals: data.decimals)
        let valueStyle = Style(fg: ThresholdColor.of(value, data.thresholds) ?? .default, attributes: .bold)
        var rows = area
        let others = data.series.dropFirst()
        let showLegend = data.options.legend ?? !others.isEmpty
        let legendText = others.map { s in
            // A no-break space keeps each name with its value when the legend wraps.
            Sanitize.text(s.name) + "\u{A0}" + data.unit.format(s.lastValue ?? .nan, decimals: data.decimals)
        }.joined(separator: "\u{A0}" + glyphs.separator.trimmingLeadingSpaces)  // the mark stays at the line end
        // The legend of the other series at the bottom, wrapped over up to a third of the rows
        // (at least one) when there is room for it.
        if showLegend, !others.isEmpty, rows.height >= 3 {
            let lines = StateText.wrap(legendText, width: rows.width - 2, maxLines: Swift.max(1, rows.height / 3),
                                       ellipsis: glyphs.ellipsis)
            for (i, line) in lines.enumerated() {
                let plain = String(line.map { $0 == "\u{A0}" ? " " : $0 })
                buffer.setString(plain, in: Rect(x: rows.x + 1, y: rows.maxY - lines.count + i, width: rows.width - 2,
                                                height: 1), style: Palette.dim, ellipsis: glyphs.ellipsis)
            }
            rows.height -= lines.count
        }
        let canSpark = (data.options.sparkline ?? true) && main.points.filter { $0.v.isFinite }.count >= 2
        let delta = trendDelta(main)
        let (number, suffix) = BigDigits.split(text)
        // The font's rows are one-scalar characters: their scalars are their columns (counting
        // characters would break graphemes, several times per frame).
        if caps.unicode, rows.height >= 3, let big = BigDigits.rows(number),
           big[0].unicodeScalars.count + (suffix.isEmpty ? 0 : Sanitize.width(suffix) + 1) + 2 <= rows.width {
            let sparkRows = canSpark && rows.height >= 5 ? 1 : 0
            let blockHeight = 3 + sparkRows
            let top = rows.y + Swift.max(0, (rows.height - blockHeight) / 2)
            let totalWidth = big[0].unicodeScalars.count + (suffix.isEmpty ? 0 : Sanitize.width(suffix) + 1)
            let left = rows.x + Swift.max(1, (rows.width - totalWidth) / 2)
            for (r, line) in big.enumerated() {
                buffer.setString(left, top + r, line, style: valueStyle, maxWidth: rows.maxX - left)
            }
            if !suffix.isEmpty {
                buffer.setString(left + big[0].unicodeScalars.count + 1, top + 2, suffix, style: valueStyle,
                                 maxWidth: rows.maxX - left - big[0].unicodeScalars.count - 1)
            }
            drawDelta(delta, after: left + totalWidth + 2, y: top, limit: rows.maxX, into: &buffer)
            if sparkRows == 1 {
                let y = top + 3
                Sparkline.draw(main.points, window: data.timeWindow, x: rows.x + 1, y: y, width: rows.width - 2,
                               range: nil, style: Palette.dim, glyphs: glyphs, into: &buffer, clip: rows)
            }
            return
        }
        // Plain value: centred line, sparkline under it (or beside it on a single line).
        let top = rows.y + Swift.max(0, (rows.height - (canSpark && rows.height >= 2 ? 2 : 1)) / 2)
        let width = Sanitize.width(text)
        let left = rows.x + Swift.max(0, (rows.width - width) / 2)
        if rows.height == 1, canSpark, rows.width >= width + 6 {
            let used = buffer.setString(rows.x + 1, top, text, style: valueStyle, maxWidth: rows.width - 1)
            Sparkline.draw(main.points, window: data.timeWindow, x: rows.x + used + 2, y: top,
                           width: rows.width - used - 3, range: nil, style: Palette.dim, glyphs: glyphs,
                           into: &buffer, clip: rows)
            return
        }
        let used = buffer.setString(left, top, text, style: valueStyle, maxWidth: rows.maxX - left, ellipsis: glyphs.ellipsis)
        drawDelta(delta, after: left + used + 2, y: top, limit: rows.maxX, into: &buffer)
        if canSpark, rows.height >= 2 {
            Sparkline.draw(main.points, window: data.timeWindow, x: rows.x + 1, y: top + 1, width: rows.width - 2,
                           range: nil, style: Palette.dim, glyphs: glyphs, into: &buffer, clip: rows)
        }
    }

    /// The shared crosshair on a stat: its value at that instant, dimmed and marked with the time
    /// (`402 ms @03:42:10`), and the trend under it with the instant highlighted.
    private func renderAtCursor(_ cursor: CursorMark, _ main: SeriesData, in area: Rect, into buffer: inout Buffer) -> Bool {
        guard let window = data.timeWindow else { return false }
        let v = TimeColumn.value(of: main.points, at: cursor.t)
        let text = (v.map { data.unit.format($0, decimals: data.decimals) } ?? "no value") + " @"
            + TimeText.clock(ms: cursor.t, utcOffsetSeconds: window.utcOffsetSeconds)
        let top = area.y + Swift.max(0, (area.height - 2) / 2)
        let left = area.x + Swift.max(0, (area.width - Sanitize.width(text)) / 2)
        buffer.setString(left, top, text, style: Style(attributes: [.dim, .bold]), maxWidth: area.maxX - left,
                         ellipsis: glyphs.ellipsis)
        let y = top + 1
        guard area.height >= 2, y < area.maxY, area.width > 2 else { return true }
        Sparkline.draw(main.points, window: window, x: area.x + 1, y: y, width: area.width - 2, range: nil,
                       style: Palette.dim, glyphs: glyphs, into: &buffer, clip: area)
        if let col = TimeColumn.cell(of: cursor.t, in: window, cells: area.width - 2, braille: false) {
            var cell = buffer[area.x + 1 + col, y]
            if cell.character == " " { cell.character = glyphs.vertical }
            cell.style.attributes.insert(.reverse)
            buffer.put(cell.character, area.x + 1 + col, y, style: cell.style, clip: area)
        }
        return true
    }

    /// Last minus first finite value of the window (nil without two points or with no change).
    private func trendDelta(_ series: SeriesData) -> Double? {
        guard let first = series.points.first(where: { $0.v.isFinite })?.v,
              let last = series.points.last(where: { $0.v.isFinite })?.v else { return nil }
        let d = last - first
        return d == 0 || !d.isFinite ? nil : d
    }

    /// `▲ 4.1` / `▼ 4.1`, dimmed: direction is not a state, so it gets no state colour.
    private func drawDelta(_ delta: Double?, after x: Int, y: Int, limit: Int, into buffer: inout Buffer) {
        guard let delta else { return }
        let text = String(delta > 0 ? glyphs.up : glyphs.down) + " " + data.unit.format(abs(delta), decimals: data.decimals)
        guard x + Sanitize.width(text) <= limit else { return }
        buffer.setString(x, y, text, style: Palette.dim, maxWidth: limit - x)
    }
}
