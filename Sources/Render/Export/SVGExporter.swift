/// A frame as a self-contained SVG image: background rectangles and monospace text per run of one
/// style, every run placed at its column (and stretched to its cells) so that the grid holds in any
/// monospace font. No script, no link, no outside font or image.
public enum SVGExporter {
    /// Cell size in pixels and the font size that fits it.
    public static let cellWidth = 9
    public static let cellHeight = 18
    static let fontSize = 15
    /// The text baseline inside a cell.
    static let baseline = 14

    public static func document(_ buffer: Buffer, title: String = "lookout snapshot") -> String {
        let w = buffer.width * cellWidth, h = buffer.height * cellHeight
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)">
            <title>\(MarkupEscape.text(title))</title>
            <rect width="\(w)" height="\(h)" fill="\(ExportPalette.defaultBackground)"/>
            <g font-family="monospace" font-size="\(fontSize)" xml:space="preserve">

            """
        for y in 0..<buffer.height {
            let runs = buffer.runs(row: y)
            for run in runs {
                let (_, bg) = ExportPalette.resolved(run.style)
                guard bg != ExportPalette.defaultBackground else { continue }
                out += "<rect x=\"\(run.column * cellWidth)\" y=\"\(y * cellHeight)\" "
                    + "width=\"\(run.text.count * cellWidth)\" height=\"\(cellHeight)\" fill=\"\(bg)\"/>\n"
            }
            for run in runs where run.text.contains(where: { $0 != " " }) {
                out += textElement(run, row: y)
            }
        }
        out += "</g>\n</svg>\n"
        return out
    }

    private static func textElement(_ run: StyledRun, row y: Int) -> String {
        let (fg, _) = ExportPalette.resolved(run.style)
        var attrs = "x=\"\(run.column * cellWidth)\" y=\"\(y * cellHeight + baseline)\" fill=\"\(fg)\""
        attrs += " textLength=\"\(run.text.count * cellWidth)\" lengthAdjust=\"spacingAndGlyphs\""
        if run.style.attributes.contains(.bold) { attrs += " font-weight=\"bold\"" }
        if run.style.attributes.contains(.dim) { attrs += " fill-opacity=\"0.6\"" }
        if run.style.attributes.contains(.underline) { attrs += " text-decoration=\"underline\"" }
        return "<text \(attrs)>\(MarkupEscape.text(run.text))</text>\n"
    }
}
