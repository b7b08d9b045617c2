/// A one-row bar of `width` cells from (x, y): the first `filled` cells in `color`, the rest dim.
/// The gauge's bars and the bar list draw the same bar.
enum HorizontalBar {
    static func draw(filled: Int, width: Int, x: Int, y: Int, color: Color, glyphs: Glyphs, into buffer: inout Buffer) {
        guard width > 0 else { return }
        let clip = Rect(x: x, y: y, width: width, height: 1)
        // The two cells packed once each, not per cell of the bar.
        let full = buffer.packed(glyphs.filled, style: Style(fg: color))
        let empty = buffer.packed(glyphs.empty, style: Palette.dim)
        for i in 0..<width {
            buffer.put(packed: i < filled ? full : empty, x + i, y, clip: clip)
        }
    }
}
