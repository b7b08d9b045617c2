/// The one-line prompt above the status line, its completion list above it and, on a parse error,
/// a caret under the column with the message.
public func renderPrompt(_ prompt: PromptView, in body: Rect, into buffer: inout Buffer, caps: TerminalCaps = .full) {
    PromptWidget(prompt: prompt, caps: caps).render(in: body.intersection(buffer.area), into: &buffer)
}

/// The query inspector (`e`), a box over the panels.
public func renderInspector(_ view: InspectorView, in body: Rect, into buffer: inout Buffer, caps: TerminalCaps = .full) {
    InspectorWidget(view: view, caps: caps).render(in: body.intersection(buffer.area), into: &buffer)
}

struct PromptWidget {
    let prompt: PromptView
    let caps: TerminalCaps

    func render(in body: Rect, into buffer: inout Buffer) {
        guard body.height >= 2, body.width >= 8 else { return }
        let g = Glyphs.forCaps(caps)
        let errorRow = prompt.error == nil ? 0 : 1
        let y = body.maxY - 1 - errorRow
        let line = Rect(x: body.x, y: y, width: body.width, height: 1 + errorRow)
        buffer.fill(line)
        let textX = body.x + 3
        buffer.setString(body.x + 1, y, String(prompt.leader), style: Style(attributes: .bold))
        // The text scrolls left when the caret would run off the line.
        let room = body.maxX - 1 - textX
        let chars = Array(Sanitize.text(prompt.text))
        let caret = Swift.max(0, Swift.min(chars.count, prompt.caret))
        let shift = Swift.max(0, caret - room + 1)
        let visible = String(chars.dropFirst(shift).prefix(room))
        buffer.setString(textX, y, visible, maxWidth: room)
        let caretX = textX + caret - shift
        var cell = buffer[caretX, y]
        cell.style.attributes.insert(.reverse)
        buffer.put(cell.character, caretX, y, style: cell.style, clip: body)
        if let error = prompt.error {
            let col = textX + Swift.max(0, error.column - 1) - shift
            let caretCol = Swift.max(textX, Swift.min(body.maxX - 2, col))
            buffer.put("^", caretCol, y + 1, style: Palette.error, clip: body)
            buffer.setString(caretCol + 2, y + 1, Sanitize.text(error.message), style: Palette.error,
                             maxWidth: body.maxX - caretCol - 3, ellipsis: g.ellipsis)
        }
        drawCompletions(above: y, in: body, into: &buffer, glyphs: g)
        if !caps.unicode { buffer.asciiOnly(Rect(x: body.x, y: body.y, width: body.width, height: body.height)) }
    }

    private func drawCompletions(above y: Int, in body: Rect, into buffer: inout Buffer, glyphs g: Glyphs) {
        guard !prompt.completions.isEmpty else { return }
        let maxRows = body.height >= 26 ? 6 : 3
        let shown = Array(prompt.completions.prefix(maxRows))
        let nameWidth = shown.map { Sanitize.text($0.0).count }.max() ?? 0
        let kindWidth = shown.map { $0.1.count }.max() ?? 0
        let width = Swift.min(body.width - 2, nameWidth + (kindWidth > 0 ? kindWidth + 2 : 0) + 4)
        let height = shown.count + 2
        let top = y - height
        guard top >= body.y, width >= 6 else { return }
        let more = prompt.completions.count > shown.count ? " (+\(prompt.completions.count - shown.count))" : ""
        let box = Rect(x: body.x + 1, y: top, width: width, height: height)
        buffer.fill(box)
        let inner = Frame.render(title: "completions" + more, in: box, into: &buffer, selected: false, glyphs: g)
        for (i, item) in shown.enumerated() {
            let style = i == 0 ? Style(attributes: .bold) : .plain
            buffer.setString(inner.x + 1, inner.y + i, item.0, style: style, maxWidth: Swift.min(nameWidth, inner.width - 1),
                             ellipsis: g.ellipsis)
            if kindWidth > 0 {
                let kx = inner.x + 1 + nameWidth + 2
                buffer.setString(kx, inner.y + i, item.1, style: Palette.dim, maxWidth: inner.maxX - kx)
            }
        }
    }
}

struct InspectorWidget {
    let view: InspectorView
    let caps: TerminalCaps

    func render(in body: Rect, into buffer: inout Buffer) {
        let w = Swift.max(0, Swift.min(body.width - 2, Swift.max(60, body.width * 9 / 10)))
        let h = Swift.max(0, Swift.min(body.height, Swift.max(10, body.height * 9 / 10)))
        let box = Rect(x: body.x + (body.width - w) / 2, y: body.y + (body.height - h) / 2, width: w, height: h)
        guard box.width >= 10, box.height >= 4 else { return }
        let g = Glyphs.forCaps(caps)
        buffer.fill(box)
        let inner = Frame.render(title: "Inspect: " + view.title, in: box, into: &buffer, selected: true, glyphs: g)
        let text = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        var lines: [[Cell]] = []
        for expr in view.expressions {
            lines += QueryHighlight.wrap(QueryHighlight.cells(Sanitize.text(expr)), width: text.width)
        }
        lines.append([])
        lines += StateText.wrap(Sanitize.text(view.facts), width: text.width, maxLines: 3, ellipsis: g.ellipsis)
            .map { plainCells($0, Palette.dim) }
        if !view.rows.isEmpty {
            lines.append([])
            lines += view.rows.map { plainCells(Sanitize.fit(Sanitize.text($0), to: text.width, ellipsis: g.ellipsis), .plain) }
        }
        // The error line(s) and the footer are kept at the bottom whatever the expression's length.
        var bottom: [[Cell]] = []
        if let problem = view.problem {
            bottom += StateText.wrap(Sanitize.text(problem), width: text.width, maxLines: Swift.max(1, text.height / 3),
                                     ellipsis: g.ellipsis).map { plainCells($0, Palette.error) }
        }
        if let footer = view.footer { bottom.append(plainCells(Sanitize.text(footer), Palette.dim)) }
        let room = Swift.max(0, text.height - bottom.count)
        for (i, cells) in lines.prefix(room).enumerated() { put(cells, x: text.x, y: text.y + i, text: text, into: &buffer) }
        for (i, cells) in bottom.enumerated() {
            put(cells, x: text.x, y: text.maxY - bottom.count + i, text: text, into: &buffer)
        }
        if !caps.unicode { buffer.asciiOnly(box) }
    }

    private func plainCells(_ s: String, _ style: Style) -> [Cell] { s.map { Cell($0, style: style) } }

    private func put(_ cells: [Cell], x: Int, y: Int, text: Rect, into buffer: inout Buffer) {
        for (k, cell) in cells.prefix(text.width).enumerated() {
            buffer.put(cell.character, x + k, y, style: cell.style, clip: text)
        }
    }
}

/// A small PromQL highlighter for display: functions, strings, numbers and punctuation told apart.
/// It only colours safe text; it does not parse (a broken expression still shows, uncoloured where odd).
enum QueryHighlight {
    static let keywords: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right", "bool",
                                        "and", "or", "unless", "offset"]

    static func cells(_ text: String) -> [Cell] {
        let chars = Array(text)
        var out: [Cell] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\"" || c == "'" || c == "`" {
                var j = i + 1
                while j < chars.count, chars[j] != c { j += chars[j] == "\\" ? 2 : 1 }
                j = Swift.min(chars.count, j + 1)
                out += chars[i..<j].map { Cell($0, style: Style(fg: .green)) }
                i = j
            } else if c.isLetter || c == "_" || c == ":" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == ":" { j += 1 }
                let word = String(chars[i..<j])
                var k = j
                while k < chars.count, chars[k] == " " { k += 1 }
                let style: Style
                if keywords.contains(word.lowercased()) { style = Style(attributes: .bold) }
                else if k < chars.count, chars[k] == "(" { style = Style(fg: .cyan) }
                else { style = .plain }
                out += word.map { Cell($0, style: style) }
                i = j
            } else if c.isNumber {
                var j = i
                while j < chars.count, chars[j].isNumber || chars[j].isLetter || chars[j] == "." { j += 1 }
                out += chars[i..<j].map { Cell($0, style: Style(fg: .magenta)) }
                i = j
            } else {
                out.append(Cell(c, style: "(){}[],".contains(c) ? Palette.dim : .plain))
                i += 1
            }
        }
        return out
    }

    /// Breaks a line of cells into lines of `width`, after a space or comma where one is near.
    static func wrap(_ cells: [Cell], width: Int) -> [[Cell]] {
        guard width > 0 else { return [] }
        var lines: [[Cell]] = []
        var rest = cells[...]
        while rest.count > width {
            let window = rest.prefix(width)
            let breakAt = window.lastIndex { $0.character == " " || $0.character == "," }
                .flatMap { $0 - rest.startIndex >= width / 2 ? $0 + 1 : nil } ?? (rest.startIndex + width)
            lines.append(Array(rest[rest.startIndex..<breakAt]))
            rest = rest[breakAt...]
        }
        lines.append(Array(rest))
        return lines
    }
}
