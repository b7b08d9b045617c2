/// The investigation layer of a graph: alert markers on the time axis, the time cursor with its
/// legend box (zoomed graph), and the shared crosshair (every other graph).
extension GraphWidget {
    /// Draws markers and the cursor over a finished plot. `plot` is the plot area (without the
    /// y labels), `axisY` the row of the time labels.
    func drawInvestigation(plot: Rect, axisY: Int, window: TimeWindow?, area: Rect, into buffer: inout Buffer) {
        guard let window, window.endMs > window.startMs, !plot.isEmpty else { return }
        let braille = caps.unicode
        for marker in data.markers {
            guard let col = TimeColumn.cell(of: marker.t, in: window, cells: plot.width, braille: braille) else { continue }
            let letter = marker.letter.isASCII && marker.letter.isLetter ? marker.letter : "A"
            buffer.put(letter, plot.x + col, axisY, style: Style(fg: marker.color, attributes: .bold), clip: area)
        }
        guard let cursor = data.cursor,
              let col = TimeColumn.cell(of: cursor.t, in: window, cells: plot.width, braille: braille) else { return }
        let x = plot.x + col
        for y in plot.y..<plot.maxY {
            // The crosshair of other graphs stays out of the data's way; the cursor itself is drawn through.
            if cursor.primary || buffer[x, y].character == " " {
                buffer.put(glyphs.vertical, x, y, style: cursor.primary ? Style(attributes: .bold) : Palette.dim, clip: area)
            }
        }
        if cursor.primary { drawCursorBox(at: x, cursor: cursor, plot: plot, window: window, area: area, into: &buffer) }
    }

    /// The legend box beside the cursor: the time with seconds, each shown series' value there, and the
    /// marker under the cursor. It sits right of the cursor, or left when there is no room, never over it;
    /// when narrow it drops the names and keeps the values.
    private func drawCursorBox(at x: Int, cursor: CursorMark, plot: Rect, window: TimeWindow, area: Rect,
                               into buffer: inout Buffer) {
        let time = TimeText.clock(ms: cursor.t, utcOffsetSeconds: window.utcOffsetSeconds)
        let shown = data.series.enumerated().filter { !$0.element.hidden }
        // No sample near the cursor (before the data, in a gap): a dash, not NaN.
        let values = shown.map { s in TimeColumn.value(of: s.element.points, at: cursor.t).map { valueText($0) } ?? "–" }
        let names = shown.map { Sanitize.text($0.element.name) }
        let marker = data.markers.first { m in
            TimeColumn.cell(of: m.t, in: window, cells: plot.width, braille: caps.unicode)
                == TimeColumn.cell(of: cursor.t, in: window, cells: plot.width, braille: caps.unicode)
        }
        let markerLine = marker.map { Sanitize.text($0.label) }
        let nameWidth = names.map(\.count).max() ?? 0
        let valueWidth = values.map(\.count).max() ?? 0
        func width(withNames: Bool) -> Int {
            let row = 2 + (withNames ? nameWidth + 2 : 0) + valueWidth
            return Swift.max(row, time.count + 2, markerLine?.count ?? 0) + 4
        }
        let roomRight = plot.maxX - (x + 2)
        let roomLeft = (x - 1) - plot.x
        var withNames = true
        var w = width(withNames: true)
        if w > Swift.max(roomRight, roomLeft) {
            withNames = false
            w = Swift.min(width(withNames: false), Swift.max(roomRight, roomLeft))
        }
        guard w >= 5 else { return }
        let boxX = w <= roomRight ? x + 2 : x - 1 - w
        let rowCount = shown.count + (markerLine == nil ? 0 : 1)
        let h = Swift.min(plot.height, rowCount + 2)
        guard h >= 3 else { return }
        let box = Rect(x: boxX, y: plot.y, width: w, height: h)
        buffer.fill(box)
        let inner = Frame.render(title: time, in: box, into: &buffer, selected: false, glyphs: glyphs)
        var y = inner.y
        for (k, item) in shown.enumerated() where y < inner.maxY {
            let i = item.offset
            var cx = inner.x + 1
            cx += buffer.setString(cx, y, String(caps.unicode ? "●" : mark(i)), style: Style(fg: color(i)), maxWidth: 1)
            cx += 1
            if withNames {
                buffer.setString(cx, y, names[k], maxWidth: Swift.min(nameWidth, inner.maxX - cx), ellipsis: glyphs.ellipsis)
                cx += nameWidth + 2
            }
            let v = TimeColumn.value(of: item.element.points, at: cursor.t)
            buffer.setString(cx, y, values[k], style: valueStyle(v), maxWidth: inner.maxX - cx, ellipsis: glyphs.ellipsis)
            y += 1
        }
        if let markerLine, let marker, y < inner.maxY {
            buffer.setString(inner.x + 1, y, markerLine, style: Style(fg: marker.color, attributes: .bold),
                             maxWidth: inner.width - 1, ellipsis: glyphs.ellipsis)
        }
    }

    /// Sparkline rows: the crosshair as a highlighted column, markers on the time row when there is one.
    func drawSparklineInvestigation(sparkX: Int, sparkWidth: Int, rows: Int, top: Int, axisY: Int?, area: Rect,
                                    into buffer: inout Buffer) {
        guard let window = data.timeWindow, window.endMs > window.startMs, sparkWidth > 0 else { return }
        if let axisY {
            for marker in data.markers {
                guard let col = TimeColumn.cell(of: marker.t, in: window, cells: sparkWidth, braille: false) else { continue }
                let letter = marker.letter.isASCII && marker.letter.isLetter ? marker.letter : "A"
                buffer.put(letter, sparkX + col, axisY, style: Style(fg: marker.color, attributes: .bold), clip: area)
            }
        }
        guard let cursor = data.cursor,
              let col = TimeColumn.cell(of: cursor.t, in: window, cells: sparkWidth, braille: false) else { return }
        for y in top..<(top + rows) {
            var cell = buffer[sparkX + col, y]
            if cell.character == " " { cell.character = glyphs.vertical }
            cell.style.attributes.insert(.reverse)
            buffer.put(cell.character, sparkX + col, y, style: cell.style, clip: area)
        }
    }
}
