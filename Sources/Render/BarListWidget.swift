/// Grafana's bar gauge and pie chart as a terminal shows them best: one line per series, largest first,
/// `name ██████░░░░ value`, bars on one scale from 0 (or min) to the largest value (or max). A pie chart
/// adds each series' share of the total (`42%`), which is what its slices say.
struct BarListWidget {
    let data: PanelData
    let caps: TerminalCaps
    /// Pie charts show shares of the total.
    let showShare: Bool

    var glyphs: Glyphs { Glyphs.forCaps(caps) }

    /// The series by value, largest first; series without a value last, in their order.
    static func sorted(_ series: [SeriesData]) -> [SeriesData] {
        series.enumerated().sorted { a, b in
            let va = a.element.lastValue.flatMap { $0.isNaN ? nil : $0 }
            let vb = b.element.lastValue.flatMap { $0.isNaN ? nil : $0 }
            switch (va, vb) {
            case let (x?, y?): return x != y ? x > y : a.offset < b.offset
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a.offset < b.offset
            }
        }.map(\.element)
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard area.width > 2, area.height > 0 else { return }
        let all = Self.sorted(data.series)
        let overflow = all.count > area.height && area.height > 1
        let shown = Array(all.prefix(overflow ? area.height - 1 : area.height))
        let finite = all.compactMap(\.lastValue).filter(\.isFinite)
        let total = finite.filter { $0 > 0 }.reduce(0, +)
        let lo = data.min ?? Swift.min(0, finite.min() ?? 0)
        var hi = data.max ?? finite.max() ?? 1
        if !(hi > lo) { hi = lo + 1 }
        let names = shown.map { Sanitize.text($0.name) }
        let values = shown.map { s -> String in
            let v = s.lastValue ?? .nan
            var text = s.displayText.map(Sanitize.text) ?? data.unit.format(v, decimals: data.decimals)
            if showShare, total > 0, v.isFinite, v >= 0 {
                text += " " + NumberText.format(v / total * 100, decimals: 0) + "%"
            }
            return text
        }
        let inner = area.width - 2
        let nameWidth = Swift.min(names.map(Sanitize.width).max() ?? 0, inner / 3)
        let valueWidth = Swift.min(values.map(Sanitize.width).max() ?? 0, inner / 3)
        for (i, s) in shown.enumerated() {
            let y = area.y + i
            let value = s.lastValue ?? .nan
            let color = ThresholdColor.of(value, data.thresholds) ?? .default
            var x = area.x + 1
            if nameWidth > 0 {
                buffer.setString(x, y, names[i], maxWidth: nameWidth, ellipsis: glyphs.ellipsis)
                x += nameWidth + 1
            }
            let barWidth = area.maxX - 1 - valueWidth - 1 - x
            if barWidth > 0 {
                let share = value.isFinite ? Swift.min(1, Swift.max(0, (value - lo) / (hi - lo))) : 0
                let filled = Int((share * Double(barWidth)).rounded())
                HorizontalBar.draw(filled: filled, width: barWidth, x: x, y: y, color: color, glyphs: glyphs,
                                   into: &buffer)
            }
            buffer.setString(values[i], in: Rect(x: area.maxX - 1 - valueWidth, y: y, width: valueWidth, height: 1),
                             style: Style(fg: color, attributes: .bold), alignRight: true, ellipsis: glyphs.ellipsis)
        }
        if overflow {
            buffer.setString(area.x + 1, area.maxY - 1, "+\(all.count - shown.count) more", style: Palette.dim,
                             maxWidth: area.width - 2)
        }
    }
}
