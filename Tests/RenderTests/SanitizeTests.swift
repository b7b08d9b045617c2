import Testing
@testable import Render

@Suite struct SanitizeTests {
    @Test(arguments: [
        ("\u{1b}]0;pwned\u{07}", ""),  // OSC title change, BEL-terminated
        ("\u{1b}]0;pwned\u{1b}\\ok", "ok"),  // OSC, ST-terminated
        ("\u{1b}[2J", ""),  // clear screen
        ("a\u{1b}[31mred\u{1b}[0mb", "aredb"),  // SGR colours
        ("\u{1b}(Bx", "x"),  // charset designation
        ("\u{9b}31mx", "x"),  // C1 CSI
        ("\u{9d}0;t\u{9c}y", "y"),  // C1 OSC and ST
        ("\u{1b}P1$r\u{1b}\\z", "z"),  // DCS
        ("bell\u{07}del\u{7f}nul\u{00}", "belldelnul"),
        ("tab\there\nnew", "tab here new"),
    ])
    func escapeSequencesAndControlsAreRemoved(input: String, expected: String) {
        #expect(Sanitize.text(input) == expected)
    }

    @Test func bidiAndZeroWidthAreRemovedCombiningMarksKept() {
        #expect(Sanitize.text("abc\u{202E}def\u{202C}") == "abcdef")  // right-to-left override
        #expect(Sanitize.text("a\u{2066}b\u{2069}") == "ab")  // isolates
        #expect(Sanitize.text("zero\u{200B}width\u{200D}joiner\u{FEFF}") == "zerowidthjoiner")
        #expect(Sanitize.text("e\u{301}").unicodeScalars.map(\.value) == [0x65, 0x301])  // decomposed é kept whole
        #expect(Sanitize.text("é") == "é")  // precomposed stays
        #expect(Sanitize.text("soft\u{AD}hyphen") == "softhyphen")
        #expect(Sanitize.text("\u{301}\u{200D}lone") == "lone")  // marks and joiners with no base go
        let zalgo = Sanitize.text("a" + String(repeating: "\u{301}", count: 50))
        #expect(zalgo.unicodeScalars.count == 1 + Sanitize.maxMarks)
    }

    @Test func wideCharactersAreKeptAndMeasuredInColumns() {
        #expect(Sanitize.text("東京") == "東京")
        #expect(Sanitize.width("東京") == 4)
        #expect(Sanitize.width("ok 🔥") == 5)
        #expect(Sanitize.width("❤\u{FE0F}") == 2)  // emoji presentation by selector
        #expect(Sanitize.width("❤") == 1)  // text presentation
        #expect(Sanitize.width("🇫🇷") == 2)  // a flag: two regional indicators, one character
        #expect(Sanitize.width("👨‍👩‍👧") == 2)  // a ZWJ sequence is one character
        #expect(Sanitize.text("👨‍👩‍👧").count == 1)
        #expect(Sanitize.width("e\u{301}te\u{301}") == 3)
        #expect(Sanitize.width("ｆｕｌｌ") == 8)  // fullwidth forms
        #expect(Sanitize.text("\u{E000}") == "?")  // private use
    }

    @Test func noControlSurvivesSanitising() {
        let hostile = "\u{1b}[2J東\u{301}\u{200B}x\u{1b}]8;;http://evil\u{07}link\u{1b}]8;;\u{07}👨‍👩‍👧"
        let safe = Sanitize.text(hostile)
        #expect(safe == "東\u{301}xlink👨‍👩‍👧")
        for scalar in safe.unicodeScalars {
            #expect(scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80...0x9F).contains(scalar.value))
        }
    }

    @Test func truncationCountsColumnsAndCutsOnCharacterBoundaries() {
        #expect(Sanitize.truncate("東京都庁", to: 5) == "東京…")
        #expect(Sanitize.truncate("東京都庁", to: 6) == "東京…")  // 都 would straddle the ellipsis
        #expect(Sanitize.truncate("東京都庁", to: 8) == "東京都庁")
        #expect(Sanitize.truncate("cafe\u{301}s", to: 5) == "cafe\u{301}s")
        #expect(Sanitize.truncate("cafe\u{301}s!", to: 5) == "cafe\u{301}…")
    }

    @Test func wideCellsAreTwoCellsInTheBuffer() {
        var buffer = Buffer(width: 8, height: 2)
        #expect(buffer.setString(0, 0, "東a京b") == 6)
        #expect(buffer.lines == ["東a京b  ", "        "])
        #expect(buffer[0, 0].columns == 2 && buffer[1, 0].isContinuation && buffer[2, 0].character == "a")
        // A wide character with one column left is not split: it becomes a space.
        #expect(buffer.setString(0, 1, "abcdefg東") == 8)
        #expect(buffer.lines[1] == "abcdefg…")
        var tight = Buffer(width: 3, height: 1)
        tight.setString(0, 0, "a東", maxWidth: 2)
        #expect(tight.lines == ["a… "])
        // Overwriting half of a wide character leaves a space in the other half.
        buffer.setString(1, 0, "x")
        #expect(buffer.lines[0] == " xa京b  ")
        var right = Buffer(width: 6, height: 1)
        right.setString("東京", in: right.area, alignRight: true)
        #expect(right.lines == ["  東京"])
    }

    @Test func truncationEndsInEllipsis() {
        #expect(Sanitize.truncate("HighErrorRate", to: 8) == "HighErr…")
        #expect(Sanitize.truncate("short", to: 8) == "short")
        #expect(Sanitize.truncate("exact", to: 5) == "exact")
        #expect(Sanitize.truncate("abc", to: 1) == "…")
        #expect(Sanitize.truncate("abc", to: 0) == "")
        #expect(Sanitize.truncate("abcdef", to: 4, ellipsis: "~") == "abc~")
    }

    @Test func linesSplitAndSanitiseEachLine() {
        #expect(Sanitize.lines("one\r\ntwo\u{1b}[1m\nthree") == ["one", "two", "three"])
    }

    @Test func setStringNeverLetsControlsIntoTheBuffer() {
        var buffer = Buffer(width: 20, height: 1)
        let used = buffer.setString(0, 0, "\u{1b}]0;pwned\u{07}\u{1b}[2Jok\u{1b}[31m", maxWidth: 20)
        #expect(used == 2)
        #expect(buffer.lines == ["ok                  "])
        for scalar in allScalars(buffer) { #expect(scalar.value >= 0x20 && scalar.value != 0x7F) }
    }

    @Test func setStringClipsAndReportsColumns() {
        var buffer = Buffer(width: 6, height: 2)
        #expect(buffer.setString(2, 0, "abcdef") == 4)
        #expect(buffer.setString(0, 1, "abcdef", maxWidth: 3) == 3)
        #expect(buffer.setString(-1, 5, "outside") == 0)
        #expect(buffer.setString(9, 0, "outside") == 0)
        #expect(buffer.lines == ["  abc…", "ab…   "])
    }

    @Test func rightAlignedStringInArea() {
        var buffer = Buffer(width: 8, height: 1)
        buffer.setString("42 ms", in: Rect(x: 1, y: 0, width: 6, height: 1), alignRight: true)
        #expect(buffer.lines == ["  42 ms "])
    }
}
