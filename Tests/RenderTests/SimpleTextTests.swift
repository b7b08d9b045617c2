import Testing
@testable import Render

/// The fast path for simple text must agree with the general one on every scalar it accepts.
@Suite struct SimpleTextTests {
    static let simple: [Unicode.Scalar] = (0x20...0x2FFFF).compactMap(Unicode.Scalar.init).filter(SimpleText.isSimple)

    @Test func everySimpleScalarIsSafeAsItIsAndOneColumnWide() {
        #expect(Self.simple.count == 1394)  // pins the table above
        for scalar in Self.simple {
            let text = String(scalar)
            #expect(Sanitize.general(text) == text, "U+\(String(scalar.value, radix: 16))")
            #expect(CharacterWidth.columns(Character(scalar)) == 1, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func simpleScalarsNeverJoinTheirNeighbours() {
        // A mark, joiner or prepended character would make fewer characters than scalars.
        let all = String(String.UnicodeScalarView(Self.simple))
        #expect(all.count == Self.simple.count)
        for scalar in Self.simple {
            #expect(("a" + String(scalar) + String(scalar) + "a").count == 4, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func scalarsThatNeedTheGeneralPathAreNotSimple() {
        for v: UInt32 in [0x1F, 0x7F, 0x9B, 0xAD, 0x300, 0x200B, 0x200D, 0x2028, 0x202E, 0x25FD, 0x2705, 0x4E00, 0xFE0F, 0x1F600] {
            #expect(!SimpleText.isSimple(Unicode.Scalar(v)!), "U+\(String(v, radix: 16))")
        }
    }

    @Test func writersGiveTheSameCellsOnBothPaths() {
        // "·" and box drawing take the fast path; a CJK character forces the general one.
        var fast = Buffer(width: 12, height: 2)
        fast.setString(0, 0, "ab·━…x", maxWidth: 5)
        fast.setString("ab·━", in: Rect(x: 6, y: 1, width: 6, height: 1), alignRight: true)
        #expect(fast.lines == ["ab·━…       ", "        ab·━"])
        var general = Buffer(width: 12, height: 1)
        general.setString(0, 0, "ab·━漢x", maxWidth: 6)
        #expect(general.lines == ["ab·━…       "])
    }
}
