/// Draws one panel: frame and title, then the honest state or the widget for its kind.
struct PanelRenderer {
    let data: PanelData
    let caps: TerminalCaps
    let selected: Bool
    let zoomed: Bool

    var glyphs: Glyphs { Glyphs.forCaps(caps) }

    func render(in area: Rect, into buffer: inout Buffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        buffer.fill(area)
        if data.kind == .row {
            RowHeader.render(title: data.title, in: area, into: &buffer, selected: selected, glyphs: glyphs)
        } else {
            let inner = Frame.render(title: data.title, in: area, into: &buffer, selected: selected, glyphs: glyphs)
            renderBody(in: inner, into: &buffer)
        }
        if !caps.unicode { buffer.asciiOnly(area) }
    }

    private func renderBody(in inner: Rect, into buffer: inout Buffer) {
        guard !inner.isEmpty else { return }
        if case .placeholder(let type) = data.kind {
            StateText.render("unsupported panel type: \(type)", style: Palette.dim, in: inner, into: &buffer, glyphs: glyphs)
            return
        }
        switch data.state {
        case .loading:
            StateText.render("loading" + String(glyphs.ellipsis), style: Palette.dim, in: inner, into: &buffer, glyphs: glyphs)
            return
        case .error(let reason):
            StateText.render("error: " + reason, style: Palette.error, in: inner, into: &buffer, glyphs: glyphs)
            return
        case .noData where data.kind != .text && data.kind != .alerts:
            StateText.render("no data", style: Palette.dim, in: inner, into: &buffer, glyphs: glyphs)
            return
        default:
            break
        }
        var body = inner
        if case .stale(let age) = data.state {
            // The last value stays, dimmed, under a `stale 42s` line.
            buffer.setString("stale \(age)s", in: body, style: Palette.warning, alignRight: true, ellipsis: glyphs.ellipsis)
            if body.height > 2 { body = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1) }
        }
        drawWidget(in: body, into: &buffer)
        if case .stale = data.state {
            let staleLine = body.y == inner.y ? 1 : 0
            let dimArea = Rect(x: inner.x, y: body.y + staleLine, width: inner.width, height: body.maxY - body.y - staleLine)
            buffer.restyle(dimArea) { style in
                style.attributes.insert(.dim)
                style.fg = .default
            }
        }
    }

    private func drawWidget(in area: Rect, into buffer: inout Buffer) {
        switch data.kind {
        case .stat: StatWidget(data: data, caps: caps).render(in: area, into: &buffer)
        case .graph: GraphWidget(data: data, caps: caps, zoomed: zoomed).render(in: area, into: &buffer)
        case .gauge: GaugeWidget(data: data, caps: caps).render(in: area, into: &buffer)
        case .table: TableWidget(data: data, caps: caps).render(in: area, into: &buffer)
        case .text: WrappedTextWidget.render(data.text ?? "", in: area, into: &buffer, glyphs: glyphs)
        case .alerts: AlertListWidget(rows: data.alerts, caps: caps).render(in: area, into: &buffer)
        case .barList(let share): BarListWidget(data: data, caps: caps, showShare: share).render(in: area, into: &buffer)
        case .heatmap: HeatmapWidget(data: data, caps: caps).render(in: area, into: &buffer)
        case .row, .placeholder: break
        }
    }
}

/// A state message centred in the panel (`no data`, `error: timeout after 2s`), wrapped when long.
enum StateText {
    static func render(_ message: String, style: Style, in area: Rect, into buffer: inout Buffer, glyphs: Glyphs) {
        guard !area.isEmpty else { return }
        let lines = wrap(Sanitize.text(message), width: area.width, maxLines: area.height, ellipsis: glyphs.ellipsis)
        let top = area.y + Swift.max(0, (area.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = area.x + Swift.max(0, (area.width - Sanitize.width(line)) / 2)
            buffer.setString(x, top + i, line, style: style, maxWidth: area.maxX - x, ellipsis: glyphs.ellipsis)
        }
    }

    /// Greedy word wrap of safe text; the last line is cut with `…` when more remains.
    static func wrap(_ text: String, width: Int, maxLines: Int, ellipsis: Character = "…") -> [String] {
        guard width > 0, maxLines > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            while Sanitize.width(word) > width {
                if !current.isEmpty { lines.append(current); current = "" }
                let head = columnsPrefix(word, width)
                lines.append(head)
                word = String(word.dropFirst(head.count))
            }
            if current.isEmpty {
                current = word
            } else if Sanitize.width(current) + 1 + Sanitize.width(word) <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            var kept = Array(lines.prefix(maxLines))
            let last = kept.removeLast()
            kept.append(Sanitize.width(last) + 2 <= width ? last + " " + String(ellipsis)
                        : columnsPrefix(last, width - 1, atLeastOne: false) + String(ellipsis))
            return kept
        }
        return lines
    }

    /// The longest head of `text` within `columns` (wide characters take two, and are never split);
    /// with `atLeastOne`, one character even when it is wider, so that wrapping always advances.
    static func columnsPrefix(_ text: String, _ columns: Int, atLeastOne: Bool = true) -> String {
        var head = ""
        var used = 0
        for c in text {
            let w = CharacterWidth.columns(c)
            guard used + w <= columns || (atLeastOne && head.isEmpty) else { break }
            head.append(c)
            used += w
        }
        return head
    }
}
