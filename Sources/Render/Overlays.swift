/// The `?` overlay: a centred box listing every key.
struct HelpOverlay {
    let keys: [KeyHint]
    let caps: TerminalCaps

    func render(in area: Rect, into buffer: inout Buffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let g = Glyphs.forCaps(caps)
        let keyWidth = Swift.min(12, keys.map { Sanitize.width($0.key) }.max() ?? 0)
        let lineWidth = keys.map { keyWidth + 2 + Sanitize.width($0.action) }.max() ?? 0
        let footer = "? or Esc to close"
        // Too many keys for the height: two columns side by side, so that every key stays listed.
        let fitRows = Swift.max(1, area.height - 5)
        let columns = keys.count > fitRows && area.width >= 2 * 30 + 4 ? 2 : 1
        let perColumn = (keys.count + columns - 1) / columns
        let columnWidth = columns == 1 ? Swift.max(lineWidth, footer.count)
            : Swift.min(lineWidth, (area.width - 4 - 3) / 2)
        let width = Swift.min(area.width, columns * columnWidth + (columns - 1) * 3 + 4)
        let height = Swift.min(area.height, perColumn + 4)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2,
                       width: width, height: height)
        buffer.fill(box)
        let inner = Frame.render(title: "Keys", in: box, into: &buffer, selected: false, glyphs: g)
        let body = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        let rows = Swift.max(0, body.height - 1)
        for (i, hint) in keys.enumerated() {
            let column = i / perColumn, row = i % perColumn
            guard row < rows, column < columns else { continue }
            let x = body.x + column * (columnWidth + 3)
            let limit = Swift.min(body.maxX, x + columnWidth)
            let y = body.y + row
            buffer.setString(x, y, hint.key, style: Style(attributes: .bold), maxWidth: Swift.min(keyWidth, limit - x),
                             ellipsis: g.ellipsis)
            buffer.setString(x + keyWidth + 2, y, hint.action, maxWidth: limit - x - keyWidth - 2, ellipsis: g.ellipsis)
        }
        if body.height >= 2 {
            buffer.setString(footer, in: Rect(x: body.x, y: body.maxY - 1, width: body.width, height: 1),
                             style: Palette.dim, ellipsis: g.ellipsis)
        }
        if !caps.unicode { buffer.asciiOnly(box) }
    }
}

/// "Terminal too small": what is needed, centred, in whatever room there is (down to 1×1).
struct TooSmall {
    let minimumWidth: Int
    let minimumHeight: Int

    func render(in area: Rect, into buffer: inout Buffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        buffer.fill(area)
        let message = "Terminal too small: need \(minimumWidth)x\(minimumHeight), have \(area.width)x\(area.height)"
        guard area.width >= 8 else {
            // No room for words: a mark that something is wrong, in the middle.
            buffer.setString(area.x + (area.width - 1) / 2, area.y + (area.height - 1) / 2, "!", style: Style(attributes: .bold))
            return
        }
        StateText.render(message, style: Style(attributes: .bold), in: area, into: &buffer, glyphs: .ascii)
    }
}
