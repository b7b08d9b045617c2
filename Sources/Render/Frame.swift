/// The panel frame: a box with the title in the top edge (`┌ Latency ───┐`), heavier when selected.
enum Frame {
    /// Draws the frame and returns the inner area. Too small for a frame (< 3×3): the title alone on
    /// the first line, and the rest of the area as the inner area, so tiny panels still say what they are.
    static func render(title: String, in area: Rect, into buffer: inout Buffer, selected: Bool, glyphs: Glyphs) -> Rect {
        let titleStyle = Style(attributes: selected ? [.bold, .reverse] : [.bold])
        guard area.width >= 3, area.height >= 3 else {
            buffer.setString(title, in: area, style: titleStyle, ellipsis: glyphs.ellipsis)
            return Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        }
        let style = selected ? Style(attributes: .bold) : Style(attributes: .dim)
        let h = selected ? glyphs.selHorizontal : glyphs.horizontal
        let v = selected ? glyphs.selVertical : glyphs.vertical
        let clip = area
        // The edges as runs (see `Buffer.fill`), not a cell at a time: every panel, every frame.
        buffer.fill(Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1), with: Cell(h, style: style))
        buffer.fill(Rect(x: area.x + 1, y: area.maxY - 1, width: area.width - 2, height: 1), with: Cell(h, style: style))
        // The side edges packed once, not per row: the same cells as putting `v` on every row.
        let side = buffer.packed(v, style: style)
        for y in (area.y + 1)..<(area.maxY - 1) {
            buffer.put(packed: side, area.x, y, clip: clip)
            buffer.put(packed: side, area.maxX - 1, y, clip: clip)
        }
        buffer.put(selected ? glyphs.selTopLeft : glyphs.topLeft, area.x, area.y, style: style, clip: clip)
        buffer.put(selected ? glyphs.selTopRight : glyphs.topRight, area.maxX - 1, area.y, style: style, clip: clip)
        buffer.put(selected ? glyphs.selBottomLeft : glyphs.bottomLeft, area.x, area.maxY - 1, style: style, clip: clip)
        buffer.put(selected ? glyphs.selBottomRight : glyphs.bottomRight, area.maxX - 1, area.maxY - 1, style: style, clip: clip)
        // " Title " after the corner, leaving the closing corner visible.
        let room = area.width - 4
        if room > 0 {
            let safe = Sanitize.fit(Sanitize.text(title), to: room, ellipsis: glyphs.ellipsis)
            if !safe.isEmpty {
                buffer.setString(area.x + 1, area.y, " ", style: style)
                let used = buffer.setString(area.x + 2, area.y, safe, style: titleStyle, maxWidth: room)
                buffer.setString(area.x + 2 + used, area.y, " ", style: style)
            }
        }
        return Rect(x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 2)
    }
}

/// A row header line: `── Database ─────────`, grouping the panels under it.
enum RowHeader {
    static func render(title: String, in area: Rect, into buffer: inout Buffer, selected: Bool, glyphs: Glyphs) {
        guard !area.isEmpty else { return }
        let lineStyle = Style(attributes: .dim)
        for x in area.x..<area.maxX { buffer.put(glyphs.horizontal, x, area.y, style: lineStyle, clip: area) }
        let titleStyle = Style(attributes: selected ? [.bold, .reverse] : [.bold])
        guard area.width > 4 else { return }
        let safe = Sanitize.fit(Sanitize.text(title), to: area.width - 4, ellipsis: glyphs.ellipsis)
        guard !safe.isEmpty else { return }
        buffer.setString(area.x + 2, area.y, " ", style: lineStyle)
        let used = buffer.setString(area.x + 3, area.y, safe, style: titleStyle, maxWidth: area.width - 4)
        buffer.setString(area.x + 3 + used, area.y, " ", style: lineStyle)
    }
}

/// A text panel: the body line by line, cut to the width.
enum TextWidget {
    static func render(_ text: String, in area: Rect, into buffer: inout Buffer, glyphs: Glyphs) {
        guard !area.isEmpty else { return }
        // One column of padding on each side when there is room, like the other widgets.
        let pad = area.width > 4 ? 1 : 0
        for (i, line) in Sanitize.lines(text).prefix(area.height).enumerated() {
            buffer.setString(area.x + pad, area.y + i, line, maxWidth: area.width - 2 * pad, ellipsis: glyphs.ellipsis)
        }
    }
}
