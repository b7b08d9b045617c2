/// A text panel: its plain text (Markdown is made plain when the layout is read) wrapped at word
/// boundaries to the panel's width, line breaks kept; `…` ends the last line when more remains.
enum WrappedTextWidget {
    static func lines(_ text: String, width: Int, height: Int, ellipsis: Character) -> [String] {
        guard width > 0, height > 0 else { return [] }
        var out: [String] = []
        for line in Sanitize.lines(text) {
            if line.allSatisfy({ $0 == " " }) {
                out.append("")
            } else {
                out += StateText.wrap(line, width: width, maxLines: Int.max, ellipsis: ellipsis)
            }
            if out.count > height { break }
        }
        guard out.count > height else { return out }
        var kept = Array(out.prefix(height))
        let last = kept.removeLast()
        kept.append(Sanitize.width(last) + 2 <= width ? last + " " + String(ellipsis)
                    : StateText.columnsPrefix(last, width - 1, atLeastOne: false) + String(ellipsis))
        return kept
    }

    static func render(_ text: String, in area: Rect, into buffer: inout Buffer, glyphs: Glyphs) {
        guard !area.isEmpty else { return }
        // One column of padding on each side when there is room, like the other widgets.
        let pad = area.width > 4 ? 1 : 0
        let width = area.width - 2 * pad
        for (i, line) in lines(text, width: width, height: area.height, ellipsis: glyphs.ellipsis).enumerated() {
            buffer.setString(area.x + pad, area.y + i, line, maxWidth: width, ellipsis: glyphs.ellipsis)
        }
    }
}
