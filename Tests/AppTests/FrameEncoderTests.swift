import Render
@testable import TerminalBackend
import Testing

/// The bytes a frame goes out as, with each escape written as a readable marker: `{clear}`,
/// `{0}` (everything off), `{b}` `{d}` `{u}` `{r}`, `{f n}` and `{g n}` (colours), `{@row,col}`.
@Suite struct FrameEncoderTests {
    static func marked(lastCellScrolls: Bool = false) -> TerminalEscapes {
        func b(_ s: String) -> [UInt8] { Array(s.utf8) }
        return TerminalEscapes(
            clearScreen: b("{clear}"), reset: b("{0}"), bold: b("{b}"), dim: b("{d}"), underline: b("{u}"), reverse: b("{r}"),
            foreground: { b("{f \($0)}") }, background: { b("{g \($0)}") }, moveTo: { $2 += b("{@\($0),\($1)}") },
            lastCellScrolls: lastCellScrolls)
    }

    static func encoder(_ depth: ColorDepth = .palette256, lastCellScrolls: Bool = false, unicode: Bool = true) -> FrameEncoder {
        FrameEncoder(escapes: marked(lastCellScrolls: lastCellScrolls), depth: depth, unicode: unicode)
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Edits the frame on screen and returns what the encoder writes for the edit.
    static func edit(_ e: inout FrameEncoder, _ screen: inout Buffer, _ change: (inout Buffer) -> Void) -> String {
        var next = screen
        change(&next)
        defer { screen = next }
        return text(e.encode(next, previous: screen))
    }

    func sample() -> Buffer {
        var b = Buffer(width: 5, height: 2)
        b.setString(0, 0, "ok", style: Style(fg: .red))
        b.setString(2, 0, "!", style: Style(fg: .indexed(208), attributes: .bold))
        b.setString(0, 1, "a⣿", style: Style(bg: .blue, attributes: [.underline, .reverse]))
        return b
    }

    @Test func aFirstFrameClearsAndWritesEveryCell() {
        var e = Self.encoder()
        #expect(Self.text(e.encode(sample(), previous: nil))
            == "{0}{clear}{0}{f 1}ok{0}{b}{f 208}!{0}  {@1,0}{0}{u}{r}{g 4}a⣿{0}   ")
        #expect(e.cursor == nil)
    }

    @Test func laterFramesWriteOnlyWhatChangedAndMoveOnlyWhenNeeded() {
        var e = Self.encoder()
        let first = sample()
        _ = e.encode(first, previous: nil)
        var next = first
        next.setString(1, 0, "K", style: Style(fg: .red))
        next.setString(3, 1, "z")
        // Two runs: each needs a move (the cursor was left after the last cell of the screen).
        #expect(Self.text(e.encode(next, previous: first)) == "{@0,1}{0}{f 1}K{@1,3}{0}z")
        #expect(e.cursor?.row == 1 && e.cursor?.column == 4)
        var third = next
        third.setString(4, 1, "y")
        // Right after the last write: no move, and the style is still the plain one.
        #expect(Self.text(e.encode(third, previous: next)) == "y")
        #expect(e.encode(third, previous: third).isEmpty)
    }

    @Test func wideCharactersAdvanceTwoColumns() {
        var e = Self.encoder()
        var screen = Buffer(width: 6, height: 1)
        _ = e.encode(screen, previous: nil)
        #expect(Self.edit(&e, &screen) { $0.setString(0, 0, "漢x") } == "{@0,0}漢x")
        #expect(e.cursor?.column == 3)
        #expect(Self.edit(&e, &screen) { $0.setString(3, 0, "yz") } == "yz")
    }

    @Test func theBottomRightCellIsLeftAloneWhereItWouldScroll() {
        var e = Self.encoder(lastCellScrolls: true)
        var b = Buffer(width: 3, height: 2)
        b.setString(0, 1, "abc")
        // After a line's last column the cursor waits to wrap: the next line starts with a move.
        #expect(Self.text(e.encode(b, previous: nil)) == "{0}{clear}   {@1,0}ab")
        var plain = Self.encoder()
        #expect(Self.text(plain.encode(b, previous: nil)) == "{0}{clear}   {@1,0}abc")
    }

    @Test func aTerminalWithoutClearIsRepaintedFromAMove() {
        var escapes = Self.marked()
        escapes.clearScreen = []
        var e = FrameEncoder(escapes: escapes, depth: .palette256, unicode: true)
        var b = Buffer(width: 2, height: 1)
        b.setString(0, 0, "hi")
        #expect(Self.text(e.encode(b, previous: nil)) == "{0}{@0,0}hi")
    }

    @Test func withoutColourOrUnicode() {
        var e = Self.encoder(.none, unicode: false)
        var b = Buffer(width: 4, height: 1)
        b.setString(0, 0, "é⣿", style: Style(fg: .red, attributes: .bold))
        // Colours are off, and a C locale draws "?" for what it cannot show.
        #expect(Self.text(e.encode(b, previous: nil)) == "{0}{clear}{0}{b}??{0}  ")
    }

    @Test func aForgottenCursorIsMovedAbsolutely() {
        var e = Self.encoder()
        var screen = Buffer(width: 4, height: 2)
        _ = e.encode(screen, previous: nil)
        #expect(Self.edit(&e, &screen) { $0.setString(0, 0, "x") } == "{@0,0}x")
        e.forgetCursor()
        #expect(Self.edit(&e, &screen) { $0.setString(1, 0, "y") } == "{@0,1}y")
    }

    @Test func terminfoPaddingIsDropped() {
        func strip(_ s: String) -> String { String(decoding: TerminfoEscapes.withoutPadding(Array(s.utf8)), as: UTF8.self) }
        #expect(strip("\u{1B}[H\u{1B}[J$<50>") == "\u{1B}[H\u{1B}[J")
        #expect(strip("\u{1B}[m$<2*/>x") == "\u{1B}[mx")
        #expect(strip("$5 $<a> $<") == "$5 $<a> $<")
        var moves: [UInt8] = []
        TerminfoEscapes.ansiMove(0, 0, to: &moves)
        TerminfoEscapes.ansiMove(39, 119, to: &moves)
        #expect(moves == Array("\u{1B}[1;1H\u{1B}[40;120H".utf8))
    }
}
