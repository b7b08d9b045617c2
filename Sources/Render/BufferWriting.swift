/// Writers on the frozen `Buffer` (additive): every string goes through `Sanitize` on its way in.
extension Buffer {
    /// Writes `text` from (x, y) to the right, at most `maxWidth` columns (and never past the buffer),
    /// cutting with `…` when it does not fit. Returns the columns used.
    @discardableResult
    public mutating func setString(_ x: Int, _ y: Int, _ text: String, style: Style = .plain,
                                   maxWidth: Int = Int.max, ellipsis: Character = "…") -> Int {
        guard y >= 0, y < height, maxWidth > 0, x < width else { return 0 }
        let room = Swift.min(maxWidth, width - x)
        // Simple text that fits is safe and uncut as it is: measured once here instead of by
        // `Sanitize.text`, `fit` and the check below in turn.
        let measured = SimpleText.columns(text).flatMap { $0 <= room ? $0 : nil }
        let safe = measured != nil ? text : Sanitize.fit(Sanitize.text(text), to: room, ellipsis: ellipsis)
        if let columns = measured ?? SimpleText.columns(safe) {
            // One cell per scalar, all within `room` (measured, or cut by `fit`): no grapheme breaking or widths,
            // and no `Character` made: the scalars are stored packed.
            storeText(safe, x: x, y: y, from: Swift.max(x, 0), to: x + columns, style: style)
            return columns
        }
        var column = x
        for character in safe {
            column += put(text: character, column, y, style: style, clip: Rect(x: x, y: y, width: room, height: 1))
        }
        return column - x
    }

    /// Puts one safe character at (x, y) within `clip`, as one cell or a wide cell and its
    /// continuation; a wide character with one column left becomes a space. Returns columns taken.
    private mutating func put(text character: Character, _ x: Int, _ y: Int, style: Style, clip: Rect) -> Int {
        let columns = CharacterWidth.columns(character)
        guard x >= clip.x, x < clip.maxX, y >= clip.y, y < clip.maxY, x >= 0, x < width else { return columns }
        if columns == 2 {
            guard x + 1 < clip.maxX, x + 1 < width else {
                self[x, y] = Cell(" ", style: style)
                return columns
            }
            var cell = Cell(character, style: style)
            cell.columns = 2
            self[x, y] = cell
            self[x + 1, y] = .continuation(style: style)
        } else {
            self[x, y] = Cell(character, style: style)
        }
        return columns
    }

    /// Writes text clipped to `area` (one line), right-aligned when `alignRight`. Returns columns used.
    @discardableResult
    public mutating func setString(_ text: String, in area: Rect, line: Int = 0, style: Style = .plain,
                                   alignRight: Bool = false, ellipsis: Character = "…") -> Int {
        let clip = area.intersection(self.area)
        let y = area.y + line
        guard !clip.isEmpty, y >= clip.y, y < clip.maxY else { return 0 }
        // As above: simple text that fits is measured once.
        let measured = SimpleText.columns(text).flatMap { $0 <= area.width ? $0 : nil }
        let safe = measured != nil ? text : Sanitize.fit(Sanitize.text(text), to: area.width, ellipsis: ellipsis)
        if let columns = measured ?? SimpleText.columns(safe) {
            let start = alignRight ? area.maxX - columns : area.x
            let from = Swift.max(start, clip.x), to = Swift.min(start + columns, clip.maxX)
            guard from < to else { return 0 }
            storeText(safe, x: start, y: y, from: from, to: to, style: style)
            return to - from
        }
        let columns = safe.reduce(0) { $0 + CharacterWidth.columns($1) }
        let start = alignRight ? area.maxX - columns : area.x
        var used = 0
        var x = start
        for character in safe {
            let taken = put(text: character, x, y, style: style, clip: clip)
            if x >= clip.x && x < clip.maxX { used += Swift.min(taken, clip.maxX - x) }
            x += taken
        }
        return used
    }

    /// Fills `area` (clipped) with `cell`.
    public mutating func fill(_ area: Rect, with cell: Cell = .blank) {
        let clip = area.intersection(self.area)
        guard !clip.isEmpty else { return }
        let value = Buffer.pack(cell, clusters: &clusters)
        guard cell.columns == 1, clip.width > 2 else {
            for y in clip.y..<clip.maxY {
                for x in clip.x..<clip.maxX { store(value, x: x, y: y) }
            }
            return
        }
        // Only the edges can cut a wide character in half (`store` mends the half outside);
        // the cells between are plain stores. Every panel clears its area this way on every frame.
        for y in clip.y..<clip.maxY {
            store(value, x: clip.x, y: y)
            storeRun(value, y: y, from: clip.x + 1, to: clip.maxX - 1)
            store(value, x: clip.maxX - 1, y: y)
        }
    }

    /// Applies `change` to the style of every cell in `area` (clipped): dimming, highlighting.
    public mutating func restyle(_ area: Rect, _ change: (inout Style) -> Void) {
        let clip = area.intersection(self.area)
        // Glyphs and widths stay as they are, so each word is written back in place: through
        // `store`, reaching a wide character's right half blanked its left half.
        let keep = PackedCell.glyphMask | PackedCell.columnsMask
        for y in clip.y..<clip.maxY {
            for x in clip.x..<clip.maxX {
                let old = packed[y * width + x]
                var style = old.style
                change(&style)
                packed[y * width + x] = PackedCell(bits: old.bits & keep | PackedCell.bits(style: style, columns: 0))
            }
        }
    }

    /// Puts one trusted glyph (a widget's own drawing character), clipped to `clip`.
    mutating func put(_ character: Character, _ x: Int, _ y: Int, style: Style, clip: Rect) {
        guard x >= clip.x, x < clip.maxX, y >= clip.y, y < clip.maxY else { return }
        // Glyphs are nearly always one scalar: stored packed, without a `Cell` in between.
        if let scalar = character.singleScalar, x >= 0, y >= 0, x < width, y < height {
            store(PackedCell(scalar: scalar, styleBits: PackedCell.bits(style: style, columns: 1)), x: x, y: y)
        } else {
            self[x, y] = Cell(character, style: style)
        }
    }

    /// `character` in `style` packed, to be put many times with `put(packed:)`.
    mutating func packed(_ character: Character, style: Style) -> PackedCell {
        Buffer.pack(Cell(character, style: style), clusters: &clusters)
    }

    /// `put` for a cell packed by `packed(_:style:)`.
    mutating func put(packed value: PackedCell, _ x: Int, _ y: Int, clip: Rect) {
        guard x >= clip.x, x < clip.maxX, y >= clip.y, y < clip.maxY, x >= 0, y >= 0, x < width, y < height else { return }
        store(value, x: x, y: y)
    }

    /// `put` for a one-scalar glyph, stored without making a `Character`.
    mutating func put(scalar: Unicode.Scalar, _ x: Int, _ y: Int, style: Style, clip: Rect) {
        guard x >= clip.x, x < clip.maxX, y >= clip.y, y < clip.maxY, x >= 0, y >= 0, x < width, y < height else { return }
        store(PackedCell(scalar: scalar, styleBits: PackedCell.bits(style: style, columns: 1)), x: x, y: y)
    }

    /// Brings every colour within what the terminal has: none at all for `colors == 0` (`NO_COLOR`,
    /// `--color never`; attributes such as bold stay, so FIRING still stands out), the eight basic
    /// colours for `colors == 8`.
    public mutating func fitColors(to caps: TerminalCaps) {
        guard caps.colors < 256 else { return }
        restyle(area) { style in
            if caps.colors == 0 {
                style.fg = .default
                style.bg = .default
            } else {
                style.fg = style.fg.basic
                style.bg = style.bg.basic
            }
        }
    }

    /// ASCII safety net for terminals without UTF-8: any non-ASCII character left in `area` becomes
    /// its ASCII stand-in, so `LANG=C` never shows mojibake.
    public mutating func asciiOnly(_ area: Rect) {
        let clip = area.intersection(self.area)
        for y in clip.y..<clip.maxY {
            for x in clip.x..<clip.maxX {
                let cell = self[x, y]
                guard !cell.character.isASCII || cell.columns != 1 else { continue }
                // A wide character's continuation becomes a plain space beside its stand-in.
                let stand = cell.columns == 0 ? " " : Glyphs.asciiStandIn(cell.character)
                self[x, y] = Cell(stand, style: cell.style)
            }
        }
    }
}
