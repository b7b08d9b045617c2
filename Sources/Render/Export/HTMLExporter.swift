/// A frame as a self-contained HTML document: one `<pre>` with inline styles, no script, no
/// stylesheet or font from elsewhere. The output is also well-formed XML (XHTML-compatible), so
/// both HTML parsers and XML tools accept it.
public enum HTMLExporter {
    public static func document(_ buffer: Buffer, title: String = "lookout snapshot") -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/><title>\(MarkupEscape.text(title))</title></head>
            <body style="margin:0;background:\(ExportPalette.defaultBackground)">
            <pre style="margin:0;padding:8px;font-family:monospace;font-size:14px;line-height:1.2;\
            color:\(ExportPalette.defaultForeground);background:\(ExportPalette.defaultBackground)">

            """
        for y in 0..<buffer.height {
            for run in buffer.runs(row: y) {
                let text = MarkupEscape.text(run.text)
                if let css = css(run.style) {
                    out += "<span style=\"\(css)\">\(text)</span>"
                } else {
                    out += text
                }
            }
            out += "\n"
        }
        out += "</pre>\n</body></html>\n"
        return out
    }

    /// Inline CSS for a style; nil for the plain style (the `<pre>`'s own colours).
    static func css(_ style: Style) -> String? {
        guard style != .plain else { return nil }
        let (fg, bg) = ExportPalette.resolved(style)
        var parts = ["color:\(fg)"]
        if bg != ExportPalette.defaultBackground { parts.append("background:\(bg)") }
        if style.attributes.contains(.bold) { parts.append("font-weight:bold") }
        if style.attributes.contains(.dim) { parts.append("opacity:0.6") }
        if style.attributes.contains(.underline) { parts.append("text-decoration:underline") }
        return parts.joined(separator: ";")
    }
}
