/// Alert list: `FIRING  critical  HighErrorRate  3m  4.9 %` per alert, firing first; FIRING red,
/// pending yellow, resolved green. The summary follows when the panel is wide.
struct AlertListWidget {
    let rows: [AlertRow]
    let caps: TerminalCaps

    var glyphs: Glyphs { Glyphs.forCaps(caps) }

    static func rank(_ s: AlertRowState) -> Int {
        switch s {
        case .firing: return 0
        case .pending: return 1
        case .resolved: return 2
        case .inactive: return 3
        }
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        guard !rows.isEmpty else {
            buffer.setString(area.x + 1, area.y, "no alerts", style: Palette.ok, maxWidth: area.width - 1)
            return
        }
        let sorted = rows.enumerated().sorted { (Self.rank($0.element.state), $0.offset) < (Self.rank($1.element.state), $1.offset) }
            .map(\.element)
        let inner = area.width - 2
        // Fixed columns first; the name takes what is left (up to 24), severity goes when narrow,
        // the summary comes when wide.
        let sinceWidth = sorted.map { Sanitize.width(TimeText.age(seconds: $0.sinceSeconds)) }.max() ?? 0
        let valueWidth = Swift.min(12, sorted.map { Sanitize.width($0.valueText) }.max() ?? 0)
        var severityWidth = Swift.min(10, sorted.map { Sanitize.width($0.severity) }.max() ?? 0)
        let stateWidth = 8
        func fixed() -> Int { stateWidth + 2 + (severityWidth > 0 ? severityWidth + 2 : 0) + sinceWidth + 2 + valueWidth }
        let longestName = sorted.map { Sanitize.width($0.name) }.max() ?? 0
        if inner - fixed() < Swift.min(longestName, 12) { severityWidth = 0 }
        let nameWidth = Swift.max(1, Swift.min(24, longestName, inner - fixed() - 2))
        // One line only: the most severe alert beats a "+N more" line.
        let overflow = sorted.count > area.height && area.height > 1
        let shown = overflow ? area.height - 1 : Swift.min(sorted.count, area.height)
        for (i, row) in sorted.prefix(shown).enumerated() {
            var cells: [(String, Int, Style, Bool)] = [
                (stateText(row.state), stateWidth, stateStyle(row.state), false),
                (row.severity, severityWidth, row.state == .firing ? .plain : Palette.dim, false),
                (row.name, nameWidth, Style(attributes: .bold), false),
                (TimeText.age(seconds: row.sinceSeconds), sinceWidth, Palette.dim, true),
                (row.valueText, valueWidth, .plain, true),
            ]
            let used = cells.reduce(0) { $0 + ($1.1 > 0 ? $1.1 + 2 : 0) }
            if !row.summary.isEmpty, inner - used > 12 { cells.append((row.summary, inner - used, Palette.dim, false)) }
            var x = area.x + 1
            for (text, width, style, right) in cells where width > 0 {
                let w = Swift.min(width, area.maxX - 1 - x)
                guard w > 0 else { break }
                buffer.setString(text, in: Rect(x: x, y: area.y + i, width: w, height: 1), style: style,
                                 alignRight: right, ellipsis: glyphs.ellipsis)
                x += width + 2
            }
        }
        if overflow, area.height >= 1 {
            buffer.setString(area.x + 1, area.y + shown, "+\(sorted.count - shown) more", style: Palette.dim,
                             maxWidth: area.width - 1)
        }
    }

    private func stateText(_ s: AlertRowState) -> String {
        switch s {
        case .firing: return "FIRING"
        case .pending: return "pending"
        case .resolved: return "resolved"
        case .inactive: return "ok"
        }
    }

    private func stateStyle(_ s: AlertRowState) -> Style {
        switch s {
        case .firing: return Palette.error
        case .pending: return Palette.warning
        case .resolved: return Palette.ok
        case .inactive: return Palette.dim
        }
    }
}
