import Render
import TerminalBackend
import Testing

@Suite struct ANSIEncoderTests {
    func sample() -> Buffer {
        var b = Buffer(width: 6, height: 2)
        b[0, 0] = Cell("o", style: Style(fg: .red))
        b[1, 0] = Cell("k", style: Style(fg: .red))
        b[0, 1] = Cell("⣿", style: Style(fg: .indexed(208), attributes: .bold))
        return b
    }

    @Test func plainTextHasNoEscapesAndNoTrailingSpaces() {
        #expect(ANSIEncoder.encode(sample(), depth: .none) == "ok\n⣿\n")
    }

    @Test func colourRunsAreEncodedOnceAndEveryLineResets() {
        let text = ANSIEncoder.encode(sample(), depth: .palette256)
        #expect(text == "\u{1B}[0;31mok\u{1B}[0m    \n\u{1B}[0;1;38;5;208m⣿\u{1B}[0m     \n")
    }

    /// A wide character is written once; its continuation cell is not (the terminal fills it).
    @Test func wideCharactersAreWrittenOnce() {
        var b = Buffer(width: 7, height: 1)
        b.setString(0, 0, "東京x", style: Style(fg: .red))
        #expect(ANSIEncoder.encode(b, depth: .none) == "東京x\n")
        #expect(ANSIEncoder.encode(b, depth: .palette256) == "\u{1B}[0;31m東京x\u{1B}[0m  \n")
    }

    @Test func eightColoursMapIndexedColours() {
        let text = ANSIEncoder.encode(sample(), depth: .eight)
        #expect(text.contains("\u{1B}[0;1;33m⣿"))
        #expect(!text.contains("38;5"))
    }
}
