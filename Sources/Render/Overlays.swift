/// The `?` overlay: a centred box listing every key.
struct HelpOverlay {
    let keys: [KeyHint]
    let caps: TerminalCaps

    func render(in area: Rect, into buffer: inout Buffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let g = Glyphs.forCaps(caps)
        let keyWidth = Swift.min(12, keys.map { Sanitize.text($0.key).count }.max() ?? 0)
        let lineWidth = keys.map { keyWidth + 2 + Sanitize.text($0.action).count }.max() ?? 0
        let footer = "? or Esc to close"
        let width = Swift.min(area.width, Swift.max(lineWidth, footer.count) + 4)
        let height = Swift.min(area.height, keys.count + 4)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2,
                       width: width, height: height)
        buffer.fill(box)
        let inner = Frame.render(title: "Keys", in: box, into: &buffer, selected: false, glyphs: g)
        let body = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        for (i, hint) in keys.prefix(Swift.max(0, body.height - 1)).enumerated() {
            let y = body.y + i
            buffer.setString(body.x, y, hint.key, style: Style(attributes: .bold), maxWidth: Swift.min(keyWidth, body.width),
                             ellipsis: g.ellipsis)
            buffer.setString(body.x + keyWidth + 2, y, hint.action, maxWidth: body.maxX - body.x - keyWidth - 2,
                             ellipsis: g.ellipsis)
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
