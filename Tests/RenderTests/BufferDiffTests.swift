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
}
