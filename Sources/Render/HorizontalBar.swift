/// A one-row bar of `width` cells from (x, y): the first `filled` cells in `color`, the rest dim.
/// The gauge's bars and the bar list draw the same bar.
enum HorizontalBar {
    static func draw(filled: Int, width: Int, x: Int, y: Int, color: Color, glyphs: Glyphs, into buffer: inout Buffer) {
        guard width > 0 else { return }
        let clip = Rect(x: x, y: y, width: width, height: 1)
        for i in 0..<width {
            if i < filled {
                buffer.put(glyphs.filled, x + i, y, style: Style(fg: color), clip: clip)
            } else {
                buffer.put(glyphs.empty, x + i, y, style: Palette.dim, clip: clip)
            }
        }
    }
}
