import Testing
@testable import Render

@Suite struct BufferDiffTests {
    @Test func onlyChangedCellsInRowOrder() {
        var a = Buffer(width: 4, height: 2)
        a.setString(0, 0, "abcd")
        var b = a
        b.setString(1, 0, "X")
        b[3, 1] = Cell("y", style: Style(fg: .red))
        b[0, 1] = Cell(" ", style: Style(fg: .red))  // same character, new style
        #expect(b.diff(from: a).map { "\($0.x),\($0.y),\($0.cell.character)" } == ["1,0,X", "0,1, ", "3,1,y"])
        #expect(a.diff(from: a).isEmpty)
    }

    @Test func anotherSizeOrNoPreviousFrameIsEveryCell() {
        let a = Buffer(width: 3, height: 2)
        #expect(a.diff(from: nil).map { "\($0.x),\($0.y)" } == ["0,0", "1,0", "2,0", "0,1", "1,1", "2,1"])
        #expect(a.diff(from: Buffer(width: 2, height: 3)).count == 6)
    }

    /// Cells equal by value but not bit for bit (a long grapheme built twice has its own storage
    /// each time) are not changes; a change in any field still is.
    @Test func equalCellsWithOtherStorageAreNotChangesAndEveryFieldCounts() {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"   // 25 bytes: not a small string
        var a = Buffer(width: 4, height: 1)
        var b = Buffer(width: 4, height: 1)
        a[0, 0] = Cell(Character(String(family.unicodeScalars)))
        b[0, 0] = Cell(Character(String(family.unicodeScalars)))
        #expect(b.diff(from: a).isEmpty)
        b[1, 0] = Cell(" ", style: Style(bg: .indexed(7)))
        b[2, 0] = Cell(" ", style: Style(attributes: .bold))
        b[3, 0].columns = 0
        #expect(b.diff(from: a).map(\.x) == [1, 2, 3])
        a[1, 0] = Cell(" ", style: Style(bg: .indexed(8)))
        #expect(b.diff(from: a).map(\.x) == [1, 2, 3])
    }

    /// `fill` stores its cell over whatever is there, skipping cells that already hold it.
    @Test func fillOverwritesTextAndStylesButKeepsTheRest() {
        var b = Buffer(width: 6, height: 2)
        b.setString(0, 0, "abcdef", style: Style(fg: .red))
        b.setString(0, 1, "ghijkl")
        b[2, 1] = Cell(" ", style: Style(bg: .blue))
        b.fill(Rect(x: 1, y: 0, width: 4, height: 2))
        #expect(b.lines == ["a    f", "g    l"])
        #expect((1..<5).allSatisfy { b[$0, 0] == .blank && b[$0, 1] == .blank })
        #expect(b[0, 0].style == Style(fg: .red) && b[5, 0].style == Style(fg: .red))
        b.fill(Rect(x: 0, y: 1, width: 6, height: 1), with: Cell("·", style: Style(attributes: .dim)))
        #expect(b.lines == ["a    f", "······"])
    }
}

/// Restyling keeps every character: dimming a panel, or fitting colours to an 8-colour or
/// colourless terminal, once blanked each wide character (its right half was stored over it).
@Suite struct RestyleTests {
    func wideRow() -> Buffer {
        var b = Buffer(width: 6, height: 1)
        b.setString(0, 0, "a界b", style: Style(fg: .red))
        return b
    }

    @Test func dimmingKeepsWideCharacters() {
        var b = wideRow()
        b.restyle(b.area) { $0.attributes.insert(.dim) }
        #expect(b.lines == ["a界b  "])
        #expect(b[1, 0].style.attributes.contains(.dim))
        #expect(b[2, 0].isContinuation)
    }

    @Test func fittingColoursKeepsWideCharacters() {
        for colors in [0, 8] {
            var b = wideRow()
            b.fitColors(to: TerminalCaps(unicode: true, colors: colors))
            #expect(b.lines == ["a界b  "], "colors \(colors)")
            #expect(b[1, 0].style.fg == (colors == 0 ? .default : Color.red.basic))
        }
    }
}
