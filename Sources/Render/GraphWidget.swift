/// Graph: multi-series line graph with a y-axis in the unit, HH:MM time labels, threshold lines and
/// a legend with the last value. Short panels (< 6 rows inside, unless zoomed) become one sparkline
/// row per series: `P95 ▂▃▅▇▆ 380 ms`.
struct GraphWidget {
    let data: PanelData
    let caps: TerminalCaps
    let zoomed: Bool

    static let sparklineModeBelow = 6
    var glyphs: Glyphs { Glyphs.forCaps(caps) }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty, !data.series.isEmpty else { return }
        // Short panels, or too few rows to tell several lines apart: one sparkline row per series.
        let crowded = data.series.count >= 2 && area.height < data.series.count * 3
        if (area.height < Self.sparklineModeBelow || crowded) && !zoomed {
            renderSparklines(in: area, into: &buffer)
        } else {
            renderPlot(in: area, into: &buffer)
        }
    }

    func color(_ index: Int) -> Color { Palette.series(index, caps: caps) }
    func mark(_ index: Int) -> Character { ["*", "+", "o", "x", "#", "%"][index % 6] }

    func valueText(_ v: Double?) -> String { data.unit.format(v ?? .nan, decimals: data.decimals) }

    /// Threshold colour for a value, or the plain foreground: colour means state.
    func valueStyle(_ v: Double?) -> Style {
        Style(fg: ThresholdColor.of(v, data.thresholds) ?? .default, attributes: .bold)
    }

    // MARK: sparkline rows

    private func renderSparklines(in area: Rect, into buffer: inout Buffer) {
        // More series than rows: the last row lists the rest by name and value, so none goes missing.
        let overflow = data.series.count > area.height
        let shown = Array(data.series.prefix(overflow ? area.height - 1 : area.height))
        if overflow {
            let rest = data.series.enumerated().dropFirst(shown.count).map { i, s in
                LegendLine.Entry(marker: caps.unicode ? "●" : mark(i), color: color(i), text: Sanitize.text(s.name),
                                 valueText: valueText(s.lastValue), valueStyle: valueStyle(s.lastValue))
            }
            LegendLine(entries: rest).draw(x: area.x + 1, y: area.maxY - 1, limit: area.maxX - 1, into: &buffer, glyphs: glyphs)
        }
        let names = shown.map { Sanitize.text($0.name) }
        let values = shown.map { valueText($0.lastValue) }
        let nameWidth = Swift.min(names.map(Sanitize.width).max() ?? 0, area.width / 4)
        let valueWidth = Swift.min(values.map(Sanitize.width).max() ?? 0, area.width / 3)
        let sparkX = area.x + 1 + (nameWidth > 0 ? nameWidth + 1 : 0)
        let sparkWidth = area.maxX - 1 - valueWidth - 1 - sparkX
        let columns = shown.map { Resample.columns($0.points, count: Swift.max(0, sparkWidth), window: data.timeWindow) }
        // One scale for all rows, so P50 reads lower than P99.
        let range = Resample.range(columns)
        for (i, series) in shown.enumerated() {
            let y = area.y + i
            if nameWidth > 0 {
                buffer.setString(area.x + 1, y, names[i], style: Style(fg: color(i)), maxWidth: nameWidth,
                                 ellipsis: glyphs.ellipsis)
            }
            if sparkWidth > 0, let range {
                let chars = Sparkline.characters(columns[i], lo: range.lo, hi: range.hi, glyphs: glyphs)
                for (k, c) in chars.enumerated() where c != " " {
                    buffer.put(c, sparkX + k, y, style: Style(fg: color(i)), clip: area)
                }
            }
            let valueArea = Rect(x: area.maxX - 1 - valueWidth, y: y, width: valueWidth, height: 1)
            buffer.setString(values[i], in: valueArea, style: valueStyle(series.lastValue), alignRight: true,
                             ellipsis: glyphs.ellipsis)
        }
        // Spare rows: time labels under the sparklines, as on a graph.
        var axisY: Int?
        if !overflow, area.height > shown.count, sparkWidth > 0, let window = data.timeWindow, window.endMs > window.startMs {
            TimeAxis.draw(window: window, x: sparkX, y: area.y + shown.count, width: sparkWidth, into: &buffer, clip: area)
            axisY = area.y + shown.count
        }
        drawSparklineInvestigation(sparkX: sparkX, sparkWidth: sparkWidth, rows: shown.count, top: area.y, axisY: axisY,
                                   area: area, into: &buffer)
    }

    // MARK: full plot

    private func renderPlot(in area: Rect, into buffer: inout Buffer) {
        let legendLines = legend(width: area.width - 2)
        let legendHeight = Swift.min(legendLines.count, zoomed ? area.height / 2 : Swift.max(1, area.height / 4))
        let plotHeight = area.height - legendHeight - 1  // one line of time labels
        guard plotHeight >= 1 else { return }
        let window = effectiveWindow()
        let (lo, hi) = yRange()
        let labels = axisLabels(lo: lo, hi: hi, rows: plotHeight)
        let labelWidth = Swift.min(labels.map { Sanitize.width($0.text) }.max() ?? 0, area.width / 3)
        let plotX = area.x + labelWidth + 1
        let plotWidth = area.maxX - plotX
        guard plotWidth >= 1 else { return }
        for label in labels {
            buffer.setString(label.text, in: Rect(x: area.x, y: area.y + label.row, width: labelWidth, height: 1),
                             style: Palette.dim, alignRight: true)
        }
        var canvas = PlotCanvas(width: plotWidth, height: plotHeight, braille: caps.unicode)
        for (i, series) in data.series.enumerated().reversed() where !series.hidden {
            canvas.plot(dots(series.points, canvas: canvas, window: window, lo: lo, hi: hi), color: color(i), mark: mark(i))
        }
        for step in data.thresholds {
            guard let value = step.value, let row = canvas.row(of: value, lo: lo, hi: hi) else { continue }
            canvas.thresholdLine(atDotRow: row, color: step.color)
        }
        canvas.draw(at: plotX, area.y, into: &buffer, clip: area)
        if let window {
            TimeAxis.draw(window: window, x: plotX, y: area.y + plotHeight, width: plotWidth, into: &buffer, clip: area)
        }
        drawInvestigation(plot: Rect(x: plotX, y: area.y, width: plotWidth, height: plotHeight), axisY: area.y + plotHeight,
                          window: window, area: area, into: &buffer)
        for (i, line) in legendLines.prefix(legendHeight).enumerated() {
            line.draw(x: area.x + 1, y: area.y + plotHeight + 1 + i, limit: area.maxX - 1, into: &buffer, glyphs: glyphs)
        }
    }

    /// Dot positions of the points in the window; nil where the line must break (NaN, or a gap longer
    /// than 2.5 times the usual step between samples).
    private func dots(_ points: [DataPoint], canvas: PlotCanvas, window: TimeWindow?, lo: Double, hi: Double)
        -> [(x: Int, y: Int)?] {
        let columns = canvas.dotColumns
        guard columns > 0 else { return [] }
        let visible = window.map { w in points.filter { $0.t >= w.startMs && $0.t <= w.endMs } } ?? Array(points.suffix(1))
        var steps: [Double] = []
        for k in visible.indices.dropFirst() { steps.append(Double(visible[k].t) - Double(visible[k - 1].t)) }
        steps.sort()
        let usual = steps.isEmpty ? 0 : steps[steps.count / 2]
        var result: [(x: Int, y: Int)?] = []
        var lastT: Int64?
        for p in visible {
            guard p.v.isFinite, let y = canvas.row(of: Swift.min(hi, Swift.max(lo, p.v)), lo: lo, hi: hi) else {
                result.append(nil)
                continue
            }
            if let lastT, usual > 0, Double(p.t) - Double(lastT) > usual * 2.5 { result.append(nil) }
            let x: Int
            if let w = window {
                x = Int(((Double(p.t) - Double(w.startMs)) / w.spanMs * Double(columns - 1)).rounded())
            } else {
                x = columns - 1
            }
            result.append((Swift.max(0, Swift.min(columns - 1, x)), y))
            lastT = p.t
        }
        return result
    }

    /// The window to place points in: the panel's, or the span of the points.
    private func effectiveWindow() -> TimeWindow? {
        if let w = data.timeWindow, w.endMs > w.startMs { return w }
        let times = data.series.flatMap { $0.points.map(\.t) }
        guard let first = times.min(), let last = times.max(), last > first else { return nil }
        return TimeWindow(startMs: first, endMs: last)
    }

    /// The y range: the panel's min/max where given, the data otherwise; a flat series gets room around it;
    /// non-negative data whose minimum is near zero starts at zero.
    func yRange() -> (Double, Double) {
        let values = data.series.filter { !$0.hidden }.flatMap { $0.points.map(\.v) }.filter(\.isFinite)
        var lo = data.min ?? values.min() ?? 0
        var hi = data.max ?? values.max() ?? 1
        if data.min == nil, lo >= 0, lo < (hi - lo) * 0.5 { lo = 0 }
        if !(hi > lo) {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= data.min == nil ? pad : 0
            hi += pad
        }
        // Round outwards to a nice step so the axis reads 0 / 1 s / 2 s rather than 0 / 1.01 s / 2.02 s.
        if let step = NiceNumber.step(for: (hi - lo) / 4) {
            let niceLo = (lo / step).rounded(.down) * step, niceHi = (hi / step).rounded(.up) * step
            if data.min == nil, niceLo.isFinite { lo = niceLo }
            if data.max == nil, niceHi.isFinite { hi = niceHi }
        }
        if !(hi - lo).isFinite {  // ±huge values: keep the arithmetic finite
            lo = Swift.max(lo, -Double.greatestFiniteMagnitude / 4)
            hi = Swift.min(hi, Double.greatestFiniteMagnitude / 4)
        }
        return (lo, hi)
    }

    private func axisLabels(lo: Double, hi: Double, rows: Int) -> [(row: Int, text: String)] {
        var labels = [(row: 0, text: valueText(hi))]
        if rows >= 5 { labels.append((row: (rows - 1) / 2, text: valueText((lo + hi) / 2))) }
        if rows >= 2 { labels.append((row: rows - 1, text: valueText(lo))) }
        return labels
    }
}

/// 1, 2, 2.5 or 5 times a power of ten: steps a reader can add up at a glance.
enum NiceNumber {
    static func step(for raw: Double) -> Double? {
        guard raw > 0, raw.isFinite, raw > 1e-300, raw < 1e300 else { return nil }
        let exponent = Int(NumberText.log10Approx(raw).rounded(.down))
        let magnitude = NumberText.pow10(exponent)
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        let step = nice * magnitude
        return step.isFinite && step > 0 ? step : nil
    }
}
