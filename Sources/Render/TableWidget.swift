/// Table: a header line, then rows; numbers right-aligned in the panel's unit and threshold colour,
/// text left-aligned. Rows that do not fit are counted on the last line (`+3 more`).
struct TableWidget {
    let data: PanelData
    let caps: TerminalCaps

    var glyphs: Glyphs { Glyphs.forCaps(caps) }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty, let table = data.table else { return }
        let columnCount = Swift.min(32, Swift.max(table.columns.count, table.rows.map(\.count).max() ?? 0))
        guard columnCount > 0 else { return }
        let texts: [[String]] = table.rows.map { row in
            (0..<columnCount).map { c in
                guard c < row.count else { return "" }
                switch row[c] {
                case .text(let s): return Sanitize.text(s)
                case .number(let v): return data.unit.format(v, decimals: data.decimals)
                }
            }
        }
        let numeric = (0..<columnCount).map { c in
            table.rows.contains { c < $0.count && { if case .number = $0[c] { return true } else { return false } }($0) }
        }
        let headers = (0..<columnCount).map { c in c < table.columns.count ? Sanitize.text(table.columns[c]) : "" }
        let widths = columnWidths(texts: texts, headers: headers, numeric: numeric, room: area.width - 2)
        var y = area.y
        let showHeader = area.height >= 3 && headers.contains { !$0.isEmpty }
        if showHeader {
            drawRow(headers, styles: Array(repeating: Style(attributes: [.bold, .dim]), count: columnCount),
                    widths: widths, numeric: numeric, y: y, area: area, into: &buffer)
            y += 1
        }
        let room = area.maxY - y
        // One line only: the first row beats a "+N more" line.
        let overflow = texts.count > room && room > 1
        let shown = overflow ? room - 1 : Swift.min(texts.count, Swift.max(0, room))
        for r in 0..<shown {
            let styles = (0..<columnCount).map { c -> Style in
                guard c < table.rows[r].count, case .number(let v) = table.rows[r][c] else { return .plain }
                return Style(fg: ThresholdColor.of(v, data.thresholds) ?? .default)
            }
            drawRow(texts[r], styles: styles, widths: widths, numeric: numeric, y: y + r, area: area, into: &buffer)
        }
        if overflow, room >= 1 {
            buffer.setString(area.x + 1, y + shown, "+\(texts.count - shown) more", style: Palette.dim,
                             maxWidth: area.width - 1)
        }
    }

    /// Number columns get their full width; text columns share what is left, the first text column most.
    private func columnWidths(texts: [[String]], headers: [String], numeric: [Bool], room: Int) -> [Int] {
        let natural = headers.indices.map { c in
            Swift.max(Sanitize.width(headers[c]), texts.map { Sanitize.width($0[c]) }.max() ?? 0)
        }
        var widths = natural
        let gaps = Swift.max(0, headers.count - 1) * 2
        var excess = natural.reduce(0, +) + gaps - Swift.max(0, room)
        // Shrink the widest text columns first, then numbers, never below 1.
        while excess > 0 {
            let candidates = widths.indices.filter { widths[$0] > 1 }
            guard let widest = candidates.max(by: { (numeric[$0] ? 0 : 1, widths[$0]) < (numeric[$1] ? 0 : 1, widths[$1]) })
            else { break }
            widths[widest] -= 1
            excess -= 1
        }
        return widths
    }

    private func drawRow(_ cells: [String], styles: [Style], widths: [Int], numeric: [Bool], y: Int, area: Rect,
                         into buffer: inout Buffer) {
        var x = area.x + 1
        let ellipsis = glyphs.ellipsis  // `glyphs` makes the whole glyph set: once per row, not per cell
        for (c, text) in cells.enumerated() {
            let w = Swift.min(widths[c], area.maxX - 1 - x)
            guard w > 0 else { return }
            buffer.setString(text, in: Rect(x: x, y: y, width: w, height: 1), style: styles[c], alignRight: numeric[c],
                             ellipsis: ellipsis)
            x += widths[c] + 2
        }
    }
}
